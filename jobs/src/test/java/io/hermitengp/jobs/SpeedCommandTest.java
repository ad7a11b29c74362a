package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.aparapi.device.Device;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.config.ConfigReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeedCommandTest {

    /** {@code speed} on the small Helmholtz config, 2 steps after 1 warm-up step: its JSON line (exit status 0). */
    private static JsonNode speed(Path dir, String backends, String threads, String... more) throws Exception {
        Path config = dir.resolve("small.json");
        try (InputStream in = SpeedCommandTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(config, in.readAllBytes());
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(List.of(config.toString(), "--steps", "2", "--warmup", "1",
                    "--backends", backends, "--threads", threads));
            args.addAll(List.of(more));
            assertEquals(0, SpeedCommand.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(original);
        }
        return ConfigReader.mapper().readTree(captured.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void speedReportsEachBackendItMeasured(@TempDir Path dir) throws Exception {
        JsonNode result = speed(dir, "java", "1");
        assertEquals(2, result.get("steps").asInt());
        assertEquals(1280, result.get("points_per_step").asInt());
        assertEquals(1, result.get("results").size());
        JsonNode java = result.get("results").get(0);
        assertEquals("java:threads=1,vector", java.get("backend").asText());
        assertTrue(java.get("ms_per_step").asDouble() > 0);
        assertEquals(0.0, java.get("host_device_bytes_per_step").asDouble());
    }

    @Test
    void speedTimesBatchesOfFieldsPerBackendWhenAsked(@TempDir Path dir) throws Exception {
        JsonNode batches = speed(dir, "java", "2", "--batch-fields", "1,3").get("batch_results");
        assertEquals(2, batches.size(), batches.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode r = batches.get(i);
            int fields = i == 0 ? 1 : 3;
            assertEquals(fields, r.get("batch_fields").asInt());
            assertEquals(fields == 1 ? "java:threads=2,vector" : "java:threads=2,vector,fields=3",
                    r.get("backend").asText(), "a batch of one is the single backend");
            assertEquals(fields * 1000 / r.get("ms_per_step").asDouble(), r.get("field_steps_per_second").asDouble(),
                    1e-9 * r.get("field_steps_per_second").asDouble());
        }
    }

    @Test
    void speedTimesTheReferencePathBesideTheTiledOneWithPhasesAndProductRates(@TempDir Path dir) throws Exception {
        JsonNode results = speed(dir, "java:reference,java:scalar,java", "2", "--same-jvm").get("results");
        assertEquals(3, results.size());
        assertEquals("java:threads=2,reference", results.get(0).get("backend").asText());
        assertEquals("java:threads=2,scalar", results.get(1).get("backend").asText());
        assertEquals("java:threads=2,vector", results.get(2).get("backend").asText());
        assertTrue(results.get(0).get("phase_thread_ms_per_step").has("weight_gradient_products"), results.toString());
        assertTrue(results.get(0).get("network_product_gflop_per_step").asDouble() > 0, results.toString());
        for (int i = 1; i < 3; i++) {
            JsonNode r = results.get(i);
            assertTrue(r.get("speedup_over_first").asDouble() > 0, r.toString());
            assertTrue(r.get("phase_thread_ms_per_step").get("encoding_forward").asDouble() > 0, r.toString());
            assertTrue(r.get("network_product_gflops_per_thread").asDouble() > 0, r.toString());
            // the boundary points carry the value alone: fewer rows than the reference's four channels each
            assertTrue(r.get("network_product_gflop_per_step").asDouble()
                    < results.get(0).get("network_product_gflop_per_step").asDouble(), results.toString());
        }
    }

    @Test
    void speedTimesAPathInFloat32WhenTheNameAsksForIt(@TempDir Path dir) throws Exception {
        JsonNode results = speed(dir, "java:vector,java:vector:float32,java:scalar:float32", "2", "--same-jvm")
                .get("results");
        assertEquals("java:threads=2,vector", results.get(0).get("backend").asText());
        assertEquals("java:threads=2,vector,float32", results.get(1).get("backend").asText());
        assertEquals("java:threads=2,scalar,float32", results.get(2).get("backend").asText());
        assertTrue(results.get(1).get("network_product_gflops_per_thread").asDouble() > 0, results.toString());
    }

    @Test
    void speedTimesTheOpenClBackendInTheNamedPrecisionAndPassShape(@TempDir Path dir) throws Exception {
        if (OpenClDevices.list().isEmpty()) {
            assertNotEquals("1", System.getenv("HERMITE_NGP_REQUIRE_OPENCL"), "no OpenCL device, and one is required");
            Assumptions.abort("skipped: no OpenCL device on this machine");
        }
        JsonNode out = speed(dir, "opencl,opencl:float32,opencl:float64:layers,opencl:point", "2", "--same-jvm",
                "--batch-fields", "1,2");
        JsonNode results = out.get("results");
        assertEquals(4, results.size());
        String device = results.get(0).get("backend").asText();
        assertTrue(device.startsWith("opencl:") && !device.contains("float32"), "the config's float64: " + device);
        assertEquals(device + ",float32", results.get(1).get("backend").asText());
        assertEquals(device, results.get(2).get("backend").asText());
        // the device's default: the layer passes on a GPU, the point pass elsewhere
        String shape = OpenClDevices.select("").getType() == Device.TYPE.GPU ? "layers" : "point";
        String[] passes = {shape, shape, "layers", "point"};
        for (int i = 0; i < 4; i++) {
            JsonNode r = results.get(i);
            assertEquals(passes[i], r.get("passes").asText(), r.toString());
            assertTrue(r.get("pass_ms_per_step").get(passes[i].equals("layers") ? "forward" : "point").asDouble() > 0,
                    r.toString());
        }
        JsonNode batches = out.get("batch_results");
        assertEquals(8, batches.size(), "two batch sizes per OpenCL backend: " + batches);
        assertEquals("layers", batches.get(4).get("passes").asText(), batches.toString());
        assertEquals("layers", batches.get(5).get("passes").asText(), batches.toString());
        assertEquals("point", batches.get(6).get("passes").asText(), batches.toString());
    }

    @Test
    void speedTimesEachBackendInAFreshJvmUnlessAskedNotTo(@TempDir Path dir) throws Exception {
        long self = ProcessHandle.current().pid();
        JsonNode fresh = speed(dir, "java:scalar,java:vector", "1");
        assertTrue(fresh.get("jvm_per_backend").asBoolean(), fresh.toString());
        JsonNode results = fresh.get("results");
        assertEquals("java:threads=1,scalar", results.get(0).get("backend").asText());
        assertEquals("java:threads=1,vector", results.get(1).get("backend").asText());
        long first = results.get(0).get("process_id").asLong();
        long second = results.get(1).get("process_id").asLong();
        assertTrue(first != self && second != self && first != second, fresh.toString());
        assertTrue(results.get(1).get("speedup_over_first").asDouble() > 0, fresh.toString());
        assertTrue(results.get(1).get("phase_thread_ms_per_step").get("sine_forward").asDouble() > 0, fresh.toString());

        JsonNode shared = speed(dir, "java:scalar,java:vector", "1", "--same-jvm");
        assertTrue(!shared.get("jvm_per_backend").asBoolean(), shared.toString());
        for (JsonNode r : shared.get("results")) {
            assertEquals(self, r.get("process_id").asLong(), shared.toString());
        }
    }

    @Test
    void aBackendThatCannotRunInItsFreshJvmIsTheUsageErrorItWouldBeHere(@TempDir Path dir) {
        // with or without OpenCL on the machine, no device is called this
        RuntimeException here = assertThrows(RuntimeException.class,
                () -> speed(dir, "java,opencl", "1", "--device", "no-such-device-anywhere", "--same-jvm"));
        UsageException fresh = assertThrows(UsageException.class,
                () -> speed(dir, "java,opencl", "1", "--device", "no-such-device-anywhere"));
        assertEquals(String.join(" ", here.getMessage().strip().split("\\s*\\R\\s*")), fresh.getMessage());
    }

    @Test
    void aPathOrPrecisionThatDoesNotRunIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> SpeedCommand.run(new String[]{"c.json",
                "--backends", "java:reference:float32"}));
        assertTrue(e.getMessage().contains("float64 only"), e.getMessage());
        e = assertThrows(UsageException.class, () -> SpeedCommand.run(new String[]{"c.json",
                "--backends", "java:vector:float16"}));
        assertTrue(e.getMessage().contains("java:vector:float32"), e.getMessage());
        for (String bad : new String[]{"opencl:float16", "opencl:layers:float32", "opencl:point:layers",
            "opencl:float32:float64"}) {
            e = assertThrows(UsageException.class, () -> SpeedCommand.run(new String[]{"c.json", "--backends", bad}));
            assertTrue(e.getMessage().contains("opencl:float32:layers"), e.getMessage());
        }
    }

    @Test
    void anUnknownCpuPathIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> SpeedCommand.run(new String[]{"c.json",
                "--backends", "java:fast"}));
        assertTrue(e.getMessage().contains("java:reference") && e.getMessage().contains("'java:fast'"),
                e.getMessage());
    }
}
