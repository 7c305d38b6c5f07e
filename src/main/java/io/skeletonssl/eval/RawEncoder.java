package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.api.SequenceEncoder;
import io.skeletonssl.layout.SkeletonLayout;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.TemporalResize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The raw-coordinate baseline ({@code --checkpoint raw}): a frozen "encoder" without weights whose
 * feature is the clip itself, as the protocol's transforms give it to any encoder (the preset's test
 * crop, or its training augmentation for the probe's training views), resampled along time to
 * {@code raw.frames} frames (default: the preset's {@code data.frames}) and flattened in (C, T, V, M)
 * order, in the dataset's own normalisation. It is the number a pretrained encoder must beat.
 * Coordinates are not standardised, so its linear probe always gets a BatchNorm1d(affine=False)
 * before the Linear layer (MAMP's head; {@link #BN_EPS} when the preset's recipe has none).
 */
public final class RawEncoder implements SequenceEncoder {

    /** What {@code --checkpoint} calls it, and its {@code method} in metrics.json. */
    public static final String NAME = "raw";
    /** eps of the standardising BatchNorm1d(affine=False) when the preset's probe recipe has no BatchNorm (MAMP's). */
    public static final double BN_EPS = 1e-6;

    private final int inputFrames;
    private final int outputFrames;
    private final int joints;
    private final int persons;

    /** Clips of {@code inputFrames} frames (what the transforms give), features of {@code outputFrames}. */
    public RawEncoder(int inputFrames, int outputFrames, int joints, int persons) {
        if (inputFrames < 1 || outputFrames < 1 || joints < 1 || persons < 1) {
            throw new IllegalArgumentException("raw encoder: frames, joints and persons must be >= 1, got "
                    + inputFrames + " -> " + outputFrames + " frames, V=" + joints + ", M=" + persons);
        }
        this.inputFrames = inputFrames;
        this.outputFrames = outputFrames;
        this.joints = joints;
        this.persons = persons;
    }

    /**
     * The baseline for {@code config} (the preset's, resolved, V and M those of the dataset) with its
     * own settings from {@code sets} ({@code raw.frames=N}); the probe and KNN inputs are the preset
     * method's transforms.
     */
    public static Encoders.Loaded open(ObjectNode config, List<String> sets, SkeletonLayout layout) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject(NAME).put("frames", 0);
        for (String s : sets) {
            ConfigTree.applySet(settings, s);
        }
        int dataFrames = config.path("data").path("frames").asInt();
        com.fasterxml.jackson.databind.JsonNode f = settings.path(NAME).path("frames");
        if (!f.isIntegralNumber() || f.asInt() < 0) {
            throw new IllegalArgumentException("--set raw.frames must be a whole number >= 1 (0: the preset's "
                    + "data.frames), got " + f);
        }
        int frames = f.asInt();
        RawEncoder enc = new RawEncoder(dataFrames, frames == 0 ? dataFrames : frames,
                config.path("data").path("joints").asInt(), config.path("data").path("persons").asInt());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("encoder", NAME);
        metrics.put("raw_frames", enc.outputFrames);
        metrics.put("raw_feature", enc.shape());
        metrics.put("raw_inputs", "the preset's (" + config.path("method").asText() + ") probe transforms, "
                + "then resampled from " + dataFrames + " frames; coordinates as the dataset holds them");
        return Encoders.withInputs(enc, config, layout, BN_EPS, metrics);
    }

    /** E.g. {@code C x T x V x M = 3 x 32 x 20 x 1 = 1920}. */
    String shape() {
        return String.format(Locale.ROOT, "C x T x V x M = 3 x %d x %d x %d = %d", outputFrames, joints, persons,
                featureDim());
    }

    @Override
    public String method() {
        return NAME;
    }

    @Override
    public int frames() {
        return inputFrames;
    }

    @Override
    public int joints() {
        return joints;
    }

    @Override
    public int persons() {
        return persons;
    }

    /** Frames of the feature. */
    public int featureFrames() {
        return outputFrames;
    }

    @Override
    public int featureDim() {
        return 3 * outputFrames * joints * persons;
    }

    @Override
    public float[][] encode(float[] batch, int n) {
        int size = clipSize();
        if (batch.length < (long) n * size) {
            throw new IllegalArgumentException(batch.length + " values are fewer than " + n + " clips of " + size);
        }
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            Clip clip = Clip.of(Arrays.copyOfRange(batch, i * size, (i + 1) * size), inputFrames, joints, persons);
            out[i] = TemporalResize.resize(clip, 0, inputFrames, outputFrames).data();
        }
        return out;
    }

    @Override
    public String source() {
        return "raw coordinates, no weights: each clip resampled from " + inputFrames + " to " + outputFrames
                + " frames and flattened, " + shape();
    }

    @Override
    public void close() {
        // nothing to free
    }
}
