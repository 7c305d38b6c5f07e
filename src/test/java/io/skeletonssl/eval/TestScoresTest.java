package io.skeletonssl.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestScoresTest {

    @Test
    void roundTripsAndScoresTop1(@TempDir Path dir) throws Exception {
        TestScores s = new TestScores(new float[][]{{0.1f, 2f, -1f}, {3f, 0f, 0f}, {0f, 0f, 0.5f}},
                new int[]{1, 2, 2}, List.of("a", "b", "c"));
        s.write(dir);
        TestScores r = TestScores.read(dir);
        assertThat(r.scores()).isDeepEqualTo(s.scores());
        assertThat(r.labels()).containsExactly(1, 2, 2);
        assertThat(r.names()).containsExactly("a", "b", "c");
        assertThat(r.top1()).isCloseTo(200.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void missingOrInconsistentFilesAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TestScores.read(dir)).hasMessageContaining(TestScores.SCORES);
        new TestScores(new float[][]{{1f}, {2f}}, new int[]{0, 0}, List.of("a", "b")).write(dir);
        Files.write(dir.resolve(TestScores.NAMES), List.of("a"));
        assertThatThrownBy(() -> TestScores.read(dir)).hasMessageContaining(dir.toString()).hasMessageContaining("names");
    }
}
