package io.skeletonssl.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTreeTest {

    record Model(int dim, int decoderDepth, double[] betas) {
    }

    record Train(double lr, int epochs) {
    }

    record Tiny(String name, Model model, Train train) {
    }

    @TempDir
    Path tmp;

    @Test
    void presetFileAndSetsMergeInOrderAndBind() throws IOException {
        Path user = Files.writeString(tmp.resolve("user.yaml"), "model:\n  dim: 32\ntrain:\n  epochs: 9\n");
        ObjectNode tree = ConfigTree.resolve("test-tiny", user, List.of("train.epochs=11", "model.betas=[0.5, 0.6]", "name=123"));
        Tiny t = ConfigTree.bind(tree, Tiny.class, "test");
        assertThat(t.model().dim()).isEqualTo(32);               // from the file
        assertThat(t.model().decoderDepth()).isEqualTo(2);       // from the preset, snake_case → camelCase
        assertThat(t.train().epochs()).isEqualTo(11);            // --set wins over the file
        assertThat(t.train().lr()).isEqualTo(1e-3);
        assertThat(t.model().betas()).containsExactly(0.5, 0.6);
        assertThat(t.name()).isEqualTo("123");                   // strings stay strings
        Tiny plain = ConfigTree.bind(ConfigTree.preset("test-tiny"), Tiny.class, "preset test-tiny");
        assertThat(plain.model().dim()).isEqualTo(16);
        assertThat(plain.train().epochs()).isEqualTo(4);
    }

    @Test
    void unknownKeysNameTheKeyAndTheSource() throws IOException {
        Path user = Files.writeString(tmp.resolve("user.yaml"), "model:\n  dpeth: 3\n");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", user, List.of()))
                .hasMessageContaining(user.toString())
                .hasMessageContaining("unknown key 'model.dpeth'")
                .hasMessageContaining("[dim, decoder_depth, betas]");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", null, List.of("train.lrr=0.1")))
                .hasMessageContaining("--set train.lrr=0.1").hasMessageContaining("unknown key 'train.lrr'");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", null, List.of("nosuch.lr=0.1")))
                .hasMessageContaining("unknown key 'nosuch'");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", null, List.of("train")))
                .hasMessageContaining("expected key.path=value");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", null, List.of("model=3")))
                .hasMessageContaining("is a section");
        assertThatThrownBy(() -> ConfigTree.preset("nope"))
                .hasMessageContaining("unknown preset 'nope'").hasMessageContaining("mamp-small");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "model: [1, 2\n");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", bad, List.of()))
                .hasMessageContaining(bad.toString()).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigTree.resolve("test-tiny", tmp.resolve("missing.yaml"), List.of()))
                .hasMessageContaining("missing.yaml");
    }

    record Narrow(String name, Train train) {
    }

    @Test
    void bindRejectsKeysTheTypeLacksAndBadValues() throws IOException {
        assertThatThrownBy(() -> ConfigTree.bind(ConfigTree.preset("test-tiny"), Narrow.class, "preset test-tiny"))
                .hasMessageContaining("preset test-tiny").hasMessageContaining("unknown key 'model'");
        ObjectNode tree = ConfigTree.preset("test-tiny");
        ConfigTree.applySet(tree, "train.epochs=many");
        assertThatThrownBy(() -> ConfigTree.bind(tree, Tiny.class, "cfg"))
                .hasMessageContaining("cfg").hasMessageContaining("train.epochs");
    }

    // ---- the built-in presets ---------------------------------------------------------------

    @Test
    void everyPresetResourceIsListedAndThePresetsOfAMethodShareOneSchema() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/presets"))) {
            s.forEach(p -> files.add(p.getFileName().toString().replace(".yaml", "")));
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(Presets.BUILT_IN);
        Map<String, TreeSet<String>> schemas = new java.util.TreeMap<>();
        for (String name : Presets.BUILT_IN) {
            ObjectNode tree = ConfigTree.preset(name);
            TreeSet<String> keys = new TreeSet<>();
            leafKeys(tree, "", keys);
            keys.removeIf(k -> k.startsWith("demo.")); // the demo's sizes belong to the small presets alone
            String method = tree.path("method").asText();
            assertThat(name).as("preset names start with their method").startsWith(method + "-");
            TreeSet<String> schema = schemas.computeIfAbsent(method, m -> keys);
            assertThat(keys).as(name).isEqualTo(schema);
        }
        assertThat(schemas).containsOnlyKeys("mamp", "pcm3");
    }

    private static void leafKeys(JsonNode n, String prefix, TreeSet<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                leafKeys(e.getValue(), prefix + e.getKey() + ".", out);
            } else {
                out.add(prefix + e.getKey());
            }
        }
    }

    private static double d(JsonNode tree, String path) {
        JsonNode n = tree;
        for (String p : path.split("\\.")) {
            n = n.get(p);
            assertThat(n).as(path).isNotNull();
        }
        return n.asDouble();
    }

    @Test
    void officialPresetsHoldTheSpecValues() throws IOException {
        for (String name : List.of("mamp-ntu60-xsub", "mamp-ntu60-xview", "mamp-ntu120-xsub", "mamp-ntu120-xset",
                "mamp-pku1", "mamp-pku2")) {
            ObjectNode t = ConfigTree.preset(name);
            assertThat(t.get("method").asText()).isEqualTo("mamp");
            assertThat(d(t, "pretrain.epochs")).as(name).isEqualTo(400);
            assertThat(d(t, "pretrain.warmup_epochs")).isEqualTo(20);
            assertThat(d(t, "pretrain.lr")).isEqualTo(1e-3);
            assertThat(d(t, "pretrain.min_lr")).isEqualTo(5e-4);
            assertThat(d(t, "pretrain.weight_decay")).isEqualTo(0.05);
            assertThat(t.at("/pretrain/betas/0").asDouble()).isEqualTo(0.9);
            assertThat(t.at("/pretrain/betas/1").asDouble()).isEqualTo(0.95);
            assertThat(d(t, "pretrain.eps")).isEqualTo(1e-8);
            assertThat(d(t, "pretrain.batch_size")).isEqualTo(128);
            assertThat(d(t, "pretrain.checkpoint_every")).isEqualTo(20);
            assertThat(d(t, "masking.ratio")).isEqualTo(0.9);
            assertThat(d(t, "data.frames")).isEqualTo(120);
            assertThat(d(t, "data.joints")).isEqualTo(25);
            assertThat(d(t, "data.persons")).isEqualTo(2);
            assertThat(d(t, "model.segment")).isEqualTo(4);
            assertThat(d(t, "model.dim")).isEqualTo(256);
            assertThat(d(t, "model.depth")).isEqualTo(8);
            assertThat(d(t, "model.heads")).isEqualTo(8);
            assertThat(d(t, "model.mlp_ratio")).isEqualTo(4);
            assertThat(d(t, "model.decoder_dim")).isEqualTo(256);
            assertThat(d(t, "model.decoder_heads")).isEqualTo(8);
            assertThat(d(t, "model.layer_norm_eps")).isEqualTo(1e-5);
            assertThat(d(t, "linear_probe.epochs")).isEqualTo(100);
            assertThat(d(t, "linear_probe.momentum")).isEqualTo(0.9);
            assertThat(d(t, "linear_probe.weight_decay")).isEqualTo(0);
            assertThat(d(t, "linear_probe.min_lr")).isEqualTo(0);
            assertThat(d(t, "linear_probe.warmup_epochs")).isEqualTo(0);
            assertThat(d(t, "linear_probe.bn_eps")).isEqualTo(1e-6);
            assertThat(d(t, "augment.crop_min")).isEqualTo(0.5);
            assertThat(d(t, "augment.min_frames")).isEqualTo(64);
            assertThat(d(t, "augment.rotation")).isEqualTo(0.3);
            assertThat(d(t, "augment.test_crop")).isEqualTo(0.95);
        }
        // §2.11 table: decoder depth, τ, linear-probe batch and lr, classes
        Object[][] table = {
            {"mamp-ntu60-xsub", 3, 0.80, 256, 0.1, 60},
            {"mamp-ntu60-xview", 3, 0.80, 256, 0.1, 60},
            {"mamp-ntu120-xsub", 5, 0.75, 256, 0.1, 120},
            {"mamp-ntu120-xset", 5, 0.75, 256, 0.1, 120},
            {"mamp-pku1", 5, 0.80, 128, 0.1, 51},
            {"mamp-pku2", 5, 0.80, 32, 0.01, 51},
        };
        for (Object[] row : table) {
            ObjectNode t = ConfigTree.preset((String) row[0]);
            assertThat(d(t, "model.decoder_depth")).as(row[0] + " decoder depth").isEqualTo((int) row[1]);
            assertThat(d(t, "masking.tau")).as(row[0] + " tau").isEqualTo((double) row[2]);
            assertThat(d(t, "linear_probe.batch_size")).as(row[0] + " probe batch").isEqualTo((int) row[3]);
            assertThat(d(t, "linear_probe.lr")).as(row[0] + " probe lr").isEqualTo((double) row[4]);
            assertThat(d(t, "data.num_classes")).as(row[0] + " classes").isEqualTo((int) row[5]);
        }
    }

    @Test
    void smallPresetIsConsistent() throws IOException {
        ObjectNode t = ConfigTree.preset("mamp-small");
        assertThat(d(t, "data.frames") % d(t, "model.segment")).isZero();
        assertThat(d(t, "model.dim") % d(t, "model.heads")).isZero();
        assertThat(d(t, "model.decoder_dim") % d(t, "model.decoder_heads")).isZero();
        assertThat(d(t, "pretrain.warmup_epochs")).isLessThan(d(t, "pretrain.epochs"));
        assertThat(d(t, "augment.min_frames")).isLessThanOrEqualTo(d(t, "data.frames"));
    }

    @Test
    void aWholeConfigFileCanServeAsThePreset(@TempDir Path dir) throws IOException {
        ObjectNode run = ConfigTree.resolve("mamp-small", null, List.of("model.dim=48"));
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, ConfigTree.toYaml(run));
        ObjectNode back = ConfigTree.resolve(file.toString(), null, List.of("model.depth=2"));
        assertThat(back.path("model").path("dim").asInt()).isEqualTo(48);
        assertThat(back.path("model").path("depth").asInt()).isEqualTo(2);
        Files.writeString(dir.resolve("partial.yaml"), "model:\n  dim: 8\n");
        assertThatThrownBy(() -> ConfigTree.preset(dir.resolve("partial.yaml").toString()))
                .hasMessageContaining("no 'method' key");
        assertThatThrownBy(() -> ConfigTree.preset(dir.resolve("absent.yaml").toString()))
                .hasMessageContaining("no such configuration file");
    }
}
