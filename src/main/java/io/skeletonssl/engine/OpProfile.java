package io.skeletonssl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's operator profiler (PyTorch's autograd profiler through DJL) and a summary of the
 * Chrome trace it writes: time per operator, self time (children subtracted) and calls, so a step
 * can be read op by op without a trace viewer.
 */
public final class OpProfile {

    /** One operator's totals over the profiled span. */
    public record Row(String name, long calls, double selfMs, double totalMs) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", name);
            m.put("calls", calls);
            m.put("self_ms", selfMs);
            m.put("total_ms", totalMs);
            return m;
        }
    }

    private OpProfile() {
    }

    /** Starts recording operators (with input shapes) on every thread of the engine. */
    public static void start() {
        Engines.cpu();
        ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
    }

    /** Stops recording and writes the Chrome trace ({@code chrome://tracing}, Perfetto) to {@code trace}. */
    public static void stop(Path trace) throws IOException {
        Path parent = trace.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toAbsolutePath().toString());
        if (!Files.isRegularFile(trace)) {
            throw new IOException("the engine's profiler wrote no trace to " + trace);
        }
    }

    /**
     * Reads a Chrome trace and sums the complete ("X") CPU operator events by name, largest self
     * time first. Self time subtracts the events nested inside an event on the same thread.
     */
    public static List<Row> summarize(Path trace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
                continue;
            }
            String cat = e.path("cat").asText("cpu_op");
            if (!cat.isEmpty() && !cat.equals("cpu_op") && !cat.equals("Operator") && !cat.equals("operator")) {
                continue;
            }
            names.add(e.path("name").asText());
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            byThread.computeIfAbsent(thread, k -> new ArrayList<>())
                    .add(new double[]{e.path("ts").asDouble(), e.path("dur").asDouble(), names.size() - 1});
        }
        Map<String, double[]> totals = new LinkedHashMap<>(); // calls, self µs, total µs
        for (List<double[]> list : byThread.values()) {
            // parents first: earlier start, then longer duration
            list.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> -a[1]));
            Deque<double[]> open = new ArrayDeque<>(); // {end, index into list-local self time}
            double[] self = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                double[] ev = list.get(i);
                while (!open.isEmpty() && open.peek()[0] <= ev[0]) {
                    open.pop();
                }
                self[i] = ev[1];
                if (!open.isEmpty()) {
                    self[(int) open.peek()[1]] -= ev[1];
                }
                open.push(new double[]{ev[0] + ev[1], i});
            }
            for (int i = 0; i < list.size(); i++) {
                double[] ev = list.get(i);
                double[] t = totals.computeIfAbsent(names.get((int) ev[2]), k -> new double[3]);
                t[0] += 1;
                t[1] += Math.max(0, self[i]);
                t[2] += ev[1];
            }
        }
        List<Row> rows = new ArrayList<>();
        totals.forEach((name, t) -> rows.add(new Row(name, (long) t[0], t[1] / 1e3, t[2] / 1e3)));
        rows.sort(Comparator.comparingDouble(Row::selfMs).reversed());
        return rows;
    }
}
