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

    private final SyntheticGenerator generator;
    private final Info info;

    public SyntheticSource(SynthConfig config) {
        this.generator = new SyntheticGenerator(config);
        this.info = new Info("synthetic", Layouts.ntu25(), 2, config.maxFrames(), config.classes(),
                generator.classNames(), config.toOptions());
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
        return generator.size();
    }

    @Override
    public Iterator<Unit> units() {
        return Units.map(IntStream.range(0, generator.size()).iterator(),
                index -> Units.of(generator.name(index), () -> List.of(generator.generate(index))));
    }
}
