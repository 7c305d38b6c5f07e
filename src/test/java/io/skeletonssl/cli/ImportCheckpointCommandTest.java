package io.skeletonssl.cli;

import io.skeletonssl.formats.torch.TorchFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ImportCheckpointCommandTest {

    @Test
    void importsFromTheCommandLineWithOneLineErrors(@TempDir Path dir) {
        String pth = TorchFixtures.file("mamp_tiny.pth").toString();
        CliTest.Result help = CliTest.run("import-checkpoint", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage:", "--from", "mamp-official", "FILE.pth", "--preset", "--set");
        assertThat(CliTest.run("--help").out()).contains("import-checkpoint");

        Path out = dir.resolve("run");
        CliTest.Result r = CliTest.run("import-checkpoint", "--from", "mamp-official", pth, "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 51 parameter tensors (epoch 399; model dim 8, depth 2, heads 2",
                "0 missing, 0 unexpected");
        assertThat(out.resolve("checkpoint-399").resolve("checkpoint.json")).isRegularFile();
        assertThat(out.resolve("config.yaml")).isRegularFile();
        assertThat(out.resolve("import-report.json")).isRegularFile();

        CliTest.Result again = CliTest.run("import-checkpoint", "--from", "mamp-official", pth, "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("error: ").contains("already exists");

        CliTest.Result resume = CliTest.run("pretrain", "--out", out.toString(), "--resume");
        assertThat(resume.code()).isEqualTo(1);
        assertThat(resume.err()).startsWith("error: ").contains("no optimizer state").doesNotContain("\tat ");

        CliTest.Result badFrom = CliTest.run("import-checkpoint", "--from", "pcm3-official", pth, "--out",
                dir.resolve("x").toString());
        assertThat(badFrom.code()).isEqualTo(1);
        assertThat(badFrom.err()).contains("unknown --from 'pcm3-official'", "accepted: mamp-official");

        CliTest.Result evil = CliTest.run("import-checkpoint", "--from", "mamp-official",
                TorchFixtures.file("evil_system.pth").toString(), "--out", dir.resolve("e").toString());
        assertThat(evil.code()).isEqualTo(1);
        assertThat(evil.err()).startsWith("error: ").contains("forbidden class posix.system");
        assertThat(evil.err().strip().lines()).hasSize(1);
        assertThat(dir.resolve("e")).doesNotExist();

        CliTest.Result legacy = CliTest.run("import-checkpoint", "--from", "mamp-official",
                TorchFixtures.file("legacy.pth").toString(), "--out", dir.resolve("l").toString());
        assertThat(legacy.code()).isEqualTo(1);
        assertThat(legacy.err()).contains("legacy (non-zip)");

        CliTest.Result wrong = CliTest.run("import-checkpoint", "--from", "mamp-official", pth, "--out",
                dir.resolve("w").toString(), "--preset", "mamp-ntu60-xsub");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("parameter temp_embed has shape (1, 2, 1, 8)", "expects (1, 30, 1, 256)");
    }
}
