package io.skeletonssl.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skeletonssl.engine.MachineInfo;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that a metrics.json (or bench JSON) names the machine and engine, as MachineInfo reports them. */
public final class EnvironmentFacts {

    private EnvironmentFacts() {
    }

    /** The file's "environment" object, after checking its facts; the file also carries "code_version". */
    public static JsonNode assertIn(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.has("code_version")).as(json + " has code_version").isTrue();
        return assertFacts(root.path("environment"), json.toString());
    }

    /** Checks one "environment" object. */
    public static JsonNode assertFacts(JsonNode env, String where) {
        MachineInfo here = MachineInfo.current();
        assertThat(env.isObject()).as(where + " has an environment object").isTrue();
        assertThat(env.path("engine").asText()).isEqualTo("PyTorch");
        assertThat(env.path("engine_version").asText()).isEqualTo("2.7.1");
        assertThat(env.path("djl_version").asText()).isEqualTo("0.34.0");
        assertThat(env.path("engine_build").asText()).contains("cpu");
        assertThat(env.path("cpu_model").asText()).isNotBlank().isEqualTo(here.cpuModel());
        assertThat(env.path("cpu_vendor").asText()).isNotBlank().isEqualTo(here.cpuVendor());
        assertThat(env.path("isa").asText()).isEqualTo(here.isa());
        assertThat(env.path("isa_flags").isArray()).isTrue();
        assertThat(env.path("mkl_shim_active").isBoolean()).isTrue();
        assertThat(env.path("mkl_shim_active").asBoolean()).isEqualTo(here.mklShimActive());
        assertThat(env.path("mkl_dispatch").asText()).isNotBlank();
        assertThat(env.path("engine_threads").asInt()).isGreaterThanOrEqualTo(1).isEqualTo(here.engineThreads());
        assertThat(env.path("logical_cores").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(env.path("os").asText()).startsWith("Linux");
        return env;
    }
}
