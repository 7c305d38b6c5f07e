package io.skeletonssl.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A checkpoint to evaluate and the resolved configuration it was trained with. {@link #locate}
 * accepts a run folder (its newest complete checkpoint, or the one of a given epoch) or a
 * {@code checkpoint-E} folder itself.
 */
public record RunCheckpoint(Checkpoint checkpoint, ObjectNode config) {

    /** The checkpoint of {@code epoch} (null: the newest) in run folder {@code path}, or the checkpoint folder {@code path}. */
    public static RunCheckpoint locate(Path path, Integer epoch) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such run folder");
        }
        if (Files.isRegularFile(p.resolve(Checkpoint.INDEX))) {
            if (epoch != null) {
                throw new IllegalArgumentException(p + ": is a checkpoint folder; an epoch can only be chosen in a run folder");
            }
            Checkpoint c = Checkpoint.open(p);
            return new RunCheckpoint(c, configOf(c, p.getParent()));
        }
        if (!Files.isRegularFile(p.resolve(RunDirectory.CONFIG))) {
            throw new IllegalArgumentException(p + ": not a run folder (no " + RunDirectory.CONFIG
                    + ") nor a checkpoint folder (no " + Checkpoint.INDEX + ")");
        }
        RunDirectory run = RunDirectory.open(p);
        Checkpoint c;
        if (epoch == null) {
            c = run.latest().orElseThrow(() -> new IllegalArgumentException(p
                    + ": the run has no complete checkpoint yet (pretraining writes one every checkpoint_every epochs)"));
        } else {
            if (!run.checkpointEpochs().contains(epoch)) {
                throw new IllegalArgumentException(p + ": no checkpoint of epoch " + epoch + "; the run has epochs "
                        + run.checkpointEpochs());
            }
            c = Checkpoint.open(run.checkpointDir(epoch));
        }
        return new RunCheckpoint(c, configOf(c, p));
    }

    /** The config saved inside the checkpoint (exactly what its weights were trained with), else the run's config.yaml. */
    private static ObjectNode configOf(Checkpoint c, Path runDir) throws IOException {
        JsonNode cfg = c.config();
        if (cfg.isObject() && cfg.size() > 0) {
            return ((ObjectNode) cfg).deepCopy();
        }
        JsonNode fromRun = RunDirectory.open(runDir).readConfig();
        if (!fromRun.isObject()) {
            throw new IOException(runDir.resolve(RunDirectory.CONFIG) + ": expected a mapping of keys");
        }
        return (ObjectNode) fromRun;
    }

    /** The configuration's {@code method} (e.g. {@code mamp}). */
    public String method() {
        return config.path("method").asText("");
    }

    /** A short description for reports: the checkpoint folder and its epoch. */
    public String describe() {
        return checkpoint.dir() + " (epoch " + checkpoint.epoch() + ")";
    }
}
