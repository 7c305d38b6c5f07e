package io.skeletonssl.eval.motion;

import io.skeletonssl.dataset.Manifest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoordinateUnitsTest {

    private static Manifest manifest(Map<String, Object> source) {
        return new Manifest(1, "x", null, 3, 10, 25, 1, 2, null, Map.of(), source, Map.of(), null, null, null);
    }

    private static final Path DIR = Path.of("/data/x");

    @Test
    void readsTheManifestUnitThenTheFormat() {
        assertThat(CoordinateUnits.metresPerUnit(manifest(Map.of("units", "metres")), DIR, null)).isEqualTo(1.0);
        assertThat(CoordinateUnits.metresPerUnit(manifest(Map.of("units", "millimetres", "format", "ntu-raw")), DIR,
                null)).isEqualTo(0.001);
        assertThat(CoordinateUnits.metresPerUnit(manifest(Map.of("format", "msr-action3d")), DIR, null)).isEqualTo(1.0);
        assertThat(CoordinateUnits.metresPerUnit(manifest(Map.of("format", "custom")), DIR, "cm")).isEqualTo(0.01);
    }

    @Test
    void refusesAnUnknownUnit() {
        assertThatThrownBy(() -> CoordinateUnits.metresPerUnit(manifest(Map.of("format", "custom")), DIR, null))
                .hasMessageContaining("manifest.json").hasMessageContaining("unit is unknown").hasMessageContaining("--units");
        assertThatThrownBy(() -> CoordinateUnits.metresPerUnit(manifest(Map.of("units", "inches")), DIR, null))
                .hasMessageContaining("source.units").hasMessageContaining("'inches'");
    }
}
