package io.skeletonssl.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import static io.skeletonssl.training.OptimizerTest.backward;
import static io.skeletonssl.training.OptimizerTest.param;
import static org.assertj.core.api.Assertions.assertThat;

class StateSnapshotTest {

    @Test
    void restoringContinuesExactlyAsFromTheSnapshot() {
        try (NDManager m = Engines.cpu().newManager()) {
            PairList<String, Parameter> p = new PairList<>();
            p.add("w", param(m, "w", m.create(new float[] {0.5f, -1f, 2f}, new Shape(3))));
            p.add("b", param(m, "b", m.create(new float[] {0.1f}, new Shape(1))));
            try (Sgd sgd = new Sgd(p, WeightDecayGroups.uniform(p, 1e-2), 0.9);
                 StateSnapshot snap = new StateSnapshot(m)) {
                snap.take(p, sgd); // before the first step: no momentum buffers yet
                backward(p, 0.3);
                sgd.step(0.1);
                backward(p, -0.7);
                sgd.step(0.1);
                float[] afterTwo = p.get("w").getArray().toFloatArray();
                snap.restore(p, sgd);
                assertThat(p.get("w").getArray().toFloatArray()).containsExactly(0.5f, -1f, 2f);
                assertThat(sgd.steps()).isZero();
                assertThat(sgd.stateArrays()).as("the first step makes the buffers again").isEmpty();
                backward(p, 0.3);
                sgd.step(0.1);
                snap.take(p, sgd); // with momentum buffers
                backward(p, -0.7);
                sgd.step(0.1);
                assertThat(p.get("w").getArray().toFloatArray()).containsExactly(afterTwo);
                backward(p, 5);
                sgd.step(0.1);
                snap.restore(p, sgd);
                assertThat(sgd.steps()).isEqualTo(1);
                backward(p, -0.7);
                sgd.step(0.1);
                assertThat(p.get("w").getArray().toFloatArray()).as("momentum restored too").containsExactly(afterTwo);
            }
        }
    }
}
