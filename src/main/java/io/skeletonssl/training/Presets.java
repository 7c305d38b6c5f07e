package io.skeletonssl.training;

import java.util.List;

/** Names of the built-in presets under {@code src/main/resources/presets/}. */
public final class Presets {

    /** MAMP: the six official configurations (§2.7, §2.11) and a provisional small CPU preset. */
    public static final List<String> BUILT_IN = List.of(
            "mamp-ntu60-xsub", "mamp-ntu60-xview", "mamp-ntu120-xsub", "mamp-ntu120-xset",
            "mamp-pku1", "mamp-pku2", "mamp-small");

    private Presets() {
    }
}
