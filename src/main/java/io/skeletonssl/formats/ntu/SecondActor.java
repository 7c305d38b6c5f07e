package io.skeletonssl.formats.ntu;

import java.util.Locale;

/**
 * What the MAMP (CTR-GCN) pipeline writes into the second-actor slot of a sequence that ends up
 * with a single actor (spec §1.1, step C "align"): the two official scripts differ.
 */
public enum SecondActor {
    /** Zeros, as MAMP:data/ntu/seq_transformation.py (NTU-60). */
    ZERO,
    /** A copy of actor 1, as MAMP:data/ntu120/seq_transformation.py (NTU-120). */
    DUPLICATE;

    /** The official choice for a dataset of {@code numClasses} classes: 120 → DUPLICATE, else ZERO. */
    public static SecondActor officialFor(int numClasses) {
        return numClasses > 60 ? DUPLICATE : ZERO;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SecondActor parse(String id) {
        for (SecondActor a : values()) {
            if (a.id().equalsIgnoreCase(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown second-actor mode '" + id + "': expected zero or duplicate");
    }
}
