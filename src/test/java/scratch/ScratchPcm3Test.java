package scratch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.loader.Batch;
import io.skeletonssl.loader.BatchLoader;
import io.skeletonssl.methods.pcm3.Pcm3Pretrainer;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.Pretrainer;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

class ScratchPcm3Test {
    @Test
    void run() throws Exception {
        String sets = System.getProperty("sets", "");
        List<String> l = sets.isEmpty() ? List.of() : List.of(sets.split(","));
        ObjectNode tree = ConfigTree.resolve("pcm3-small", null, l); ((ObjectNode) tree.path("data")).put("path", "x");
        int steps = Integer.getInteger("steps", 30);
        try (SkeletonDataset ds = SkeletonDataset.open(Path.of(System.getProperty("data", "/tmp/synthp")));
             NDManager root = Engines.cpu().newManager()) {
            var split = ds.clips("train");
            var layout = ds.manifest().layout();
            Pcm3Pretrainer m = new Pcm3Pretrainer();
            m.validate(tree, layout);
            try (BatchLoader loader = BatchLoader.builder(split, m.trainTransform(tree, layout)).batchSize(16)
                    .dropLast(true).shuffle(true).seed(0).threads(2).build();
                 Pretrainer.Session s = m.open(tree, layout, root)) {
                Random rng = new Random(0);
                int i = 0;
                long t0 = System.nanoTime();
                try (BatchLoader.Epoch e = loader.epoch(0)) {
                    for (Batch b : e) {
                        long s0 = System.nanoTime();
                        var r = s.step(root, b, rng);
                        long s1 = System.nanoTime();
                        s.optimizer().step(0.02);
                        s.optimizer().zeroGradients();
                        System.out.printf("step %d loss %.3f %s  fwdbwd %.3fs opt %.3fs%n", i, r.loss(), r.terms(), (s1 - s0) / 1e9, (System.nanoTime() - s1) / 1e9);
                        if (++i >= steps) break;
                    }
                }
            }
        }
    }
}
