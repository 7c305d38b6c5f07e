package io.skeletonssl.loader;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Turns one stored clip (with its valid frame count) into the K views a batch holds: one view for
 * MAMP, three for PCM3. Any exception marks the sample bad: the loader skips it, reports the
 * reason and fills its slot with the next sample of the permutation.
 */
@FunctionalInterface
public interface SampleTransform {

    List<Clip> apply(Clip clip, RandomGenerator rng) throws BadSampleException;

    /** A single view. */
    static SampleTransform of(Transform transform) {
        Objects.requireNonNull(transform, "transform");
        return (clip, rng) -> List.of(transform.apply(clip, rng));
    }

    /** K views, each from the stored clip, drawn one after the other from the same generator. */
    static SampleTransform views(Transform... perView) {
        List<Transform> list = List.of(perView);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("at least one view is needed");
        }
        return (clip, rng) -> {
            List<Clip> out = new ArrayList<>(list.size());
            for (Transform t : list) {
                out.add(t.apply(clip, rng));
            }
            return out;
        };
    }

    /** PCM3 pretraining: query and key views (p = 0.5) and the masked-prediction view (always shear). */
    static SampleTransform pcm3Pretrain() {
        return views(Pipeline.pcm3View(0.5), Pipeline.pcm3View(0.5), Pipeline.pcm3View(-1));
    }
}
