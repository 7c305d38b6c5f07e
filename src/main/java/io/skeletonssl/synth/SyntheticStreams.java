package io.skeletonssl.synth;

import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;
import io.skeletonssl.dataset.StreamSample;

import java.util.ArrayList;
import java.util.List;

/**
 * Untrimmed synthetic recordings for action detection: stream {@code s} is one subject, seen from
 * one camera, performing {@code actionsPerStream} different single-person classes one after the
 * other. Each action is the generator's own clip (its idle frames before and after the action are
 * background), and consecutive clips are joined by {@code transitionFrames} frames that move
 * linearly from the last pose of one clip to the first pose of the next (background too: the
 * performer walks back to the mark). Only single-person classes are used, so person 2 stays empty
 * and no body jumps between person slots. Deterministic: stream {@code s} depends only on (seed, s).
 *
 * <p>Stream s has subject {@code s mod subjects + 1}, view {@code (s div subjects) mod 3 + 1}, so
 * a subject-based protocol splits streams like the clips.
 */
public final class SyntheticStreams {

    private static final long TAG_STREAM = 0x57AEL;

    private final SyntheticGenerator generator;
    private final int streams;
    private final int actionsPerStream;
    private final int transitionFrames;
    private final int[] singlePersonClasses;

    public SyntheticStreams(SyntheticGenerator generator, int streams, int actionsPerStream, int transitionFrames) {
        this.generator = generator;
        this.streams = streams;
        this.actionsPerStream = actionsPerStream;
        this.transitionFrames = transitionFrames;
        this.singlePersonClasses = generator.classes().stream().filter(c -> !c.twoPerson())
                .mapToInt(ActionClass::label).toArray();
        if (streams < 0 || transitionFrames < 0) {
            throw new IllegalArgumentException("synthetic streams: count and transition frames must be >= 0, got "
                    + streams + " and " + transitionFrames);
        }
        if (streams > 0 && (actionsPerStream < 1 || actionsPerStream > singlePersonClasses.length)) {
            throw new IllegalArgumentException("synthetic streams: actions per stream must be 1.."
                    + singlePersonClasses.length + " (the single-person classes among the " + generator.classes().size()
                    + " used), got " + actionsPerStream);
        }
    }

    public int size() {
        return streams;
    }

    /** e.g. {@code STREAM0003P005C002}. */
    public String name(int s) {
        return String.format("STREAM%04dP%03dC%03d", s, subject(s), view(s));
    }

    private int subject(int s) {
        return s % generator.config().subjects() + 1;
    }

    private int view(int s) {
        return (s / generator.config().subjects()) % SynthConfig.VIEWS + 1;
    }

    /** The classes of stream {@code s}, in order: distinct, drawn from the single-person classes. */
    int[] classesOf(int s) {
        Rng r = Rng.of(generator.config().seed(), TAG_STREAM, s);
        int[] pool = singlePersonClasses.clone();
        for (int i = 0; i < actionsPerStream; i++) { // partial Fisher-Yates
            int j = i + r.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return java.util.Arrays.copyOf(pool, actionsPerStream);
    }

    /** Generates stream {@code s}. */
    public StreamSample generate(int s) {
        if (s < 0 || s >= streams) {
            throw new IndexOutOfBoundsException("synthetic stream " + s + " outside 0.." + (streams - 1));
        }
        int rep = (s / (generator.config().subjects() * SynthConfig.VIEWS)) % generator.config().repetitions() + 1;
        List<Sample> clips = new ArrayList<>();
        List<StreamSample.Segment> segments = new ArrayList<>();
        int total = 0;
        for (int label : classesOf(s)) {
            int index = generator.index(subject(s), view(s), rep, label);
            Sample clip = generator.generate(index);
            SyntheticGenerator.Performance p = generator.performance(index);
            total += clips.isEmpty() ? 0 : transitionFrames;
            segments.add(new StreamSample.Segment(label, total + p.idleBefore(), total + p.idleBefore() + p.active()));
            clips.add(clip);
            total += clip.frames();
        }
        float[] data = concatenate(clips, total);
        String name = name(s);
        SampleMeta meta = new SampleMeta(name, subject(s), view(s), -1, rep, name,
                "synthetic:seed=" + generator.config().seed() + "#stream" + s);
        return new StreamSample(data, total, SyntheticGenerator.JOINTS, SyntheticGenerator.PERSONS,
                StreamSample.frameLabels(total, segments), segments, meta, null);
    }

    private float[] concatenate(List<Sample> clips, int total) {
        int plane = SyntheticGenerator.JOINTS * SyntheticGenerator.PERSONS;
        float[] out = new float[3 * total * plane];
        int at = 0;
        Sample previous = null;
        for (Sample clip : clips) {
            if (previous != null) {
                for (int i = 0; i < transitionFrames; i++) {
                    float w = (i + 1f) / (transitionFrames + 1f);
                    for (int c = 0; c < 3; c++) {
                        int a = (c * previous.frames() + previous.frames() - 1) * plane;
                        int b = (c * clip.frames()) * plane;
                        int o = (c * total + at + i) * plane;
                        for (int k = 0; k < plane; k++) {
                            out[o + k] = (1 - w) * previous.data()[a + k] + w * clip.data()[b + k];
                        }
                    }
                }
                at += transitionFrames;
            }
            for (int c = 0; c < 3; c++) {
                System.arraycopy(clip.data(), c * clip.frames() * plane, out, (c * total + at) * plane,
                        clip.frames() * plane);
            }
            at += clip.frames();
            previous = clip;
        }
        return out;
    }
}
