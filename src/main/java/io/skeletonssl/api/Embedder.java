package io.skeletonssl.api;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.eval.Encoders;
import io.skeletonssl.transforms.Clip;
import io.skeletonssl.transforms.Transform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sequence features from a pretrained run, for JVM applications: the frozen encoder of the run's
 * newest checkpoint behind the method's test-time transform (MAMP: centre crop of 0.95 of the
 * valid frames, resized to the model's frame count). Samples must have the run's joints and persons.
 *
 * <pre>{@code
 * try (Embedder embedder = Embedder.load(Path.of("runs/mamp-small"));
 *      SkeletonDataset ds = SkeletonDataset.open(Path.of("runs/synth"))) {
 *     float[] feature = embedder.embed(ds.clips("test").sample(0));    // featureDim() values
 *     float[][] rows = embedder.embed(List.of(ds.clips("test").sample(1), ds.clips("test").sample(2)));
 * }
 * }</pre>
 *
 * Not thread-safe: use one embedder per thread.
 */
public final class Embedder implements AutoCloseable {

    private static final int CHUNK = 64;

    private final SequenceEncoder encoder;
    private final Transform transform;

    private Embedder(SequenceEncoder encoder, Transform transform) {
        this.encoder = encoder;
        this.transform = transform;
    }

    /** Loads a pretraining run folder (its newest checkpoint) or a {@code checkpoint-E} folder. */
    public static Embedder load(Path run) throws IOException {
        Encoders.Loaded l = Encoders.fromRun(run, null);
        return new Embedder(l.encoder(), l.testTransform());
    }

    /** Loads the checkpoint of {@code epoch} of a run folder. */
    public static Embedder load(Path run, int epoch) throws IOException {
        Encoders.Loaded l = Encoders.fromRun(run, epoch);
        return new Embedder(l.encoder(), l.testTransform());
    }

    public int featureDim() {
        return encoder.featureDim();
    }

    public int joints() {
        return encoder.joints();
    }

    public int persons() {
        return encoder.persons();
    }

    /** Where the weights came from. */
    public String source() {
        return encoder.source();
    }

    /** The feature of one sample. */
    public float[] embed(Sample sample) {
        return embed(List.of(sample))[0];
    }

    /** One feature row per sample, in order. */
    public float[][] embed(List<Sample> samples) {
        float[][] out = new float[samples.size()][];
        int size = encoder.clipSize();
        for (int from = 0; from < samples.size(); from += CHUNK) {
            int n = Math.min(CHUNK, samples.size() - from);
            float[] batch = new float[n * size];
            for (int i = 0; i < n; i++) {
                System.arraycopy(prepare(samples.get(from + i)), 0, batch, i * size, size);
            }
            float[][] f = encoder.encode(batch, n);
            System.arraycopy(f, 0, out, from, n);
        }
        return out;
    }

    private float[] prepare(Sample s) {
        if (s.joints() != encoder.joints() || s.persons() != encoder.persons()) {
            throw new IllegalArgumentException("sample " + s.meta().name() + " has V=" + s.joints() + ", M=" + s.persons()
                    + "; the encoder expects V=" + encoder.joints() + ", M=" + encoder.persons());
        }
        try {
            // the test transform is deterministic; the generator is only there to satisfy the interface
            return transform.apply(Clip.of(s), new SplittableRandom(0)).data();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("sample " + s.meta().name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        encoder.close();
    }
}
