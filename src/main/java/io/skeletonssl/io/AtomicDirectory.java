package io.skeletonssl.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder built under a hidden temporary name beside its target and renamed into place at the
 * end. Until {@link #commit()}, the target is untouched; a JVM shutdown (Ctrl-C, SIGTERM) removes
 * the temporary folder, and even after SIGKILL only a {@code .NAME.partial-*} folder remains, which
 * the next {@link #create} of the same target removes once its owner process is gone.
 *
 * <p>Each temporary folder holds an owner marker ({@value #OWNER_FILE}: pid, host, process start
 * time), removed at commit. A leftover is deleted only if it carries such a marker, belongs to the
 * same file-system user, names this host, and its process is no longer alive (or the pid now
 * belongs to a process started at another time). Folders without a marker are never touched.
 *
 * <p>Commit and abort (the shutdown hook, {@link #close()}) exclude each other: either the commit
 * completed or the temporary folder is removed. After an abort, writes through {@link AtomicFiles},
 * {@link NpyWriter} and the other writers that call {@link #requireNotAborted} fail instead of
 * recreating the folder.
 */
public final class AtomicDirectory implements Closeable {

    /** The owner marker inside every temporary folder. */
    public static final String OWNER_FILE = ".skeletonssl-owner";

    /** Open temporary folders → their targets, to show users the path they asked for. */
    private static final Map<Path, Path> OPEN = new ConcurrentHashMap<>();
    /** Aborted temporary folders → their targets; writes below them are refused. */
    private static final Map<Path, Path> ABORTED = new ConcurrentHashMap<>();
    private static final long START_TOLERANCE_MS = 1000;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final Path target;
    private final Path temp;
    private final Thread cleanup;
    private final Object lock = new Object();
    private State state = State.OPEN;

    private AtomicDirectory(Path target, Path temp) throws IOException {
        this.target = target;
        this.temp = temp;
        this.cleanup = new Thread(this::abort, "cleanup " + temp.getFileName());
        try {
            Runtime.getRuntime().addShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            throw new IOException("cannot create output folder " + target + ": the program is stopping", e);
        }
        OPEN.put(temp, target);
    }

    /**
     * Starts building {@code target} (absolute, normalised). Errors name the target, not the
     * hidden temporary folder. Stale leftovers of earlier killed attempts at the same target are
     * removed (see the class comment), with one line on stderr each.
     */
    public static AtomicDirectory create(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !overwrite) {
            throw new FileAlreadyExistsException(abs.toString(), null, "already exists (use --force to replace it)");
        }
        Path parent = abs.getParent();
        createParent(abs, parent);
        Path temp = parent.resolve("." + abs.getFileName() + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        // the hook is in place before the folder exists: a SIGTERM at any point removes it
        AtomicDirectory dir = new AtomicDirectory(abs, temp);
        try {
            dir.makeTemp();
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
        removeStale(abs, temp, System.err);
        return dir;
    }

    /** Creates the temporary folder and its owner marker, unless the hook has already run. */
    private void makeTemp() throws IOException {
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IOException("cannot create output folder " + target + ": the program is stopping");
            }
            try {
                Files.createDirectory(temp);
            } catch (AccessDeniedException e) {
                throw new IOException("cannot create output folder " + target + ": parent " + temp.getParent()
                        + " is not writable", e);
            } catch (IOException e) {
                throw new IOException("cannot create output folder " + target + ": " + WriteFailure.reason(e), e);
            }
            try {
                Files.writeString(temp.resolve(OWNER_FILE), Owner.current().text(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot create output folder " + target + ": " + WriteFailure.reason(e), e);
            }
        }
    }

    private static void createParent(Path abs, Path parent) throws IOException {
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IOException("cannot create output folder " + abs + ": " + existing + " is a file, not a folder");
        }
        try {
            Files.createDirectories(parent);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create output folder " + abs + ": " + (existing == null ? parent : existing)
                    + " is not writable", e);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + abs + ": " + WriteFailure.reason(e), e);
        }
    }

    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    /** Moves the finished folder into place, replacing an existing target; fails after an abort. */
    public void commit() throws IOException {
        Path old = null;
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IOException("cannot finish " + target + ": " + (state == State.ABORTED
                        ? "the output was abandoned (the command is stopping)" : "already committed"));
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid() + "-"
                        + UUID.randomUUID().toString().substring(0, 8));
                try {
                    move(target, old);
                } catch (IOException e) {
                    throw new IOException("replacing " + target + ": cannot move the previous version aside: "
                            + WriteFailure.reason(e), e);
                }
            }
            try {
                move(temp, target);
            } catch (IOException e) {
                if (old != null) {
                    try {
                        move(old, target); // put the previous version back
                    } catch (IOException restore) {
                        e.addSuppressed(restore);
                    }
                }
                throw new IOException("moving the finished output into place at " + target + ": "
                        + WriteFailure.reason(e), e);
            }
            state = State.COMMITTED;
            OPEN.remove(temp);
        }
        try {
            Files.deleteIfExists(target.resolve(OWNER_FILE));
        } catch (IOException ignored) {
            // a leftover hidden marker in a finished folder is harmless
        }
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

    /** Abandons the folder unless committed: as the shutdown hook, then removes the hook. */
    @Override
    public void close() {
        abort();
        removeHook();
    }

    /**
     * The shutdown hook's work, callable directly: unless the commit already happened, marks the
     * folder aborted (later writes below it fail, a commit fails) and deletes it, retrying while
     * threads that have not noticed yet recreate files in it. Returns whether the folder is gone
     * (or was committed).
     */
    boolean abort() {
        synchronized (lock) {
            if (state == State.COMMITTED) {
                return true;
            }
            if (state == State.OPEN) {
                state = State.ABORTED;
                ABORTED.put(temp, target);
                OPEN.remove(temp);
            }
        }
        return deleteUntilGone(temp);
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    /**
     * Deletes {@code dir} and checks that it stays gone for a moment; a writer that was between its
     * abort check and its write may recreate a file once, so this retries (about two seconds at most).
     */
    static boolean deleteUntilGone(Path dir) {
        int absentChecks = 0;
        for (int attempt = 0; attempt < 200 && absentChecks < 3; attempt++) {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                absentChecks = 0;
                deleteQuietly(dir);
            } else {
                absentChecks++;
            }
            if (absentChecks < 3) {
                sleep(absentChecks == 0 ? 2 : 10);
            }
        }
        return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fails if {@code path} lies in an aborted temporary folder: writers call this before creating
     * folders or files, so that a shutdown in progress is not undone by a worker thread.
     */
    public static void requireNotAborted(Path path) throws IOException {
        for (Path p = path.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path target = ABORTED.get(p);
            if (target != null) {
                throw new IOException(target + ": output abandoned (the command is stopping)");
            }
        }
    }

    /**
     * The path a user should see for {@code path}: inside an open or aborted temporary folder, the
     * same path under its target (nested folders included); any other path unchanged.
     */
    public static Path shown(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        for (int depth = 0; depth < 16; depth++) {
            Path mapped = mapOnce(abs);
            if (mapped == null) {
                return abs;
            }
            abs = mapped;
        }
        return abs;
    }

    private static Path mapOnce(Path abs) {
        for (Path p = abs; p != null; p = p.getParent()) {
            Path target = OPEN.get(p);
            if (target == null) {
                target = ABORTED.get(p);
            }
            if (target != null) {
                return target.resolve(p.relativize(abs));
            }
        }
        return null;
    }

    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
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
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort (a file vanished during the walk: the caller retries or does not care)
        }
    }

    // ---- stale leftovers ------------------------------------------------------------------------

    /**
     * Removes {@code .NAME.partial-*} folders of {@code target} left by dead processes of this user
     * on this host, and {@code .NAME.old-PID-*} folders of a finished commit (only while the target
     * exists, as the old folder may otherwise be the only copy). {@code keep} is never removed.
     */
    static void removeStale(Path target, Path keep, PrintStream log) {
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Pattern partial = Pattern.compile(Pattern.quote("." + name + ".partial-") + "[0-9a-f]{8}");
        Pattern old = Pattern.compile(Pattern.quote("." + name + ".old-") + "(\\d+)-[0-9a-f]{8}");
        UserPrincipal me;
        try {
            me = Files.getOwner(keep);
        } catch (IOException | UnsupportedOperationException e) {
            return; // cannot tell whose folders are whose: leave everything
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "." + globEscape(name) + ".*")) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (p.equals(keep) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !sameOwner(p, me)) {
                    continue;
                }
                if (partial.matcher(n).matches()) {
                    Optional<Owner> owner = Owner.read(p.resolve(OWNER_FILE));
                    if (owner.isPresent() && owner.get().isDeadHere()) {
                        deleteQuietly(p);
                        log.println("removed stale partial folder " + p + " (left by process " + owner.get().pid + ")");
                    }
                } else {
                    Matcher m = old.matcher(n);
                    if (m.matches() && Files.isDirectory(target) && !alive(Long.parseLong(m.group(1)))) {
                        deleteQuietly(p);
                        log.println("removed stale old folder " + p + " (left by process " + m.group(1) + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up after others is best effort; it must never fail this command
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static boolean sameOwner(Path p, UserPrincipal me) {
        try {
            return me.equals(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Whether {@code pid} is a running process. A killed process that its parent has not reaped yet
     * (a zombie: common in containers whose first process does not reap) counts as ended, although
     * {@link ProcessHandle#isAlive} still says it is alive.
     */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    /** Linux: the state field of {@code /proc/PID/stat} is Z (zombie) or X (dead); false elsewhere. */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')'); // the command name may itself hold spaces and parentheses
            if (close < 0 || close + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(close + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The owner marker: which process on which host built a temporary folder. */
    static final class Owner {
        final long pid;
        final String host;
        final long startMillis; // -1: unknown

        Owner(long pid, String host, long startMillis) {
            this.pid = pid;
            this.host = host;
            this.startMillis = startMillis;
        }

        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), hostName(), startMillis(self));
        }

        String text() {
            return "pid=" + pid + "\nhost=" + host + "\nstart=" + startMillis + "\n";
        }

        static Optional<Owner> read(Path file) {
            try {
                Properties p = new Properties();
                try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                String pid = p.getProperty("pid");
                String host = p.getProperty("host");
                if (pid == null || host == null) {
                    return Optional.empty();
                }
                return Optional.of(new Owner(Long.parseLong(pid.trim()), host.trim(),
                        Long.parseLong(p.getProperty("start", "-1").trim())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // no marker or not ours: never removed
            }
        }

        /** True only when certain: this host, and the pid is gone or now a process started at another time. */
        boolean isDeadHere() {
            if (!host.equals(hostName()) || pid == ProcessHandle.current().pid()) {
                return false;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !alive(pid)) {
                return true;
            }
            long started = startMillis(h.get());
            return startMillis >= 0 && started >= 0 && Math.abs(started - startMillis) > START_TOLERANCE_MS;
        }

        private static long startMillis(ProcessHandle h) {
            return h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        }

        static String hostName() {
            try {
                Path f = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(f)) {
                    String s = Files.readString(f, StandardCharsets.UTF_8).trim();
                    if (!s.isEmpty()) {
                        return s;
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // fall through
            }
            String env = System.getenv("HOSTNAME");
            if (env == null) {
                env = System.getenv("COMPUTERNAME");
            }
            return env == null || env.isBlank() ? "unknown-host" : env.trim();
        }
    }
}
