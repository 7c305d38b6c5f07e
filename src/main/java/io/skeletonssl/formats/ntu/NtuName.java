package io.skeletonssl.formats.ntu;

import io.skeletonssl.dataset.SampleMeta;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identifiers encoded in an NTU RGB+D sample name {@code SsssCcccPpppRrrrAaaa}
 * (setup, camera, performer, replication, action; all 1-based).
 */
public record NtuName(int setup, int camera, int performer, int replication, int action) {

    /** The file extension of raw NTU skeleton files. */
    public static final String EXTENSION = ".skeleton";

    private static final Pattern NAME = Pattern.compile("S(\\d{3})C(\\d{3})P(\\d{3})R(\\d{3})A(\\d{3})");

    public NtuName {
        if (setup < 1 || camera < 1 || performer < 1 || replication < 1 || action < 1) {
            throw new IllegalArgumentException("NTU ids are 1-based: S" + setup + " C" + camera + " P" + performer
                    + " R" + replication + " A" + action);
        }
    }

    /**
     * Parses a sample name or a file name, with or without the {@code .skeleton} extension.
     *
     * @throws IllegalArgumentException if it is not of the form {@code SsssCcccPpppRrrrAaaa}
     */
    public static NtuName parse(String nameOrFile) {
        return tryParse(nameOrFile).orElseThrow(() -> new IllegalArgumentException("'" + nameOrFile
                + "' is not an NTU sample name: expected SsssCcccPpppRrrrAaaa (e.g. S001C002P003R002A013)"
                + " optionally followed by " + EXTENSION));
    }

    public static Optional<NtuName> tryParse(String nameOrFile) {
        String s = nameOrFile.endsWith(EXTENSION)
                ? nameOrFile.substring(0, nameOrFile.length() - EXTENSION.length()) : nameOrFile;
        Matcher m = NAME.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) {
            v[i] = Integer.parseInt(m.group(i + 1));
        }
        if (v[0] < 1 || v[1] < 1 || v[2] < 1 || v[3] < 1 || v[4] < 1) {
            return Optional.empty();
        }
        return Optional.of(new NtuName(v[0], v[1], v[2], v[3], v[4]));
    }

    /** The canonical name, e.g. {@code S001C002P003R002A013}. */
    public String name() {
        return String.format("S%03dC%03dP%03dR%03dA%03d", setup, camera, performer, replication, action);
    }

    /** 0-based class label (action − 1), as every official generator writes it. */
    public int label() {
        return action - 1;
    }

    /** True for samples that exist only in NTU-120 (setups 18–32 or actions 61–120). */
    public boolean ntu120Only() {
        return setup > 17 || action > 60;
    }

    /** Metadata: subject = performer, view = camera; group = the name itself. */
    public SampleMeta meta(String source) {
        String n = name();
        return new SampleMeta(n, performer, camera, setup, replication, n, source);
    }

    @Override
    public String toString() {
        return name();
    }
}
