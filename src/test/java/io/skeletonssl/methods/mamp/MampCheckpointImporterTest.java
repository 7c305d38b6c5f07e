package io.skeletonssl.methods.mamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.engine.Engines;
import io.skeletonssl.formats.torch.TorchArchive;
import io.skeletonssl.formats.torch.TorchFixtures;
import io.skeletonssl.formats.torch.TorchTensor;
import io.skeletonssl.models.mamp.MampModel;
import io.skeletonssl.models.mamp.MampPresets;
import io.skeletonssl.testutil.EnvironmentFacts;
import io.skeletonssl.training.Checkpoint;
import io.skeletonssl.training.HostTensor;
import io.skeletonssl.training.Pretrainer;
import io.skeletonssl.training.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MampCheckpointImporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MampCheckpointImporter.Result importFixture(String name, Path out, String preset, boolean strict,
                                                               String... sets) throws IOException {
        return new MampCheckpointImporter(new PrintStream(new ByteArrayOutputStream())).run(
                new MampCheckpointImporter.Options(TorchFixtures.file(name), out, preset, null, List.of(sets), strict));
    }

    @Test
    void importsTheOfficialLayoutBitForBitAndTheModelComputesWhatTorchComputed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        MampCheckpointImporter.Result r = importFixture("mamp_tiny.pth", out, null, true);
        assertThat(r.epoch()).isEqualTo(399);
        assertThat(r.missing()).isEmpty();
        assertThat(r.unexpected()).isEmpty();
        assertThat(r.imported()).hasSize(51);
        // sizes inferred from shapes; heads from the saved args
        assertThat(r.config().dim()).isEqualTo(8);
        assertThat(r.config().heads()).isEqualTo(2);
        assertThat(r.config().decoderDepth()).isEqualTo(1);
        assertThat(r.config().frames()).isEqualTo(8);

        Checkpoint c = RunDirectory.open(out).latest().orElseThrow();
        assertThat(c.dir().getFileName()).hasToString("checkpoint-399");
        assertThat(c.epoch()).isEqualTo(399);
        assertThat(c.hasOptimizerState()).isFalse();
        Map<String, TorchFixtures.Expected> expected = TorchFixtures.expected();
        for (String name : c.parameterShapes().keySet()) {
            HostTensor got = c.readParameter(name);
            TorchFixtures.Expected x = expected.get(name);
            if (name.equals("joints_embed.proj.weight")) {
                // official Conv2d (dim, 3, u, 1) → ours (dim, 3·u) with input index c·u + t
                assertThat(x.shape()).containsExactly(8, 3, 4, 1);
                assertThat(got.shape()).containsExactly(8, 12);
                for (int o = 0; o < 8; o++) {
                    for (int ch = 0; ch < 3; ch++) {
                        for (int t = 0; t < 4; t++) {
                            assertThat(got.data()[o * 12 + ch * 4 + t]).isEqualTo(x.values()[(o * 3 + ch) * 4 + t]);
                        }
                    }
                }
            } else {
                assertThat(got.shape()).as(name).isEqualTo(x.shape());
                assertThat(got.data()).as(name).isEqualTo(x.values());
            }
        }

        JsonNode config = RunDirectory.open(out).readConfig();
        try (NDManager m = Engines.cpu().newManager()) {
            MampModel model = new MampModel(MampPresets.fromTree(config));
            model.initializeSeeded(m, 1);
            c.loadInto(new PairList<>(model.namedParameters()), false);
            TorchFixtures.Expected in = expected.get("__input__");
            TorchFixtures.Expected feats = expected.get("__features__");
            NDArray f = model.forwardFeatures(m.create(in.values(), new Shape(in.shape())));
            assertThat(f.getShape().getShape()).isEqualTo(feats.shape());
            float[] got = f.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("feature %d", i).isCloseTo(feats.values()[i], org.assertj.core.data.Offset.offset(2e-5f));
            }
        }

        EnvironmentFacts.assertIn(out.resolve("metrics.json"));
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.path("epoch").asInt()).isEqualTo(399);
        assertThat(metrics.path("imported_from").asText()).endsWith("mamp_tiny.pth");
        JsonNode report = JSON.readTree(out.resolve(MampCheckpointImporter.REPORT).toFile());
        assertThat(report.path("inferred").path("model.heads").asText()).isEqualTo("args");
        assertThat(report.path("inferred").path("model.dim").asText()).isEqualTo("shapes");
        assertThat(report.path("not_imported_entries").toString()).contains("optimizer", "scaler");
    }

    @Test
    void bareDdpStateDictsAreUnwrappedAndHeadsComeFromTheSets(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ddp");
        MampCheckpointImporter.Result r = importFixture("mamp_tiny_ddp.pth", out, null, true,
                "model.heads=2", "model.decoder_heads=2");
        assertThat(r.epoch()).isNull();
        assertThat(r.imported()).hasSize(51).contains("blocks.0.attn.qkv.weight");
        assertThat(RunDirectory.open(out).latest().orElseThrow().epoch()).isZero();
        assertThat(JSON.readTree(out.resolve("metrics.json").toFile()).path("epoch").isNull()).isTrue();
    }

    @Test
    void missingAndUnexpectedKeysAreReportedAndStrictRefusesThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mismatch");
        // a deeper decoder and a shallower encoder than the file's
        MampCheckpointImporter.Result r = importFixture("mamp_tiny.pth", out, null, false,
                "model.depth=1", "model.decoder_depth=2");
        assertThat(r.missing()).hasSize(12).allMatch(k -> k.startsWith("decoder_blocks.1."));
        assertThat(r.unexpected()).hasSize(12).allMatch(k -> k.startsWith("blocks.1."));
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.path("missing")).hasSize(12);
        assertThat(metrics.path("unexpected")).hasSize(12);
        JsonNode report = JSON.readTree(out.resolve(MampCheckpointImporter.REPORT).toFile());
        assertThat(report.path("unexpected_shapes").path("blocks.1.attn.qkv.weight").toString()).isEqualTo("[24,8]");

        Path strict = dir.resolve("strict");
        assertThatThrownBy(() -> importFixture("mamp_tiny.pth", strict, null, true, "model.depth=1"))
                .hasMessageContaining("--strict").hasMessageContaining("blocks.1.norm1.weight");
        assertThat(strict).doesNotExist();
    }

    @Test
    void aWrongPresetIsAShapeErrorNamingTheKey(@TempDir Path dir) {
        Path out = dir.resolve("wrong");
        assertThatThrownBy(() -> importFixture("mamp_tiny.pth", out, "mamp-small", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mamp_tiny.pth").hasMessageContaining("parameter temp_embed")
                .hasMessageContaining("(1, 2, 1, 8)").hasMessageContaining("(1, 8, 1, 64)")
                .hasMessageContaining("preset mamp-small");
        assertThat(out).doesNotExist();
        // a segment of 2 frames (same token grid): the Conv2d embedding's kernel differs
        assertThatThrownBy(() -> importFixture("mamp_tiny.pth", dir.resolve("embed"), "mamp-small", false,
                "model.dim=8", "model.depth=2", "model.heads=2", "model.decoder_dim=8", "model.decoder_depth=1",
                "model.decoder_heads=2", "data.frames=4", "model.segment=2"))
                .hasMessageContaining("joints_embed.proj.weight").hasMessageContaining("(8, 3, 2, 1)");
    }

    @Test
    void explicitPresetWithTheRightSizesImports(@TempDir Path dir) throws Exception {
        MampCheckpointImporter.Result r = importFixture("mamp_tiny.pth", dir.resolve("ok"), "mamp-small", true,
                "model.dim=8", "model.depth=2", "model.heads=2", "model.decoder_dim=8", "model.decoder_depth=1",
                "model.decoder_heads=2", "data.frames=8");
        assertThat(r.basePreset()).isEqualTo("mamp-small");
        assertThat(r.imported()).hasSize(51);
    }

    @Test
    void hostileArchivesAreRefusedAndNothingIsWritten(@TempDir Path dir) {
        Path out = dir.resolve("evil");
        assertThatThrownBy(() -> importFixture("evil_eval.pth", out, null, false))
                .hasMessageContaining("forbidden class __builtin__.eval");
        assertThat(out).doesNotExist();
    }

    @Test
    void aTensorWithNonFiniteValuesIsRefusedNamingItsKeyAndNothingIsWritten(@TempDir Path dir) throws Exception {
        String key = "blocks.0.attn.qkv.weight";
        Path file = dir.resolve("poisoned.pth");
        poison(TorchFixtures.file("mamp_tiny.pth"), file, key,
                new float[] {Float.NaN, Float.NaN, Float.POSITIVE_INFINITY, Float.NaN});
        Path out = dir.resolve("run");
        assertThatThrownBy(() -> new MampCheckpointImporter(new PrintStream(new ByteArrayOutputStream())).run(
                new MampCheckpointImporter.Options(file, out, null, null, List.of(), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": tensor '" + key + "' has 4 non-finite values (3 NaN, 1 +Inf) of ")
                .hasMessageEndingWith("; the checkpoint is unusable");
        assertThat(out).doesNotExist();
        try (var left = java.nio.file.Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("poisoned.pth");
        }
    }

    /** A copy of archive {@code from} whose tensor {@code key} starts with {@code values} (float32 storage). */
    private static void poison(Path from, Path to, String key, float[] values) throws IOException {
        String storage;
        long offset;
        try (TorchArchive a = TorchArchive.open(from)) {
            TorchTensor t = (TorchTensor) OfficialCheckpoint.of(a.root(), from).stateDict().get(key);
            assertThat(t.isContiguous()).isTrue();
            assertThat(t.dtype().itemSize()).isEqualTo(4);
            storage = "/data/" + t.storage().key();
            offset = t.storageOffset();
        }
        boolean found = false;
        try (ZipFile in = new ZipFile(from.toFile());
             ZipOutputStream out = new ZipOutputStream(java.nio.file.Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes;
                try (var s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                if (e.getName().endsWith(storage)) {
                    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < values.length; i++) {
                        b.putFloat((int) (offset + i) * 4, values[i]);
                    }
                    found = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertThat(found).as("storage of " + key).isTrue();
    }

    @Test
    void anImportedRunCannotBeResumedButSaysWhy(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        importFixture("mamp_tiny.pth", out, null, false);
        Pretrainer.Options o = new Pretrainer.Options(null, null, new ArrayList<>(), dir.resolve("nodata"),
                out, true, null, 1, -1);
        assertThatThrownBy(() -> MampPretrainer.create(new PrintStream(new ByteArrayOutputStream())).run(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint-399").hasMessageContaining("no optimizer state")
                .hasMessageContaining("cannot be resumed");
    }
}
