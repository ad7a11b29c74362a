package io.hermitengp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    private static Path smallConfig(Path dir) throws Exception {
        Path file = dir.resolve("small.json");
        try (InputStream in = TrainCommandTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void trainPrintsOneJsonLineWithTheContractKeysAndTheResolvedConfig(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        Path curves = dir.resolve("curves.json");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = TrainCommand.run(new String[]{config.toString(), "--steps", "12", "--threads", "1", "--seed", "5",
                    "--curves", curves.toString()});
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code);
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length, "stdout must hold exactly the result line");
        JsonNode result = ConfigReader.mapper().readTree(lines[0]);
        for (String key : new String[]{"rel_l2", "grad_rel_l2", "steps", "ms_per_step", "backend", "seed", "config"}) {
            assertTrue(result.has(key), "result line lacks '" + key + "': " + lines[0]);
        }
        assertEquals(12, result.get("steps").asLong());
        assertEquals(5, result.get("seed").asLong());
        assertEquals("java:threads=1", result.get("backend").asText());
        assertTrue(result.get("ms_per_step").asDouble() > 0);
        assertTrue(result.get("rel_l2").asDouble() > 0 && result.get("rel_l2").asDouble() < 10);
        assertEquals(12, result.at("/config/training/steps").asLong(), "overrides must show in the resolved config");
        assertEquals(5, result.at("/config/training/seed").asLong());
        JsonNode saved = ConfigReader.mapper().readTree(curves.toFile());
        assertEquals(12, saved.get("loss_curve").size());
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        UsageException e = assertThrows(UsageException.class,
                () -> TrainCommand.run(new String[]{config.toString(), "--step", "3"}));
        assertTrue(e.getMessage().contains("--step") && e.getMessage().contains("--steps"), e.getMessage());
        e = assertThrows(UsageException.class, () -> TrainCommand.run(new String[]{config.toString(), "--threads", "x"}));
        assertTrue(e.getMessage().contains("--threads"), e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> TrainCommand.run(new String[]{dir.resolve("nope.json").toString()}));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    }
}
