package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeedCommandTest {

    @Test
    void speedReportsEachBackendItMeasured(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("small.json");
        try (InputStream in = SpeedCommandTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(config, in.readAllBytes());
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, SpeedCommand.run(new String[]{config.toString(), "--steps", "2", "--warmup", "1",
                    "--backends", "java", "--threads", "1"}));
        } finally {
            System.setOut(original);
        }
        JsonNode result = ConfigReader.mapper().readTree(captured.toString(StandardCharsets.UTF_8).strip());
        assertEquals(2, result.get("steps").asInt());
        assertEquals(1280, result.get("points_per_step").asInt());
        assertEquals(1, result.get("results").size());
        JsonNode java = result.get("results").get(0);
        assertEquals("java:threads=1", java.get("backend").asText());
        assertTrue(java.get("ms_per_step").asDouble() > 0);
        assertEquals(0.0, java.get("host_device_bytes_per_step").asDouble());
    }
}
