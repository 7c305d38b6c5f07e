package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.SampleMeta;

import java.util.Map;

/** Turns one parsed raw NTU file into a {@link Sample} the way one of the official generators does. */
public interface NtuPipeline {

    /** Short id recorded in the dataset manifest ({@code mamp}, {@code pcm3}). */
    String id();

    /** The settings that make the output reproducible, for the manifest. */
    Map<String, Object> options();

    /**
     * Runs the pipeline.
     *
     * @throws BadSampleException when the file holds no usable skeleton
     */
    Sample process(NtuSkeletonFile file, SampleMeta meta, int label) throws BadSampleException;

    /** Runs the pipeline with label and metadata taken from the file's NTU name. */
    default Sample process(NtuSkeletonFile file) throws BadSampleException {
        String fileName = java.nio.file.Path.of(file.source()).getFileName().toString();
        NtuName name = NtuName.tryParse(fileName).orElseThrow(() -> new BadSampleException(fileName,
                "file name is not an NTU sample name SsssCcccPpppRrrrAaaa.skeleton"));
        return process(file, name.meta(file.source()), name.label());
    }
}
