package io.skeletonssl.cli;

import io.skeletonssl.engine.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** Entry point of the {@code skeleton-ssl} command line. */
@Command(name = "skeleton-ssl",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Self-supervised 3D skeleton action representation learning (MAMP, PCM3).",
        subcommands = {SynthCommand.class, PrepareCommand.class, InfoCommand.class, RenderCommand.class, BenchCommand.class,
                ModelInfoCommand.class, PretrainCommand.class, EvalCommand.class, EmbedCommand.class,
                ImportCheckpointCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        Engines.forceOffline();
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("error: " + oneLine(ex));
            if (Boolean.getBoolean("skeletonssl.debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        // before any command touches the disk: an output must not overlap the command's inputs
        cli.setExecutionStrategy(parsed -> {
            List<CommandLine> chain = parsed.asCommandLineList();
            CommandLine last = chain.get(chain.size() - 1);
            try {
                if (!last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
                    OutputGuard.check(last.getCommandSpec());
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ExecutionException(last, e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /** A one-line reason for a failure, without stack traces. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (t instanceof java.nio.file.NoSuchFileException nsf) {
            msg = nsf.getFile() + ": " + (nsf.getReason() == null ? "no such file" : nsf.getReason());
        } else if (t instanceof java.nio.file.FileAlreadyExistsException fae) {
            msg = fae.getFile() + ": " + (fae.getReason() == null ? "already exists" : fae.getReason());
        } else if (msg == null) {
            msg = t.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"skeleton-ssl " + (v == null ? "dev" : v)};
        }
    }
}
