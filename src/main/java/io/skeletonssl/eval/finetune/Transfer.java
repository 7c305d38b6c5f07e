package io.skeletonssl.eval.finetune;

import io.skeletonssl.dataset.SkeletonDataset;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.loader.ClipSource;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Transfer evaluation (issue 5 item 3; MAMP §2.10 and CMD's transfer script, §3.13): an encoder
 * pretrained on one dataset fine-tuned and tested on another, with a new head for the target's
 * classes, in the method's fine-tune recipe. The source dataset comes from the run's
 * {@code data.path}; a target with another skeleton layout, joint count or person count is refused
 * with an error naming both. metrics.json records {@code source_dataset}, {@code source_layout},
 * {@code target_dataset} and {@code target_layout}.
 */
public final class Transfer {

    private final PrintStream log;

    public Transfer(PrintStream log) {
        this.log = log;
    }

    /** What the pretraining run says about its data. */
    record Source(String dataset, String layout, int joints, int persons, int classes) {
        String describe() {
            return (dataset.isEmpty() ? "an unrecorded dataset" : dataset) + " (layout " + layout + ", " + joints
                    + " joints, " + persons + " persons)";
        }
    }

    public Finetune.Result run(Finetune.Options o) throws Exception {
        long t0 = System.nanoTime();
        if (o.checkpoint() == null || o.checkpoint().equals(Encoders.RANDOM)) {
            throw new IllegalArgumentException("eval transfer needs a pretrained run (--checkpoint RUN); for a"
                    + " random-init baseline use eval finetune --checkpoint random");
        }
        Source src = source(RunCheckpoint.locate(Path.of(o.checkpoint()), null));
        String targetLayout;
        try (SkeletonDataset ds = SkeletonDataset.open(o.data())) {
            SkeletonLayout layout = ds.manifest().layout();
            targetLayout = layout.name();
            String target = ds.dir().toAbsolutePath().normalize() + " (layout " + layout.name() + ", "
                    + layout.numJoints() + " joints)";
            if (layout.numJoints() != src.joints() || (!src.layout().equals("unknown") && !src.layout().equals(layout.name()))) {
                throw new IllegalArgumentException("cannot transfer across skeleton layouts: the checkpoint was pretrained"
                        + " on " + src.describe() + ", the target is " + target);
            }
            int persons = io.skeletonssl.eval.LinearProbe.split(ds, o.trainSplit(), "--train-split").persons();
            if (persons != src.persons()) {
                throw new IllegalArgumentException("cannot transfer: the checkpoint was pretrained on " + src.describe()
                        + " with M=" + src.persons() + " persons per clip, the target " + ds.dir() + " has M=" + persons);
            }
        }
        try (Finetune.Prepared p = Finetune.prepare(o, log);
             AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("source_dataset", src.dataset());
            extra.put("source_layout", src.layout());
            extra.put("source_classes", src.classes());
            extra.put("target_dataset", p.config().path("data").path("path").asText());
            extra.put("target_layout", targetLayout);
            Finetune.Result r = new Finetune(log).trainInto(dir.temp(), dir.target(), p, p.config(),
                    ClipSource.of(p.train()), o.valFraction(), "transfer", extra, t0);
            dir.commit();
            return r;
        }
    }

    /** The run's data: path, layout (from the dataset's manifest when it is still there), V, M, classes. */
    static Source source(RunCheckpoint rc) {
        var data = rc.config().path("data");
        String path = data.path("path").asText("");
        String layout = "unknown";
        if (!path.isEmpty() && Files.isDirectory(Path.of(path))) {
            try (SkeletonDataset ds = SkeletonDataset.open(Path.of(path))) {
                layout = ds.manifest().layout().name();
            } catch (Exception e) {
                layout = "unknown"; // moved or unreadable: the joint count still guards the transfer
            }
        }
        return new Source(path, layout, data.path("joints").asInt(), data.path("persons").asInt(),
                data.path("num_classes").asInt());
    }
}
