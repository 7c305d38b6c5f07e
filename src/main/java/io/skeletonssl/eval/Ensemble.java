package io.skeletonssl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.io.AtomicDirectory;
import io.skeletonssl.report.CodeVersion;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunCheckpoint;
import io.skeletonssl.training.RunDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Score-level ensembles of runs on different input streams (issue 5, "eval ensemble"), fused by
 * {@link ScoreFusion}. Either existing eval output folders holding {@link TestScores}
 * ({@code scoreDirs}), or checkpoints ({@code checkpoints}, e.g. joint, bone and motion pretraining
 * runs of one method) on which a {@link ScoringProtocol} is run first, each into
 * {@code OUT/<stream>/} (or {@code OUT/<index>-<stream>/} when streams repeat).
 *
 * <p>Output: {@code config.yaml} (an {@code ensemble} section), {@code metrics.json} (per member and
 * fused top-1/top-5 of the members' final-epoch scores), {@code metrics.csv} (one row per member and
 * one for the fusion) and the fused {@link TestScores}.
 */
public final class Ensemble {

    /**
     * Exactly one of {@code scoreDirs} and {@code checkpoints} is non-empty. {@code weights} null: all 1.
     * {@code shared} is needed with checkpoints only.
     */
    public record Options(List<Path> scoreDirs, List<String> checkpoints, String protocol, double[] weights,
                          ScoreFusion.Mode fuse, Path out, boolean force, ScoringProtocol.Shared shared) {
        public Options {
            scoreDirs = scoreDirs == null ? List.of() : List.copyOf(scoreDirs);
            checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
            protocol = protocol == null ? "linear" : protocol;
            fuse = fuse == null ? ScoreFusion.Mode.LOGITS : fuse;
            if (scoreDirs.isEmpty() == checkpoints.isEmpty()) {
                throw new IllegalArgumentException("give either --scores DIR (repeated) or --checkpoint RUN (repeated), "
                        + "not both and not neither");
            }
            int n = scoreDirs.size() + checkpoints.size();
            if (n < 2) {
                throw new IllegalArgumentException("an ensemble needs at least two members, got " + n);
            }
            if (weights != null && weights.length != n) {
                throw new IllegalArgumentException("--weights has " + weights.length + " values for " + n
                        + " members: give one per member, in order");
            }
            if (!checkpoints.isEmpty() && shared == null) {
                throw new IllegalArgumentException("--checkpoint members need --data");
            }
        }

        int members() {
            return scoreDirs.size() + checkpoints.size();
        }
    }

    /** One member's or the fusion's numbers (percent). */
    public record Member(String name, String source, double weight, double top1, double top5) {
    }

