package io.skeletonssl.methods.pcm3;

import com.fasterxml.jackson.databind.JsonNode;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.transforms.Pipeline;
import io.skeletonssl.transforms.Streams;

/**
 * What PCM3's downstream protocols (§3.13) take from a run's configuration: its settings and the
 * clip transforms of linear evaluation and KNN retrieval, each followed by the run's input stream
 * ({@code pretrain.stream}, §3.10) so the frozen encoder sees what it was trained on.
 */
public final class Pcm3Downstream {

    private Pcm3Downstream() {
    }

    /**
     * The settings of a run's or an evaluation's resolved tree. {@code data.path} (where the data
     * was, recorded for provenance by the commands) is not a setting and is left out.
     */
    public static Pcm3Settings settings(JsonNode tree) {
        return Pcm3Presets.fromTree(tree);
    }

    /** Linear-evaluation training: crop U[crop_min, crop_max) of the valid frames, at least min_frames, → frames. */
    public static Pipeline train(Pcm3Settings s, SkeletonLayout layout) {
        Pcm3Settings.LinearProbe lp = s.linearProbe();
        return withStream(Pipeline.pcm3Train(lp.cropMin(), lp.cropMax(), lp.minFrames(), s.data().frames()), s, layout);
    }

    /** Linear-evaluation test: centre crop {@code linear_probe.test_crop} → frames. */
    public static Pipeline test(Pcm3Settings s, SkeletonLayout layout) {
        return withStream(Pipeline.pcm3Test(s.linearProbe().testCrop(), s.data().frames()), s, layout);
    }

    /** KNN retrieval, gallery and queries alike: centre crop {@code knn.test_crop} → frames. */
    public static Pipeline retrieval(Pcm3Settings s, SkeletonLayout layout) {
        return withStream(Pipeline.pcm3Test(s.knn().testCrop(), s.data().frames()), s, layout);
    }

    /**
     * {@code p} then the stream conversion (none for joints). The bone stream needs the dataset's
     * {@code layout} with the run's joint count; the others ignore it (it may be null).
     */
    public static Pipeline withStream(Pipeline p, Pcm3Settings s, SkeletonLayout layout) {
        return switch (s.pretrain().inputStream()) {
            case JOINT -> p;
            case MOTION -> p.then("motion", Streams.motionStream());
            case BONE -> {
                if (layout == null || layout.numJoints() != s.data().joints()) {
                    throw new IllegalArgumentException("the bone stream needs the skeleton layout of the "
                            + s.data().joints() + "-joint data the run was trained on"
                            + (layout == null ? "" : ", got " + layout.name() + " with " + layout.numJoints() + " joints"));
                }
                yield p.then("bone", Streams.boneStream(layout));
            }
        };
    }
}
