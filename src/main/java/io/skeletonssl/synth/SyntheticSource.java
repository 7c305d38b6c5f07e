package io.skeletonssl.synth;

import io.skeletonssl.formats.SampleSource;
import io.skeletonssl.formats.Units;
import java.util.stream.IntStream;
import io.skeletonssl.layout.Layouts;

import java.util.Iterator;
import java.util.List;

/**
 * The synthetic dataset as a {@link SampleSource}: one unit per clip index, generated on the
 * converter's worker threads. Use it like any input format:
 * {@code new Converter(threads).convert(new SyntheticSource(config), Protocol.NTU60_XSUB, out, ...)}.
 */
public final class SyntheticSource implements SampleSource {

    /** Default actions per synthetic stream. */
    public static final int STREAM_ACTIONS = 4;
    /** Default transition (background) frames between the actions of a stream. */
    public static final int STREAM_TRANSITION = 20;

    private final SyntheticGenerator generator;
    private final SyntheticStreams streams;
    private final Info info;

    public SyntheticSource(SynthConfig config) {
        this(config, 0, STREAM_ACTIONS, STREAM_TRANSITION);
    }

    /**
     * The clips, then {@code streams} untrimmed streams ({@link SyntheticStreams}) of
     * {@code actionsPerStream} actions joined by {@code transitionFrames} background frames.
     */
    public SyntheticSource(SynthConfig config, int streams, int actionsPerStream, int transitionFrames) {
        this.generator = new SyntheticGenerator(config);
        this.streams = new SyntheticStreams(generator, streams, actionsPerStream, transitionFrames);
        java.util.Map<String, Object> options = config.toOptions();
        if (streams > 0) {
            options.put("streams", streams);
            options.put("streamActions", actionsPerStream);
            options.put("streamTransitionFrames", transitionFrames);
        }
        this.info = new Info("synthetic", Layouts.ntu25(), 2, config.maxFrames(), config.classes(),
                generator.classNames(), options);
    }

    public SyntheticGenerator generator() {
        return generator;
    }

    @Override
    public Info info() {
        return info;
    }

    @Override
    public long size() {
        return generator.size() + streams.size();
    }

    @Override
    public Iterator<Unit> units() {
        int clips = generator.size();
        return Units.map(IntStream.range(0, clips + streams.size()).iterator(), i -> i < clips
                ? Units.of(generator.name(i), () -> List.of(generator.generate(i)))
                : Units.of(streams.name(i - clips), () -> List.of(streams.generate(i - clips))));
    }
}
