package io.skeletonssl.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicDirectoryTest {

    /** The pid of a process that has run and exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return pid;
    }

    private static Path partialWithMarker(Path parent, String name, String suffix, AtomicDirectory.Owner owner)
            throws IOException {
        Path p = Files.createDirectories(parent.resolve("." + name + ".partial-" + suffix));
        Files.writeString(p.resolve("data.npy"), "half written");
        if (owner != null) {
            Files.writeString(p.resolve(AtomicDirectory.OWNER_FILE), owner.text());
        }
        return p;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitMovesIntoPlaceWithoutTheOwnerMarker(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out");
        try (AtomicDirectory d = AtomicDirectory.create(target, false)) {
            assertThat(d.temp().getFileName().toString()).matches("\\.out\\.partial-[0-9a-f]{8}");
            assertThat(Files.readString(d.temp().resolve(AtomicDirectory.OWNER_FILE)))
                    .contains("pid=" + ProcessHandle.current().pid());
            Files.writeString(d.temp().resolve("a.txt"), "A");
            d.commit();
        }
        assertThat(names(dir)).containsExactly("out");
        assertThat(names(target)).containsExactly("a.txt");
        // replacing: the previous version goes, no .old-* folder stays
        try (AtomicDirectory d = AtomicDirectory.create(target, true)) {
            Files.writeString(d.temp().resolve("b.txt"), "B");
            d.commit();
        }
        assertThat(names(dir)).containsExactly("out");
        assertThat(names(target)).containsExactly("b.txt");
    }

    /**
     * A process killed by SIGKILL whose parent does not reap it stays a zombie, which
     * {@link ProcessHandle#isAlive} reports as alive (seen here: a killed command's orphan under a
     * container's first process). Its partial folder must still count as stale.
     */
    @Test
    void aZombieOwnerCountsAsEnded(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        // sh starts a child that exits at once, then becomes `sleep`, which never reaps it
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 30").start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            long zombie = Long.parseLong(line.trim());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!AtomicDirectory.zombie(zombie) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(AtomicDirectory.zombie(zombie)).as("the child is a zombie").isTrue();
            assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false))
                    .as("the JDK still calls it alive").isTrue();
            assertThat(AtomicDirectory.alive(zombie)).isFalse();
            assertThat(AtomicDirectory.alive(parent.pid())).isTrue();

            Path stale = partialWithMarker(dir, "out", "0123abcd",
                    new AtomicDirectory.Owner(zombie, AtomicDirectory.Owner.hostName(), -1));
            try (AtomicDirectory d = quietly(() -> AtomicDirectory.create(dir.resolve("out"), false))) {
                assertThat(stale).doesNotExist();
                assertThat(d.temp()).exists();
            }
        } finally {
            parent.destroyForcibly();
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T quietly(IoSupplier<T> s) throws IOException {
        PrintStream oldErr = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return s.get();
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void removesStalePartialFoldersOfDeadProcessesOfThatTargetOnly(@TempDir Path dir) throws Exception {
        String host = AtomicDirectory.Owner.hostName();
        long dead = deadPid();
        Path stale = partialWithMarker(dir, "out", "0123abcd", new AtomicDirectory.Owner(dead, host, -1));
        Path foreign = partialWithMarker(dir, "out", "89abcdef", null);
        Path otherHost = partialWithMarker(dir, "out", "deadbeef", new AtomicDirectory.Owner(dead, host + "-x", -1));
        Path otherTarget = partialWithMarker(dir, "output", "0123abcd", new AtomicDirectory.Owner(dead, host, -1));
        Path oddName = partialWithMarker(dir, "out", "not-hex!", new AtomicDirectory.Owner(dead, host, -1));
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long started = sleeper.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
            Path live = partialWithMarker(dir, "out", "11111111", new AtomicDirectory.Owner(sleeper.pid(), host, started));
            Path self = partialWithMarker(dir, "out", "22222222", AtomicDirectory.Owner.current());
            // the live pid, but the marker says its process started an hour earlier: the pid was reused
            Path reused = partialWithMarker(dir, "out", "33333333",
                    new AtomicDirectory.Owner(sleeper.pid(), host, started - 3_600_000));
            Path old = Files.createDirectories(dir.resolve(".out.old-" + dead + "-0a0b0c0d"));
            Files.createDirectories(dir.resolve("out"));

            PrintStream oldErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            AtomicDirectory d;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                d = AtomicDirectory.create(dir.resolve("out"), true);
            } finally {
                System.setErr(oldErr);
            }
            try (d) {
                assertThat(stale).doesNotExist();
                assertThat(old).doesNotExist();
                if (started >= 0) {
                    assertThat(reused).doesNotExist();
                }
                assertThat(foreign).exists();
                assertThat(otherHost).exists();
                assertThat(otherTarget).exists();
                assertThat(oddName).exists();
                assertThat(live).exists();
                assertThat(self).exists();
                assertThat(d.temp()).exists();
                assertThat(err.toString(StandardCharsets.UTF_8))
                        .contains("removed stale partial folder " + stale + " (left by process " + dead + ")")
                        .doesNotContain(foreign.toString()).doesNotContain(live.toString());
            }
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void keepsOldFolderWhileTheTargetIsMissing(@TempDir Path dir) throws Exception {
        // killed between moving the previous version aside and moving the new one in: the old folder
        // is the only copy and stays
        Path old = Files.createDirectories(dir.resolve(".out.old-" + deadPid() + "-0a0b0c0d"));
        try (AtomicDirectory d = AtomicDirectory.create(dir.resolve("out"), false)) {
            assertThat(old).exists();
        }
    }

    @Test
    void abortRemovesTheFolderWhileAnotherThreadKeepsWriting(@TempDir Path dir) throws Exception {
        AtomicDirectory d = AtomicDirectory.create(dir.resolve("out"), false);
        Path temp = d.temp();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        AtomicReference<String> refusal = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(20);
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    // nested folders too: AtomicFiles creates missing parents
                    AtomicFiles.write(temp.resolve("sub" + (i % 4)).resolve("f" + i + ".txt"),
                            out -> out.write(new byte[256]));
                    try (NpyWriter w = new NpyWriter(temp.resolve("n" + (i % 4) + ".npy"), "<i4")) {
                        w.writeInt(i);
                    }
                    written.incrementAndGet();
                    started.countDown();
                } catch (IOException e) {
                    refusal.compareAndSet(null, e.getMessage());
                }
            }
        });
        writer.start();
        try {
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(d.abort()).isTrue();
            assertThat(temp).doesNotExist();
            Thread.sleep(200); // the writer is still running: nothing may come back
            assertThat(temp).doesNotExist();
            assertThat(refusal.get()).contains("out");
            assertThatThrownBy(d::commit).hasMessageContaining("abandoned");
            assertThat(dir.resolve("out")).doesNotExist();
        } finally {
            stop.set(true);
            writer.join(10_000);
            d.close();
        }
        assertThat(written.get()).isGreaterThanOrEqualTo(20);
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void commitAndAbortExcludeEachOther(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 40; i++) {
            Path target = dir.resolve("out" + i);
            AtomicDirectory d = AtomicDirectory.create(target, false);
            Files.writeString(d.temp().resolve("a.txt"), "A");
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> commitError = new AtomicReference<>();
            Thread committer = new Thread(() -> {
                try {
                    go.await();
                    d.commit();
                } catch (Throwable t) {
                    commitError.set(t);
                }
            });
            committer.start();
            go.countDown();
            if (i % 2 == 0) {
                Thread.yield();
            }
            d.abort();
            committer.join(10_000);
            assertThat(d.temp()).doesNotExist();
            if (commitError.get() == null) {
                assertThat(target.resolve("a.txt")).hasContent("A"); // the commit won and stays
            } else {
                assertThat(commitError.get()).hasMessageContaining("abandoned");
                assertThat(target).doesNotExist();
            }
            d.close();
        }
    }

    @Test
    void shownPathsNameTheTargetNotTheTemporaryFolder(@TempDir Path dir) throws IOException {
        try (AtomicDirectory outer = AtomicDirectory.create(dir.resolve("eval"), false);
             AtomicDirectory inner = AtomicDirectory.create(outer.temp().resolve("joint"), false)) {
            assertThat(AtomicDirectory.shown(inner.temp().resolve("metrics.json")))
                    .isEqualTo(dir.resolve("eval/joint/metrics.json").toAbsolutePath().normalize());
            assertThat(AtomicDirectory.shown(dir.resolve("x"))).isEqualTo(dir.resolve("x").toAbsolutePath());
            IOException e = WriteFailure.writing("checkpoint of epoch 3", outer.temp().resolve("params/0001-w.npy"),
                    new IOException("No space left on device"));
            assertThat(e).hasMessage("writing checkpoint of epoch 3 to "
                    + dir.resolve("eval/params/0001-w.npy").toAbsolutePath().normalize() + ": No space left on device");
            assertThat(e.getCause()).hasMessage("No space left on device");
        }
    }

    @Test
    void outputUnderARegularFileNamesTheUsersPath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
        Path out = file.resolve("out");
        assertThatThrownBy(() -> AtomicDirectory.create(out, true))
                .hasMessage("cannot create output folder " + out + ": " + file + " is a file, not a folder");
        Path deeper = file.resolve("a/b/out");
        assertThatThrownBy(() -> AtomicDirectory.create(deeper, true))
                .hasMessageContaining("cannot create output folder " + deeper)
                .hasMessageNotContaining(".partial-");
        assertThat(file).hasContent("a file");
    }

    @Test
    void outputInAReadOnlyFolderNamesTheUsersPath(@TempDir Path dir) throws IOException {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "permissions are not enforced (running as root)");
            Path out = ro.resolve("out");
            assertThatThrownBy(() -> AtomicDirectory.create(out, false))
                    .hasMessage("cannot create output folder " + out + ": parent " + ro + " is not writable")
                    .hasMessageNotContaining(".partial-");
            Path nested = ro.resolve("sub/out");
            assertThatThrownBy(() -> AtomicDirectory.create(nested, false))
                    .hasMessage("cannot create output folder " + nested + ": " + ro + " is not writable");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void diskFullWhileWritingNamesTheFile(@TempDir Path dir) throws IOException {
        Path full = Path.of("/dev/full");
        assumeFalse(!Files.isWritable(full), "no /dev/full on this system");
        // /dev/full fails every write with ENOSPC, as a full disk does
        assertThatThrownBy(() -> {
            try (NpyWriter w = new NpyWriter(full, "<f4", 1 << 15)) {
                w.writeRow(new float[1 << 15]);
                w.writeRow(new float[1 << 15]);
            }
        }).isInstanceOf(IOException.class).hasMessage("writing /dev/full: No space left on device");
        Path json = dir.resolve("x.json");
        assertThatThrownBy(() -> AtomicFiles.write(json, out -> {
            throw new IOException("No space left on device");
        })).hasMessage("writing " + json + ": No space left on device");
        assertThat(names(dir)).isEmpty(); // no temporary file stays
    }
}
