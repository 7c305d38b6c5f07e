package io.skeletonssl.formats;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.DatasetWriter;
import io.skeletonssl.dataset.Manifest;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.dataset.Sample;
import io.skeletonssl.dataset.StreamSample;
import io.skeletonssl.util.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Converts a {@link SampleSource} into a prepared dataset folder: units are parsed on worker
 * threads, checked (shape, NaN/Inf, empty), assigned to splits and written in source order, so
 * the output is identical whatever the thread count. Bad units are skipped and reported.
 */
public final class Converter {

    /** Outcome of a conversion. */
    public record Report(Manifest manifest, int written, int skipped, int filtered, double seconds) {
    }

    private final int threads;

    public Converter(int threads) {
        this.threads = Math.max(1, threads);
    }

    public Report convert(SampleSource source, SplitAssigner assigner, Path out, String name,
                          Map<String, Object> sourceDescription, boolean overwrite, boolean allowMissing)
            throws IOException {
        long t0 = System.nanoTime();
        SampleSource.Info info = source.info();
        Map<String, Object> options = new LinkedHashMap<>(info.options());
        DatasetWriter.Spec spec = new DatasetWriter.Spec(name, info.layout(), info.maxFrames(), info.persons(),
                info.numClasses(), info.classNames(), sourceDescription, options);
        int written = 0;
        int filtered = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prepare-worker");
            t.setDaemon(true);
            return t;
        });
        try (DatasetWriter writer = new DatasetWriter(out, spec, overwrite);
             Progress progress = Progress.start("prepare", source.size(), "units")) {
            Deque<Map.Entry<String, Future<List<Record>>>> window = new ArrayDeque<>();
            Iterator<SampleSource.Unit> units = source.units();
            int maxInFlight = threads * 4;
            while (units.hasNext() || !window.isEmpty()) {
                while (units.hasNext() && window.size() < maxInFlight) {
                    SampleSource.Unit u = units.next();
                    window.add(Map.entry(u.name(), pool.submit(u::read)));
                }
                Map.Entry<String, Future<List<Record>>> head = window.poll();
                List<Record> records;
                try {
                    records = head.getValue().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof BadSampleException bad) {
                        writer.skip(bad.sampleName() == null ? head.getKey() : bad.sampleName(), bad.getMessage());
                        progress.step();
                        continue;
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof UncheckedIOException uio) {
                        throw uio.getCause();
                    }
                    throw new IOException(head.getKey() + ": " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                for (Record r : records) {
                    String problem = check(r, info);
                    if (problem != null) {
                        writer.skip(r.name(), problem);
                        continue;
                    }
                    String split = assigner.assign(r);
                    if (split == null) {
                        filtered++;
                        continue;
                    }
                    writer.add(split, r);
                    written++;
                }
                progress.step();
            }
            if (assigner instanceof SplitFile sf) {
                List<String> missing = sf.unmatched();
                if (!missing.isEmpty()) {
                    String msg = sf.file() + " names " + missing.size() + " sample(s) not in the input, e.g. "
                            + String.join(", ", missing.subList(0, Math.min(5, missing.size())));
                    if (!allowMissing) {
                        throw new IOException(msg + " (use --allow-missing to accept)");
                    }
                    writer.warn(msg);
                }
            }
            if (written == 0) {
                throw new IOException(noSamples(writer.skipped(), filtered));
            }
            if (filtered > 0) {
                writer.warn(filtered + " record(s) are not part of the chosen protocol and were left out");
            }
            Manifest m = writer.commit();
            return new Report(m, written, m.skipped().size(), filtered, (System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many skip reasons the no-samples error repeats. */
    static final int REASONS_SHOWN = 5;

    /** The error when nothing was written: the counts, and the first skip reasons so the user sees why. */
    static String noSamples(List<Manifest.Skipped> skipped, int filtered) {
        StringBuilder sb = new StringBuilder("no usable samples: every input was skipped or filtered (")
                .append(skipped.size()).append(" skipped, ").append(filtered).append(" outside the protocol)");
        if (!skipped.isEmpty()) {
            sb.append("; skipped: ");
            int n = Math.min(REASONS_SHOWN, skipped.size());
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "; " : "").append(skipped.get(i).name()).append(": ").append(skipped.get(i).reason());
            }
            if (skipped.size() > n) {
                sb.append("; and ").append(skipped.size() - n).append(" more");
            }
        }
        return sb.toString();
    }

    /** Null if the record is usable, else the reason to skip it. */
    static String check(Record r, SampleSource.Info info) {
        float[] data;
        int frames;
        int joints;
        int persons;
        if (r instanceof Sample s) {
            data = s.data();
            frames = s.frames();
            joints = s.joints();
            persons = s.persons();
            if (s.validFrames() == 0) {
                return "empty sequence (no valid frame)";
            }
            if (s.label() >= info.numClasses()) {
                return "label " + s.label() + " outside 0.." + (info.numClasses() - 1);
            }
        } else {
            StreamSample s = (StreamSample) r;
            data = s.data();
            frames = s.frames();
            joints = s.joints();
            persons = s.persons();
            if (frames == 0) {
                return "empty stream";
            }
        }
        if (joints != info.layout().numJoints()) {
            return "has " + joints + " joints, layout " + info.layout().name() + " has " + info.layout().numJoints();
        }
        if (persons != info.persons()) {
            return "has " + persons + " persons, dataset has " + info.persons();
        }
        boolean any = false;
        for (int i = 0; i < data.length; i++) {
            float x = data[i];
            if (!Float.isFinite(x)) {
                int plane = joints * persons;
                int c = i / (frames * plane);
                int t = (i / plane) % frames;
                int v = (i % plane) / persons;
                int m = i % persons;
                return (Float.isNaN(x) ? "NaN" : "Inf") + " at frame " + t + ", joint " + v + ", person " + m
                        + ", coordinate " + "xyz".charAt(c);
            }
            any |= x != 0f;
        }
        if (!any) {
            return "all coordinates are zero";
        }
        return null;
    }
}
