package io.skeletonssl.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A folder built under a hidden temporary name beside its target and renamed into place at the
 * end. Until {@link #commit()}, the target is untouched; a JVM shutdown (Ctrl-C, SIGTERM) removes
 * the temporary folder, and even after SIGKILL only a {@code .NAME.partial-*} folder remains.
 */
public final class AtomicDirectory implements Closeable {

    private final Path target;
    private final Path temp;
    private final Thread cleanup;
    private boolean done;

    private AtomicDirectory(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
        this.cleanup = new Thread(() -> deleteQuietly(temp), "cleanup " + temp.getFileName());
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    public static AtomicDirectory create(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !overwrite) {
            throw new FileAlreadyExistsException(abs.toString(), null, "already exists (use --force to replace it)");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + abs.getFileName() + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(temp);
        return new AtomicDirectory(abs, temp);
    }

    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    public void commit() throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
            move(target, old);
        }
        move(temp, target);
        done = true;
        if (old != null) {
            deleteQuietly(old);
        }
        removeHook();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public void close() {
        if (!done) {
            deleteQuietly(temp);
            done = true;
            removeHook();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
