package io.skeletonssl.formats.pku;

import io.skeletonssl.dataset.BadSampleException;
import io.skeletonssl.dataset.Record;
import io.skeletonssl.formats.SampleSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes small PKU-MMD style folders and runs sources unit by unit. */
final class PkuFixtures {

    private PkuFixtures() {
    }

    /** The text written for frame t, column col (0..149): distinct per position, three decimals. */
    static String token(int t, int col) {
        return String.format(Locale.ROOT, "%.3f", t + col / 1000.0 - 0.5);
    }

    /** The float a reader must produce for {@link #token}: decimal → double → float, like np.loadtxt. */
    static float value(int t, int col) {
        return (float) Double.parseDouble(token(t, col));
    }

    static String frames(int count) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < count; t++) {
            for (int col = 0; col < 150; col++) {
                if (col > 0) {
                    sb.append(' ');
                }
                sb.append(token(t, col));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static void video(Path root, String name, int frames, String labels) throws IOException {
        write(root.resolve("skeleton").resolve(name + ".txt"), frames(frames));
        write(root.resolve("label").resolve(name + ".txt"), labels);
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** Outcome of one unit: its records, or the skip reason. */
    record Outcome(String unit, List<Record> records, BadSampleException bad) {
    }

    static Map<String, Outcome> run(SampleSource source) throws IOException {
        Map<String, Outcome> out = new LinkedHashMap<>();
        Iterator<SampleSource.Unit> it = source.units();
        while (it.hasNext()) {
            SampleSource.Unit u = it.next();
            try {
                out.put(u.name(), new Outcome(u.name(), u.read(), null));
            } catch (BadSampleException e) {
                out.put(u.name(), new Outcome(u.name(), List.of(), e));
            }
        }
        return out;
    }

    static List<Record> records(SampleSource source) throws IOException {
        List<Record> all = new ArrayList<>();
        for (Outcome o : run(source).values()) {
            all.addAll(o.records());
        }
        return all;
    }
}
