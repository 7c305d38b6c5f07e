package io.skeletonssl.training;

import java.util.List;

/** Names of the built-in presets under {@code src/main/resources/presets/}. */
public final class Presets {

    /** MAMP: the six official configurations (§2.7, §2.11); PCM3: five (§3.11); each with a small CPU preset. */
    public static final List<String> BUILT_IN = List.of(
            "mamp-ntu60-xsub", "mamp-ntu60-xview", "mamp-ntu120-xsub", "mamp-ntu120-xset",
            "mamp-pku1", "mamp-pku2", "mamp-small", "mamp-cpu",
            "pcm3-ntu60-xsub", "pcm3-ntu60-xview", "pcm3-ntu120-xsub", "pcm3-ntu120-xset", "pcm3-pku2-xsub",
            "pcm3-small", "pcm3-cpu");

    private Presets() {
    }
}
