package io.skeletonssl.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipBudgetTest {

    @Test
    void epochsAreTheBudgetOverTheClipsCappedByThePreset() {
        assertThat(ClipBudget.epochs(300_000, 284, 1000)).isEqualTo(1000); // 1056 -> the cap
        assertThat(ClipBudget.epochs(300_000, 5_000, 1000)).isEqualTo(60);
        assertThat(ClipBudget.epochs(300_000, 1_000_000, 1000)).isEqualTo(1); // at least one epoch
        assertThat(ClipBudget.epochs(0, 5_000, 1000)).isEqualTo(1000); // off
    }

    @Test
    void forAnyBudgetTheClipPassesStayNearTheBudget() {
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            long budget = 1 + r.nextInt(2_000_000);
            int clips = 1 + r.nextInt(20_000);
            int cap = 1 + r.nextInt(2_000);
            int e = ClipBudget.epochs(budget, clips, cap);
            assertThat(e).isBetween(1, cap);
            if (e > 1 && e < cap) { // not clamped: within half an epoch of the budget
                assertThat(Math.abs((double) e * clips - budget)).isLessThanOrEqualTo(clips / 2.0 + 1e-9);
            }
        }
    }

    @Test
    void milestonesShrinkInProportionAndStayIncreasingInsideTheRun() {
        assertThat(ClipBudget.scaledMilestones(List.of(350), 450, 45)).containsExactly(35);
        assertThat(ClipBudget.scaledMilestones(List.of(10, 15), 20, 4)).containsExactly(2, 3);
        assertThat(ClipBudget.scaledMilestones(List.of(10, 11), 20, 4)).containsExactly(2); // merged
        assertThat(ClipBudget.scaledMilestones(List.of(16), 20, 1)).isEmpty(); // a one-epoch run has none
    }

    @Test
    void applyRewritesEpochsAndMilestonesAndSaysSo() throws Exception {
        ObjectNode tree = ConfigTree.resolve("pcm3-small", null, List.of("pretrain.epochs=100",
                "pretrain.milestones=[80]", "pretrain.clip_budget=10000"));
        String line = ClipBudget.apply(tree, 500);
        assertThat(tree.path("pretrain").path("epochs").asInt()).isEqualTo(20);
        assertThat(tree.path("pretrain").path("milestones").get(0).asInt()).isEqualTo(16);
        assertThat(line).contains("10000", "500 training clips", "20 epochs", "[80] -> [16]");
        // a second application (a resumed run's recorded tree) changes nothing
        assertThat(ClipBudget.apply(tree, 500)).isNull();
        assertThat(tree.path("pretrain").path("epochs").asInt()).isEqualTo(20);
    }

    @Test
    void mampCpuUsesItAndTheOfficialPresetsDoNot() throws Exception {
        assertThat(ConfigTree.resolve("mamp-cpu", null, List.of()).path("pretrain").path("clip_budget").asLong())
                .isEqualTo(300_000);
        for (String p : List.of("mamp-ntu60-xsub", "pcm3-ntu60-xsub", "mamp-small", "pcm3-small")) {
            assertThat(ConfigTree.resolve(p, null, List.of()).path("pretrain").path("clip_budget").asLong())
                    .as(p).isZero();
        }
        assertThatThrownBy(() -> ClipBudget.check(-1)).hasMessageContaining("pretrain.clip_budget");
    }
}
