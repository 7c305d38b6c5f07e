package io.skeletonssl.dataset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.skeletonssl.layout.SkeletonLayout;

import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a prepared dataset folder: what it holds and how it was made.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param name          dataset name (free text)
 * @param layout        the full skeleton layout, so custom layouts travel with the data
 * @param channels      C (3)
 * @param maxFrames     T of the clip arrays
 * @param joints        V
 * @param persons       M
 * @param numClasses    number of action classes
 * @param classNames    class names (may be generic)
 * @param splits        per split: kind, count, class counts, files
 * @param source        input format, path, pipeline, protocol
 * @param options       the options the data was prepared with
 * @param skipped       samples that were left out, with the reason
 * @param warnings      things a user should know (e.g. truncated sequences)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int formatVersion, String name, SkeletonLayout layout, int channels, int maxFrames,
                       int joints, int persons, int numClasses, List<String> classNames,
                       Map<String, SplitInfo> splits, Map<String, Object> source, Map<String, Object> options,
                       List<Skipped> skipped, List<String> warnings, String created) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "manifest.json";

    /** Kind of a split: trimmed clips (N,C,T,V,M) or untrimmed streams (concatenated frames). */
    public enum Kind { clips, streams }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SplitInfo(Kind kind, int count, long totalFrames, int[] classCounts, List<String> files) {
    }

    /** A left-out sample: its name, the split it would have gone to (or null) and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Skipped(String name, String reason) {
    }
}
