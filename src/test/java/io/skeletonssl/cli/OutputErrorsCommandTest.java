package io.skeletonssl.cli;

import io.skeletonssl.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** One-line errors that name the user's paths and flags: unwritable outputs, empty or all-bad inputs. */
class OutputErrorsCommandTest {

    @BeforeAll
    static void quiet() {
        Progress.setEnabled(false);
    }


    @Test
    void outputBelowARegularFileNamesTheOutputNotTheTemporaryFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("results"), "a file, not a folder\n");
        Path out = file.resolve("synth");
        CliTest.Result r = CliTest.run("synth", "-o", out.toString(), "--preset", "small", "-j", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: cannot create output folder " + out + ": " + file
                + " is a file, not a folder");
        assertThat(file).hasContent("a file, not a folder");
    }

    @Test
    void outputInAReadOnlyFolderNamesTheOutput(@TempDir Path dir) throws IOException {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "permissions are not enforced (running as root)");
            Path out = ro.resolve("out");
            CliTest.Result r = CliTest.run("synth", "-o", out.toString(), "--preset", "small", "-j", "1");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip()).isEqualTo("error: cannot create output folder " + out + ": parent " + ro
                    + " is not writable");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void emptyNtuRawFolderSaysNoSkeletonFilesWereFoundThere(@TempDir Path dir) throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("README"), "nothing\n");
        CliTest.Result r = CliTest.run("prepare", "-f", "ntu-raw", "--protocol", "ntu60-xsub", "-i", raw.toString(),
                "-o", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no NTU .skeleton files found in " + raw);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void emptyMsrFolderNamesTheFolderAndMissingListNamesTheFlag(@TempDir Path dir) throws IOException {
        Path msr = Files.createDirectories(dir.resolve("msr"));
        CliTest.Result empty = CliTest.run("prepare", "-f", "msr-action3d", "-i", msr.toString(),
                "-o", dir.resolve("out").toString());
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).contains("no MSR Action3D sequence files").contains(msr.toString())
                .doesNotContain("cvpr12Only");
        Files.writeString(msr.resolve("a01_s01_e01_skeleton3D.txt"), "1 2 3 1\n");
        CliTest.Result noList = CliTest.run("prepare", "-f", "msr-action3d", "-i", msr.toString(),
                "-o", dir.resolve("out").toString());
        assertThat(noList.code()).isEqualTo(1);
        assertThat(noList.err()).contains("--all-files").doesNotContain("cvpr12Only");
    }

    @Test
    void allBadNtuFilesRepeatTheReasons(@TempDir Path dir) throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("S001C001P001R001A001.skeleton"), "2\n1\n");
        Files.writeString(raw.resolve("S001C001P002R001A002.skeleton"), "not a number\n");
        CliTest.Result r = CliTest.run("prepare", "-f", "ntu-raw", "--protocol", "ntu60-xsub", "-i", raw.toString(),
                "-o", dir.resolve("out").toString(), "-j", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no usable samples").contains("2 skipped")
                .contains("S001C001P001R001A001: ").contains("S001C001P002R001A002: ");
        assertThat(r.err().lines().filter(l -> l.startsWith("error:"))).hasSize(1);
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
