package io.skeletonssl.formats.pku;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PKU-MMD video name says. Phase I names are {@code 0002-L} (video id, view), phase II names
 * {@code A01N03-M} (a sequence number A, subject N, view). Views L, M, R are 1, 2, 3 (as
 * {@link io.skeletonssl.formats.Protocol.Ids#PKU_VIEW_L}). Unknown parts are -1; a name of
 * neither form is still accepted (phase 0) so that split files can place it.
 *
 * @param name     the video name without ".txt"
 * @param phase    1, 2, or 0 when the name has neither form
 * @param videoId  the phase-I video number, else -1
 * @param sequence the phase-II A number, else -1 (its meaning is not documented, so it is not
 *                 stored in the sample metadata)
 * @param subject  the phase-II N number, else -1 (phase-I names carry no subject)
 * @param view     1 (L), 2 (M), 3 (R), or -1
 */
public record PkuVideo(String name, int phase, int videoId, int sequence, int subject, int view) {

    private static final Pattern PHASE1 = Pattern.compile("(\\d+)-([LMR])");
    private static final Pattern PHASE2 = Pattern.compile("A(\\d+)N(\\d+)-([LMR])");
    private static final Pattern VIEW = Pattern.compile(".*-([LMR])");

    public static PkuVideo parse(String name) {
        Matcher m = PHASE1.matcher(name);
        if (m.matches()) {
            return new PkuVideo(name, 1, Integer.parseInt(m.group(1)), -1, -1, view(m.group(2)));
        }
        m = PHASE2.matcher(name);
        if (m.matches()) {
            return new PkuVideo(name, 2, -1, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    view(m.group(3)));
        }
        m = VIEW.matcher(name);
        return new PkuVideo(name, 0, -1, -1, -1, m.matches() ? view(m.group(1)) : -1);
    }

    private static int view(String letter) {
        return "LMR".indexOf(letter.charAt(0)) + 1;
    }
}
