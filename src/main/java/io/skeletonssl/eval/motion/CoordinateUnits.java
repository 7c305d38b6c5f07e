package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.Manifest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The length unit of a prepared dataset's coordinates, as a factor to metres. The manifest's
 * {@code source.units} says it ({@code prepare} and {@code synth} write {@code metres}); older
 * manifests are read by their {@code source.format}, whose inputs are all Kinect camera space in
 * metres. Anything else is refused rather than guessed, since MPJPE in millimetres needs it.
 */
public final class CoordinateUnits {

    /** Known unit names and their size in metres. */
    private static final Map<String, Double> METRES = Map.of(
            "metres", 1.0, "meters", 1.0, "m", 1.0,
            "centimetres", 0.01, "centimeters", 0.01, "cm", 0.01,
            "millimetres", 0.001, "millimeters", 0.001, "mm", 0.001);

    /** Formats whose coordinates are metres (the Kinect exports and what is prepared from them). */
    static final Set<String> METRE_FORMATS = Set.of("synthetic", "ntu-raw", "ntu-npz", "agcn-npy", "pku-mmd",
            "msr-action3d", "utkinect");

    private CoordinateUnits() {
    }

    /** Metres per coordinate unit; {@code override} (may be null) wins over the manifest. */
    public static double metresPerUnit(Manifest manifest, Path dir, String override) {
        if (override != null) {
            return of(override, "--units");
        }
        Map<String, Object> source = manifest.source() == null ? Map.of() : manifest.source();
        Object units = source.get("units");
        if (units != null) {
            return of(units.toString(), dir.resolve(Manifest.FILE) + " source.units");
        }
        Object format = source.get("format");
        if (format != null && METRE_FORMATS.contains(format.toString())) {
            return 1.0;
        }
        throw new IllegalArgumentException(dir.resolve(Manifest.FILE) + ": the coordinate unit is unknown (no "
                + "source.units, format '" + format + "'); motion prediction reports millimetres, so name it with "
                + "--units metres|centimetres|millimetres");
    }

    static double of(String name, String where) {
        Double f = METRES.get(name.trim().toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException(where + ": unknown length unit '" + name + "' (expected metres, "
                    + "centimetres or millimetres)");
        }
        return f;
    }
}
