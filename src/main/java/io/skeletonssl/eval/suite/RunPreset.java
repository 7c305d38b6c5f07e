package io.skeletonssl.eval.suite;

import io.skeletonssl.io.AtomicFiles;
import io.skeletonssl.training.ConfigTree;
import io.skeletonssl.training.RunCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint's own resolved configuration, saved once in the suite folder as
 * {@code encoder-config.yaml}: the random-init baselines use it as their preset, so that they
 * have exactly the pretrained run's architecture, input stream and evaluation recipes.
 */
final class RunPreset {

    static final String FILE = "encoder-config.yaml";

    private RunPreset() {
    }

    static String of(SuiteContext c) {
        Path file = c.options().out().resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                RunCheckpoint rc = RunCheckpoint.locate(Path.of(c.checkpoint()), null);
                String yaml = ConfigTree.toYaml(rc.config());
                AtomicFiles.write(file, s -> s.write(yaml.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toAbsolutePath().toString();
    }
}
