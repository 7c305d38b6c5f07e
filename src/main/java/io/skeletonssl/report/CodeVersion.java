package io.skeletonssl.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The code version every report records: the project version from the build, and, when the
 * classes run from a git checkout (the launcher's {@code target/} or an IDE), the commit and
 * whether tracked files differ from it, e.g. {@code 0.1.0-SNAPSHOT+a770d18-dirty}. Without git
 * it says {@code +unknown-commit} rather than guessing.
 */
public final class CodeVersion {

    private static volatile String cached;

    private CodeVersion() {
    }

    /** The version string, computed once per process. */
    public static String current() {
        String v = cached;
        if (v == null) {
            v = projectVersion() + "+" + commit(checkoutRoot());
            cached = v;
        }
        return v;
    }

    static String projectVersion() {
        try (InputStream in = CodeVersion.class.getResourceAsStream("/io/skeletonssl/version.properties")) {
            if (in == null) {
                return "unknown-version";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.contains("${") ? "unknown-version" : v.trim();
        } catch (IOException e) {
            return "unknown-version";
        }
    }

    /** The folder holding {@code .git} above where the classes were loaded from, or null. */
    static Path checkoutRoot() {
        try {
            Path p = Path.of(CodeVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.exists(d.resolve(".git"))) {
                    return d;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): no commit
        }
        return null;
    }

    /** Short commit plus {@code -dirty} when tracked files changed, from {@code git}; else "unknown-commit". */
    static String commit(Path root) {
        if (root == null) {
            return "unknown-commit";
        }
        String head = git(root, "rev-parse", "--short=12", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown-commit";
        }
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return head.trim() + (status == null ? "-status-unknown" : status.isBlank() ? "" : "-dirty");
    }

    private static String git(Path root, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = root.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no git binary
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
