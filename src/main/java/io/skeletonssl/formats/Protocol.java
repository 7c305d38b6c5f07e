package io.skeletonssl.formats;

import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.SampleMeta;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The standard evaluation protocols: each assigns a record to "train" or "test" from its
 * metadata (spec §0.4), or to no split when the record is not part of that benchmark
 * (e.g. an NTU-120-only action under an NTU-60 protocol).
 */
public enum Protocol implements SplitAssigner {

    NTU60_XSUB("ntu60-xsub", r -> ntu60(r) ? by(Ids.NTU60_XSUB_TRAIN.contains(r.meta().subject())) : null),
    NTU60_XVIEW("ntu60-xview", r -> ntu60(r) ? by(r.meta().view() == 2 || r.meta().view() == 3) : null),
    NTU120_XSUB("ntu120-xsub", r -> by(Ids.NTU120_XSUB_TRAIN.contains(r.meta().subject()))),
    NTU120_XSET("ntu120-xset", r -> by(r.meta().setup() % 2 == 0)),
    /** PKU-MMD phase I: test videos are 0291–0334 (each view), all others train. */
    PKU1_XSUB("pku1-xsub", r -> {
        int video = Ids.pkuVideoId(r.meta().group());
        return by(video < 291 || video > 334);
    }),
    /** PKU-MMD phase II: training subjects N01, N04, N05, N06, N08, N09, N10, N11, N12, N13. */
    PKU2_XSUB("pku2-xsub", r -> by(Ids.PKU2_XSUB_TRAIN.contains(r.meta().subject()))),
    /** PKU-MMD phase II: training views M and R, test view L. */
    PKU2_XVIEW("pku2-xview", r -> by(r.meta().view() != Ids.PKU_VIEW_L)),
    MSR_XSUB("msr-xsub", r -> by(r.meta().subject() % 2 == 1)),
    UTKINECT_XSUB("utkinect-xsub", r -> by(r.meta().subject() >= 1 && r.meta().subject() <= 5));

    private final String id;
    private final Function<Record, String> rule;

    Protocol(String id, Function<Record, String> rule) {
        this.id = id;
        this.rule = rule;
    }

    public String id() {
        return id;
    }

    @Override
    public String assign(Record record) {
        return rule.apply(record);
    }

    @Override
    public List<String> splitNames() {
        return List.of("train", "test");
    }

    /** NTU-60 = actions 1–60 of setups 1–17. */
    private static boolean ntu60(Record r) {
        SampleMeta m = r.meta();
        return (m.setup() < 0 || m.setup() <= 17) && labelOf(r) < 60;
    }

    private static int labelOf(Record r) {
        return r instanceof io.skeletonssl.dataset.Sample s ? s.label() : 0;
    }

    private static String by(boolean train) {
        return train ? "train" : "test";
    }

    public static Protocol parse(String id) {
        for (Protocol p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + id + "': known protocols are "
                + Arrays.stream(values()).map(Protocol::id).collect(Collectors.joining(", "))
                + ", or give a split file with --split-file");
    }

    /** Subject, camera and setup lists of spec §0.4. */
    public static final class Ids {
        public static final Set<Integer> NTU60_XSUB_TRAIN = Set.of(
                1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19, 25, 27, 28, 31, 34, 35, 38);
        public static final Set<Integer> NTU120_XSUB_TRAIN = Set.of(
                1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19, 25, 27, 28, 31, 34, 35, 38, 45, 46, 47, 49, 50,
                52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80, 81, 82, 83, 84, 85, 86, 89, 91, 92, 93, 94, 95,
                97, 98, 100, 103);
        public static final Set<Integer> PKU2_XSUB_TRAIN = Set.of(1, 4, 5, 6, 8, 9, 10, 11, 12, 13);
        /** PKU-MMD views L, M, R are stored as view ids 1, 2, 3. */
        public static final int PKU_VIEW_L = 1;
        public static final List<Integer> NTU120_XSET_TRAIN = IntStream.rangeClosed(1, 16).map(i -> 2 * i)
                .boxed().toList();

        private Ids() {
        }

        /** The numeric id of a PKU-MMD phase-I video name such as {@code 0291-L}. */
        public static int pkuVideoId(String video) {
            String digits = video == null ? "" : video.replaceAll("^(\\d+).*$", "$1");
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a PKU-MMD phase-I video name: '" + video + "'");
            }
        }
    }
}
