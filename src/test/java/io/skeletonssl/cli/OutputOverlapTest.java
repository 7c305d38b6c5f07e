package io.skeletonssl.cli;

import io.skeletonssl.testutil.SharedData;
import org.junit.jupiter.api.BeforeEach;
import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that writes an output folder refuses one that equals, contains or lies inside one
 * of its inputs, before touching the disk: with {@code --force} such an output used to replace (delete)
 * the input and the files beside it.
 */
class OutputOverlapTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }


    private static final String ADVICE = "choose an output folder outside the input";

    @TempDir
    Path sandbox;
    private Path raw;
    private Path data;
    private Path run;
    private Map<String, String> before;

    /** Real files the commands would read, plus unrelated files beside them. */
    @BeforeEach
    void inputs() throws IOException {
        raw = Files.createDirectories(sandbox.resolve("inputs/raw"));
        Files.writeString(raw.resolve("S001C001P001R001A001.skeleton"), "1\n");
        Files.writeString(raw.resolve("S001C001P002R001A001.skeleton"), "1\n");
        Files.writeString(sandbox.resolve("inputs/unrelated.txt"), "keep me\n");
        Files.writeString(sandbox.resolve("inputs/split.txt"), "S001C001P001R001A001\n");
        Files.writeString(sandbox.resolve("inputs/labels.txt"), "s01_e01 walk 1 10\n");
        data = Files.createDirectories(sandbox.resolve("inputs/data"));
        Files.writeString(data.resolve("manifest.json"), "{}\n");
        Files.createDirectories(data.resolve("train"));
        Files.writeString(data.resolve("train/data.npy"), "npy\n");
        run = Files.createDirectories(sandbox.resolve("runs/mamp"));
        Files.writeString(run.resolve("config.yaml"), "method: mamp\n");
        Files.createDirectories(run.resolve("checkpoint-0"));
        Files.writeString(run.resolve("checkpoint-0/checkpoint.json"), "{}\n");
        Files.createDirectories(sandbox.resolve("runs/scores"));
        Files.writeString(sandbox.resolve("runs/scores/test_scores.npy"), "npy\n");
        Files.writeString(sandbox.resolve("runs/model.pth"), "zip\n");
        before = snapshot();
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(sandbox)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(sandbox.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    /** Runs a command that must be refused with {@code message}, leaving every file as it was. */
    private void refused(String message, String... args) throws IOException {
        CliTest.Result r = CliTest.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isNotZero();
        assertThat(r.err()).as(String.join(" ", args)).contains(message).contains(ADVICE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(snapshot()).as("input files after " + String.join(" ", args)).isEqualTo(before);
        try (Stream<Path> walk = Files.walk(sandbox)) {
            assertThat(walk.map(p -> p.getFileName().toString()).filter(n -> n.contains(".partial-"))).isEmpty();
        }
    }

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void prepareRefusesAnOutputOverlappingTheInput() throws IOException {
        String[] ntu = {"prepare", "-f", "ntu-raw", "--protocol", "ntu60-xsub", "--force", "-i", s(raw)};
        refused("-o " + raw + " is the input -i " + raw, concat(ntu, "-o", s(raw)));
        Path parent = raw.getParent();
        refused("-o " + parent + " contains the input -i " + raw, concat(ntu, "-o", s(parent)));
        refused("-o " + sandbox + " contains the input -i " + raw, concat(ntu, "-o", s(sandbox)));
        refused("lies inside the input -i " + raw, concat(ntu, "-o", s(raw.resolve("prepared"))));
        // a link to the input folder is the input folder
        Path link = Files.createSymbolicLink(sandbox.resolve("link"), raw);
        refused("-o " + link + " is the input -i " + raw, concat(ntu, "-o", s(link)));
        Files.delete(link);
        // the other inputs count too
        Path out = sandbox.resolve("out");
        refused("-o " + sandbox.resolve("inputs") + " contains the input --split-file",
                "prepare", "-f", "ntu-raw", "-i", s(sandbox.resolve("elsewhere")), "--force",
                "--split-file", s(sandbox.resolve("inputs/split.txt")), "-o", s(sandbox.resolve("inputs")));
        refused("contains the input --labels " + sandbox.resolve("inputs/labels.txt"),
                "prepare", "-f", "utkinect", "-i", s(out), "--labels", s(sandbox.resolve("inputs/labels.txt")),
                "--force", "-o", s(sandbox.resolve("inputs")));
    }

    @Test
    void prepareForceOnTheParentOfRealNtuFilesKeepsThem() throws IOException {
        // the reported data loss: a conversion that succeeds, with -o the parent of -i and --force
        Path samples = SharedData.require("ntu-raw-samples");
        Path copy = Files.createDirectories(sandbox.resolve("real/raw"));
        try (Stream<Path> files = Files.list(samples)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".skeleton")).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Files.writeString(sandbox.resolve("real/notes.txt"), "unrelated\n");
        before = snapshot();
        refused("-o " + copy.getParent() + " contains the input -i " + copy, "prepare", "-f", "ntu-raw",
                "--protocol", "ntu60-xsub", "-j", "1", "-i", s(copy), "-o", s(copy.getParent()), "--force");
        CliTest.Result ok = CliTest.run("prepare", "-f", "ntu-raw", "--protocol", "ntu60-xsub", "-j", "1",
                "-i", s(copy), "-o", s(sandbox.resolve("prepared")), "--force");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(snapshot()).containsAllEntriesOf(before);
    }

    @Test
    void prepareWithADisjointOutputIsNotRefused() throws IOException {
        CliTest.Result r = CliTest.run("prepare", "-f", "ntu-raw", "--protocol", "ntu60-xsub", "-i", s(raw),
                "-o", s(sandbox.resolve("inputs/raw-prepared")), "--force");
        // the fake files are bad samples: the conversion fails, but not because of the paths
        assertThat(r.err()).doesNotContain(ADVICE);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void everyEvalProtocolRefusesAnOutputOverlappingItsInputs() throws IOException {
        List<String[]> protocols = List.of(new String[]{"linear"}, new String[]{"knn"}, new String[]{"finetune"},
                new String[]{"semi", "--ratio", "0.1"}, new String[]{"transfer"}, new String[]{"occlusion"},
                new String[]{"detection"}, new String[]{"motion-prediction"});
        for (String[] p : protocols) {
            String[] eval = concat(new String[]{"eval"}, p);
            refused("-o " + data + " is the input --data " + data,
                    concat(eval, "--checkpoint", s(run), "--data", s(data), "--out", s(data), "--force"));
            refused("-o " + data.getParent() + " contains the input --data " + data,
                    concat(eval, "--checkpoint", s(run), "--data", s(data), "-o", s(data.getParent()), "--force"));
            refused("-o " + run + " contains the input --checkpoint " + run.resolve("checkpoint-0"),
                    concat(eval, "--checkpoint", s(run.resolve("checkpoint-0")), "--data", s(data), "-o", s(run),
                            "--force"));
            refused("lies inside the input --checkpoint " + run,
                    concat(eval, "--checkpoint", s(run), "--data", s(data), "-o", s(run.resolve("eval")), "--force"));
            // 'random' is not a path, the data still is
            refused("lies inside the input --data " + data, concat(eval, "--checkpoint", "random", "--preset",
                    "mamp-small", "--data", s(data), "-o", s(data.resolve("eval")), "--force"));
        }
    }

    @Test
    void evalEnsembleRefusesOutputsOverlappingScoresOrMembers() throws IOException {
        Path scores = sandbox.resolve("runs/scores");
        refused("-o " + sandbox.resolve("runs") + " contains the input --scores " + scores,
                "eval", "ensemble", "--scores", s(scores), "--scores", s(sandbox.resolve("other")), "-o",
                s(sandbox.resolve("runs")), "--force");
        refused("-o " + run + " is the input --checkpoint " + run, "eval", "ensemble", "--checkpoint", s(run),
                "--checkpoint", "random", "--data", s(data), "-o", s(run), "--force");
        refused("is the input --data " + data, "eval", "ensemble", "--checkpoint", s(run),
                "--data", s(data), "-o", s(data), "--force");
    }

    @Test
    void evalSuiteRefusesOutputsOverlappingAnyOfItsInputs() throws IOException {
        String[] suite = {"eval", "suite", "--checkpoint", s(run), "--data", s(data)};
        refused("lies inside the input --data " + data, concat(suite, "-o", s(data.resolve("suite"))));
        refused("contains the input --checkpoint " + run, concat(suite, "-o", s(sandbox.resolve("runs"))));
        Path other = sandbox.resolve("inputs/raw");
        refused("is the input --transfer-data " + other, concat(suite, "--transfer-data", s(other), "-o", s(other)));
        refused("is the input --detection-data " + other, concat(suite, "--detection-data", s(other), "-o", s(other)));
        refused("lies inside the input --ensemble-run " + other,
                concat(suite, "--ensemble-run", s(other), "-o", s(other.resolve("suite"))));
    }

    @Test
    void embedRefusesAnOutputOverlappingItsInputs() throws IOException {
        refused("lies inside the input --data " + data, "embed", "--checkpoint", s(run), "--data", s(data),
                "-o", s(data.resolve("features.npy")), "--force");
        refused("is the input --checkpoint " + run, "embed", "--checkpoint", s(run), "--data", s(data),
                "-o", s(run), "--force");
    }

    @Test
    void importCheckpointRefusesAnOutputOverlappingItsInputs() throws IOException {
        Path pth = sandbox.resolve("runs/model.pth");
        refused("-o " + sandbox.resolve("runs") + " contains the input FILE.pth " + pth, "import-checkpoint",
                "--from", "mamp-official", s(pth), "--out", s(sandbox.resolve("runs")));
        refused("contains the input --config " + run.resolve("config.yaml"), "import-checkpoint", "--from",
                "mamp-official", s(sandbox.resolve("elsewhere.pth")), "--config", s(run.resolve("config.yaml")),
                "-o", s(run));
    }

    @Test
    void everyCommandWithForceIsGuarded() {
        List<String> unguarded = new ArrayList<>();
        collectUnguarded(new CommandLine(new Main()), unguarded);
        assertThat(unguarded).as("commands with --force and --out that do not check their inputs").isEmpty();
    }

    private static void collectUnguarded(CommandLine cmd, List<String> into) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        if (spec.findOption("--force") != null && spec.findOption("--out") != null
                && !(spec.userObject() instanceof GuardedOutput)) {
            into.add(spec.qualifiedName());
        }
        cmd.getSubcommands().values().forEach(sub -> collectUnguarded(sub, into));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
