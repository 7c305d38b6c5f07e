package io.skeletonssl.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skeletonssl.engine.MachineInfo;
import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.report.CodeVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Writes the suite's {@code report.json} (the options, provenance and every protocol's own
 * metrics.json, verbatim) and {@code REPORT.md}: one table with each protocol's headline at the
 * final epoch and its other figures, test-selected ones labelled, then what did not run and why.
 */
final class SuiteReport {

    static final String MARKDOWN = "REPORT.md";
    static final String JSON_FILE = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SuiteReport() {
    }

    static Path write(Path out, SuiteContext c, List<EvalSuite.Outcome> outcomes) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("checkpoint", c.checkpoint());
        root.put("method", c.method());
        root.put("dataset", c.data().toAbsolutePath().normalize().toString());
        root.put("train_split", c.options().trainSplit());
        root.put("test_split", c.options().testSplit());
        root.put("seed", c.options().seed());
        root.put("code_version", CodeVersion.current());
        root.set("environment", JSON.valueToTree(MachineInfo.current().toMap()));
        root.put("written", Instant.now().toString());
        root.set("options", JSON.valueToTree(c.options()));
        ArrayNode arr = root.putArray("protocols");
        for (EvalSuite.Outcome o : outcomes) {
            ObjectNode n = arr.addObject();
            n.put("id", o.id());
            n.put("title", o.title());
            n.put("status", o.status());
            if (!o.detail().isEmpty()) {
                n.put("detail", o.detail());
            }
            n.put("seconds", o.seconds());
            if (o.metrics() != null) {
                n.set("metrics", o.metrics());
            }
        }
        AtomicFiles.write(out.resolve(JSON_FILE), s -> JSON.writerWithDefaultPrettyPrinter().writeValue(s, root));
        String md = markdown(c, outcomes, root);
        Path file = out.resolve(MARKDOWN);
        AtomicFiles.write(file, s -> s.write(md.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    static String markdown(SuiteContext c, List<EvalSuite.Outcome> outcomes, JsonNode root) {
        StringBuilder b = new StringBuilder();
        b.append("# Evaluation report\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "Checkpoint", "`" + c.checkpoint() + "`");
        row(b, "Method", c.method());
        row(b, "Dataset", "`" + root.path("dataset").asText() + "`");
        row(b, "Splits", "train `" + c.options().trainSplit() + "`, test `" + c.options().testSplit() + "`");
        row(b, "Seed", Long.toString(c.options().seed()));
        row(b, "Code version", "`" + root.path("code_version").asText() + "`");
        row(b, "Machine", MachineInfo.current().summary());
        row(b, "Written", root.path("written").asText());
        b.append("\nHeadline figures are measured at the **final epoch** of each protocol. Figures marked "
                + "*test-selected* are maxima over epochs chosen on the test split, shown for comparison with "
                + "papers that report them; they are not estimates of held-out accuracy. Accuracies in percent.\n\n");
        b.append("| Protocol | Headline (final epoch) | Other figures | Time |\n|---|---|---|---|\n");
        for (EvalSuite.Outcome o : outcomes) {
            if (o.metrics() == null) {
                continue;
            }
            ProtocolSummary s = ProtocolSummary.of(o.id(), o.metrics());
            b.append("| ").append(o.title()).append(" | ").append(s.headline()).append(" | ")
                    .append(s.others().isEmpty() ? "" : String.join("; ", s.others())).append(" | ")
                    .append(o.status().equals("reused")
                            ? String.format(Locale.ROOT, "%.0f s (earlier run)", o.metrics().path("seconds").asDouble())
                            : String.format(Locale.ROOT, "%.0f s", o.seconds()))
                    .append(" |\n");
        }
        List<EvalSuite.Outcome> missing = outcomes.stream().filter(o -> o.metrics() == null).toList();
        if (!missing.isEmpty()) {
            b.append("\n## Not run\n\n");
            for (EvalSuite.Outcome o : missing) {
                b.append("- **").append(o.title()).append("**: ").append(o.status()).append(" — ")
                        .append(o.detail().replace('\n', ' ')).append('\n');
            }
        }
        b.append("\nEvery protocol's folder holds its resolved `config.yaml`, `metrics.json` and per-epoch "
                + "`metrics.csv`; `report.json` repeats all metrics with these options.\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
}
