package io.skeletonssl.methods.mamp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.training.ConfigTree;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MampEncoderTest {

    private static ObjectNode tiny() throws Exception {
        return ConfigTree.resolve("mamp-small", null, List.of("model.dim=32", "model.depth=1", "model.heads=2",
                "data.frames=16"));
    }

    @Test
    void randomEncoderIsSeededFeaturesArePerClipAndMemoryStaysFlat() throws Exception {
        ObjectNode tree = tiny();
        float[] batch = new float[3 * 3 * 16 * 25 * 2];
        Random r = new Random(1);
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (float) r.nextGaussian();
        }
        try (MampEncoder a = MampEncoder.random(tree); MampEncoder b = MampEncoder.random(tree)) {
            assertThat(a.featureDim()).isEqualTo(32);
            float[][] fa = a.encode(batch, 3);
            assertThat(fa).hasNumberOfRows(3);
            assertThat(fa[0]).hasSize(32);
            assertThat(b.encode(batch, 3)[2]).containsExactly(fa[2]); // same config and seed, same weights
            // a clip's feature does not depend on the other clips of its batch
            float[] second = java.util.Arrays.copyOfRange(batch, batch.length / 3, 2 * batch.length / 3);
            assertThat(a.encode(second, 1)[0]).containsExactly(fa[1]);
            long arrays = a.managedArrays();
            for (int i = 0; i < 5; i++) {
                a.encode(batch, 3);
            }
            assertThat(a.managedArrays()).isEqualTo(arrays);
            assertThatThrownBy(() -> a.encode(second, 2)).hasMessageContaining("expected 2 clips of (3, 16, 25, 2)");
        }
        tree.with("pretrain").put("seed", 5);
        try (MampEncoder a = MampEncoder.random(tiny()); MampEncoder c = MampEncoder.random(tree)) {
            assertThat(c.encode(batch, 3)[0]).isNotEqualTo(a.encode(batch, 3)[0]);
        }
    }
}
