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

    @Test
    void timePoolingGivesOneMeanPerTimeTokenInOrder() throws Exception {
        float[] batch = new float[2 * 3 * 16 * 25 * 2];
        Random r = new Random(2);
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (float) r.nextGaussian();
        }
        ObjectNode timed = ConfigTree.resolve("mamp-small", null, List.of("model.dim=32", "model.depth=1",
                "model.heads=2", "data.frames=16", "model.feature_pooling=time"));
        try (MampEncoder mean = MampEncoder.random(tiny()); MampEncoder time = MampEncoder.random(timed)) {
            assertThat(time.featureDim()).isEqualTo(4 * 32); // 16 frames / segment 4 = 4 time tokens
            float[][] ft = time.encode(batch, 2);
            float[][] fm = mean.encode(batch, 2); // same seed, same weights
            assertThat(ft[1]).hasSize(128);
            for (int d = 0; d < 32; d++) {
                float avg = (ft[1][d] + ft[1][32 + d] + ft[1][64 + d] + ft[1][96 + d]) / 4;
                assertThat(avg).isCloseTo(fm[1][d], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
        assertThatThrownBy(() -> MampEncoder.random(ConfigTree.resolve("mamp-small", null,
                List.of("model.feature_pooling=max")))).hasMessageContaining("model.feature_pooling");
    }
}
