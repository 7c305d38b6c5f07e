package io.skeletonssl.methods.pcm3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.skeletonssl.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MomentumQueueTest {

    @Test
    void officialQueueHasUnitRowsAndIsSeeded() {
        try (NDManager m = Engines.cpu().newManager();
             MomentumQueue q = MomentumQueue.pcm3(m, 42);
             MomentumQueue same = MomentumQueue.pcm3(m, 42);
             MomentumQueue other = MomentumQueue.pcm3(m, 43)) {
            assertThat(q.entries().getShape()).isEqualTo(new Shape(16384, 128));
            float[] norms = q.entries().norm(new int[]{1}).toFloatArray();
            for (float n : norms) {
                assertThat(n).isCloseTo(1f, within(1e-5f));
            }
            float[] a = q.entries().toFloatArray();
            // Arrays.equals: AssertJ's containsExactly is quadratic on two million values.
            assertThat(Arrays.equals(same.entries().toFloatArray(), a)).isTrue();
            assertThat(Arrays.equals(other.entries().toFloatArray(), a)).isFalse();
            // Roughly N(0,1)/sqrt(128): mean ~ 0.
            double mean = 0;
            for (float f : a) {
                mean += f;
            }
            assertThat(mean / a.length).isCloseTo(0, within(1e-3));
            assertThat(q.pointer()).isZero();
        }
    }

    @Test
    void enqueueWritesAtThePointerAndWraps() {
        try (NDManager m = Engines.cpu().newManager(); MomentumQueue q = MomentumQueue.random(m, 6, 2, 1)) {
            float[] init = q.entries().toFloatArray();
            q.enqueue(m.create(new float[]{1, 1, 2, 2}, new Shape(2, 2)));
            assertThat(q.pointer()).isEqualTo(2);
            q.enqueue(m.create(new float[]{3, 3, 4, 4}, new Shape(2, 2)));
            q.enqueue(m.create(new float[]{5, 5, 6, 6}, new Shape(2, 2)));
            assertThat(q.pointer()).isZero();
            q.enqueue(m.create(new float[]{7, 7, 8, 8}, new Shape(2, 2)));
            assertThat(q.pointer()).isEqualTo(2);
            assertThat(q.entries().toFloatArray()).containsExactly(7, 7, 8, 8, 3, 3, 4, 4, 5, 5, 6, 6);
            assertThat(init[0]).isNotEqualTo(7f);
        }
    }

    @Test
    void snapshotIsNotChangedByLaterEnqueues() {
        try (NDManager m = Engines.cpu().newManager(); MomentumQueue q = MomentumQueue.random(m, 4, 2, 1)) {
            try (NDManager step = m.newSubManager()) {
                NDArray snap = q.snapshot(step);
                float[] before = snap.toFloatArray();
                q.enqueue(m.create(new float[]{9, 9, 9, 9}, new Shape(2, 2)));
                assertThat(snap.toFloatArray()).containsExactly(before);
                assertThat(snap.getManager()).isSameAs(step);
            }
        }
    }

    @Test
    void checkpointRoundTripRestoresValuesAndPointer() {
        try (NDManager m = Engines.cpu().newManager();
             MomentumQueue q = MomentumQueue.random(m, 8, 3, 7)) {
            q.enqueue(m.create(new float[]{1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
            MomentumQueue.State state = q.export();
            assertThat(state.pointer()).isEqualTo(2);
            try (NDManager other = Engines.cpu().newManager();
                 MomentumQueue back = MomentumQueue.restore(other, state)) {
                assertThat(back.pointer()).isEqualTo(2);
                assertThat(back.entries().toFloatArray()).containsExactly(q.entries().toFloatArray());
                NDArray keys = m.create(new float[]{0, 0, 1, 0, 1, 0}, new Shape(2, 3));
                q.enqueue(keys);
                back.enqueue(keys.toDevice(other.getDevice(), true));
                assertThat(back.export().entries()).containsExactly(q.export().entries());
            }
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        try (NDManager m = Engines.cpu().newManager(); MomentumQueue q = MomentumQueue.random(m, 6, 2, 1)) {
            assertThatThrownBy(() -> q.enqueue(m.zeros(new Shape(4, 2))))
                    .hasMessageContaining("queue size 6 is not a multiple of the key batch 4");
            assertThatThrownBy(() -> q.enqueue(m.zeros(new Shape(2, 3)))).hasMessageContaining("(B, 2)");
        }
        assertThatThrownBy(() -> new MomentumQueue.State(4, 2, 4, new float[8])).hasMessageContaining("pointer 4");
        assertThatThrownBy(() -> new MomentumQueue.State(4, 2, 0, new float[7])).hasMessageContaining("expected 4·2");
    }

    @Test
    void momentumUpdateBlendsKeyTowardsQueryInPlace() {
        try (NDManager m = Engines.cpu().newManager()) {
            NDArray k1 = m.create(new float[]{1, 2});
            NDArray k2 = m.create(new float[]{10});
            NDArray q1 = m.create(new float[]{3, 5});
            NDArray q2 = m.create(new float[]{0});
            q1.setRequiresGradient(true);
            MomentumQueue.momentumUpdate(List.of(k1, k2), List.of(q1, q2), 0.9);
            assertThat(k1.toFloatArray()).containsExactly(new float[]{1.2f, 2.3f}, within(1e-6f));
            assertThat(k2.toFloatArray()).containsExactly(new float[]{9f}, within(1e-6f));
            assertThat(q1.toFloatArray()).containsExactly(3f, 5f);
            assertThatThrownBy(() -> MomentumQueue.momentumUpdate(List.of(k1), List.of(q2), 0.9))
                    .hasMessageContaining("parameter 0");
            assertThatThrownBy(() -> MomentumQueue.momentumUpdate(List.of(k1), List.of(), 0.9))
                    .hasMessageContaining("1 key parameters but 0");
        }
    }
}