    public record Result(Path out, List<Member> members, double fusedTop1, double fusedTop5, int topK, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream log;

    public Ensemble(PrintStream log) {
        this.log = log;
    }

    public Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        double[] weights = o.weights() != null ? o.weights().clone() : filled(o.members());
        ScoringProtocol protocol = o.checkpoints().isEmpty() ? null
                : ScoringProtocol.of(o.protocol(), o.shared(), log);
        List<String> names = o.checkpoints().isEmpty() ? folderNames(o.scoreDirs()) : streamNames(o);
        try (AtomicDirectory dir = AtomicDirectory.create(o.out(), o.force())) {
            List<Path> folders = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < o.members(); i++) {
                if (protocol == null) {
                    folders.add(o.scoreDirs().get(i));
                    sources.add(o.scoreDirs().get(i).toString());
                } else {
                    String ckpt = o.checkpoints().get(i);
                    log.printf("ensemble member %d/%d (%s): %s %s%n", i + 1, o.members(), names.get(i), o.protocol(), ckpt);
                    protocol.run(ckpt, dir.temp().resolve(names.get(i)));
                    folders.add(dir.temp().resolve(names.get(i)));
                    sources.add(ckpt);
                }
            }
            List<TestScores> scores = new ArrayList<>();
            for (Path f : folders) {
                scores.add(TestScores.read(f));
            }
            TestScores fused = ScoreFusion.fuse(scores, sources, weights, o.fuse());
            int k = Math.min(5, fused.classes());
            List<Member> members = new ArrayList<>();
            RunDirectory run = RunDirectory.open(dir.temp());
            for (int i = 0; i < scores.size(); i++) {
                members.add(new Member(names.get(i), sources.get(i), weights[i], ScoreFusion.topK(scores.get(i), 1),
                        ScoreFusion.topK(scores.get(i), k)));
            }
            Member all = new Member("fused", o.fuse().name().toLowerCase(Locale.ROOT), Double.NaN,
                    ScoreFusion.topK(fused, 1), ScoreFusion.topK(fused, k));
            for (Member m : members) {
                run.appendMetrics(row(m));
            }
            run.appendMetrics(row(all));
            fused.write(dir.temp());
            List<JsonNode> memberMetrics = new ArrayList<>();
            for (Path f : folders) {
                memberMetrics.add(readMetrics(f));
            }
            run.writeConfig(config(o, names, sources, weights));
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.writeMetricsJson(metrics(o, members, all, k, memberMetrics, fused, seconds));
            dir.commit();
            log.print(table(members, all, k, o.fuse()));
            return new Result(dir.target(), List.copyOf(members), all.top1(), all.top5(), k, seconds);
        }
    }

    private static double[] filled(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return w;
    }

    /** Member names from the folders' names, made unique by their position when they repeat. */
    static List<String> folderNames(List<Path> dirs) {
        List<String> raw = new ArrayList<>();
        for (Path d : dirs) {
            Path name = d.toAbsolutePath().normalize().getFileName();
            raw.add(name == null ? "scores" : name.toString());
        }
        return uniqueOrIndexed(raw);
    }

    /** Member names from the checkpoints' input streams ({@code pretrain.stream}); indices when they repeat. */
    static List<String> streamNames(Options o) throws IOException {
        List<String> raw = new ArrayList<>();
        for (String c : o.checkpoints()) {
            JsonNode tree = c.equals(Encoders.RANDOM)
                    ? ConfigTree.resolve(requirePreset(o), null, o.shared().sets())
                    : RunCheckpoint.locate(Path.of(c), null).config();
            raw.add(tree.path("pretrain").path("stream").asText("joint"));
        }
        return uniqueOrIndexed(raw);
    }

    private static String requirePreset(Options o) {
        if (o.shared().preset() == null) {
            throw new IllegalArgumentException("--checkpoint random needs --preset (the model to initialise)");
        }
        return o.shared().preset();
    }

    private static List<String> uniqueOrIndexed(List<String> raw) {
        Set<String> seen = new HashSet<>();
        for (String s : raw) {
            if (!seen.add(s)) {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < raw.size(); i++) {
                    out.add((i + 1) + "-" + raw.get(i));
                }
                return out;
            }
        }
        return raw;
    }

    private static JsonNode readMetrics(Path folder) throws IOException {
        Path f = folder.resolve(RunDirectory.METRICS_JSON);
        return Files.isRegularFile(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
    }

    private static Map<String, Object> row(Member m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("member", m.name());
        r.put("weight", m.weight());
        r.put("top1", m.top1());
        r.put("top5", m.top5());
        return r;
    }

    private static ObjectNode config(Options o, List<String> names, List<String> sources, double[] weights) {
        ObjectNode tree = JSON.createObjectNode();
        ObjectNode e = tree.putObject("ensemble");
        e.put("protocol", o.checkpoints().isEmpty() ? "scores" : o.protocol());
        e.put("fuse", o.fuse().name().toLowerCase(Locale.ROOT));
        var members = e.putArray("members");
        for (int i = 0; i < names.size(); i++) {
            members.addObject().put("name", names.get(i)).put("source", sources.get(i)).put("weight", weights[i]);
        }
        if (o.shared() != null) {
            ScoringProtocol.Shared s = o.shared();
            e.put("preset", s.preset());
            var sets = e.putArray("sets");
            s.sets().forEach(sets::add);
            e.put("data", s.data().toAbsolutePath().normalize().toString());
            e.put("val_fraction", s.valFraction());
        }
        return tree;
    }

    private static Map<String, Object> metrics(Options o, List<Member> members, Member fused, int k,
                                               List<JsonNode> memberMetrics, TestScores scores, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "ensemble");
        m.put("member_protocol", o.checkpoints().isEmpty() ? commonText(memberMetrics, "protocol") : o.protocol());
        m.put("method", commonText(memberMetrics, "method"));
        m.put("code_version", CodeVersion.current());
        m.put("environment", MachineInfo.current().toMap());
        m.put("checkpoint", o.checkpoints().isEmpty() ? texts(memberMetrics, "checkpoint") : o.checkpoints());
        m.put("dataset", commonText(memberMetrics, "dataset"));
        m.put("train_split", commonText(memberMetrics, "train_split"));
        m.put("test_split", commonText(memberMetrics, "test_split"));
        String seed = commonText(memberMetrics, "seed");
        m.put("seed", seed.matches("-?\\d+") ? (Object) Long.parseLong(seed) : seed);
        m.put("classes", scores.classes());
        m.put("test_clips", scores.size());
        m.put("fuse", o.fuse().name().toLowerCase(Locale.ROOT));
        m.put("fuse_note", o.fuse() == ScoreFusion.Mode.LOGITS
                ? "weighted sum of the members' final-epoch raw scores (logits)"
                : "weighted sum of the members' final-epoch softmax probabilities");
        m.put("final_top1", fused.top1());
        m.put("final_top5", fused.top5());
        m.put("top5_k", k);
        m.put("accuracy_unit", "percent");
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member mb = members.get(i);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", mb.name());
            e.put("source", mb.source());
            e.put("weight", mb.weight());
            e.put("final_top1", mb.top1());
            e.put("final_top5", mb.top5());
            e.put("method", memberMetrics.get(i).path("method").asText(""));
            list.add(e);
        }
        m.put("members", list);
        m.put("seconds", seconds);
        return m;
    }

    /** The members' common value of {@code key}, or "mixed: a, b" when they differ ("" when none has it). */
    private static String commonText(List<JsonNode> metrics, String key) {
        Set<String> values = new LinkedHashSet<>(texts(metrics, key));
        values.remove("");
        return values.size() <= 1 ? values.stream().findFirst().orElse("") : "mixed: " + String.join(", ", values);
    }

    private static List<String> texts(List<JsonNode> metrics, String key) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : metrics) {
            out.add(n.path(key).asText(""));
        }
        return out;
    }

    static String table(List<Member> members, Member fused, int k, ScoreFusion.Mode mode) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nensemble (%s fusion; final-epoch scores, %%)%n"
                + "%-16s %7s %9s %9s%n", mode.name().toLowerCase(Locale.ROOT), "member", "weight", "top-1", "top-" + k));
        for (Member m : members) {
            b.append(String.format(Locale.ROOT, "%-16s %7.3f %9.2f %9.2f%n", m.name(), m.weight(), m.top1(), m.top5()));
        }
        b.append(String.format(Locale.ROOT, "%-16s %7s %9.2f %9.2f%n", "fused", "", fused.top1(), fused.top5()));
        return b.toString();
    }
}
