package io.hermitengp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.fit.InstanceSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Instance lists: base configs with overrides, mesh paths, and lines that cannot be used. */
class InstanceListTest {

    @Test
    void baseConfigsMergeWithOverridesAndMeshPathsBecomeAbsolute(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("configs"));
        Files.writeString(dir.resolve("configs/base.json"),
                "{\"problem\": {\"type\": \"sdf\", \"mesh\": \"m.obj\", \"margin\": 0.2}, \"training\": {\"steps\": 10}}");
        Files.createDirectories(dir.resolve("lists"));
        Path list = dir.resolve("lists/batch.jsonl");
        Files.writeString(list, """
                # comment, then a blank line

                {"id": "a", "base": "../configs/base.json", "spec": {"problem": {"margin": 0.3}}}
                {"id": "b", "spec": {"problem": {"type": "helmholtz2d"}}}
                """);
        List<Instance> instances = InstanceList.read(list);
        assertEquals(2, instances.size());
        JsonNode a = ConfigReader.mapper().readTree(instances.get(0).spec());
        assertEquals(0.3, a.at("/problem/margin").asDouble(), 0.0, "override wins");
        assertEquals("sdf", a.at("/problem/type").asText(), "base keys stay");
        assertEquals(10, a.at("/training/steps").asInt());
        assertEquals(Path.of("m.obj").toAbsolutePath().normalize().toString(), a.at("/problem/mesh").asText(),
                "relative mesh paths are resolved on the driver");
        assertEquals("", instances.get(0).defect());
    }

    @Test
    void unreadableLinesAndRepeatedIdsBecomeInstancesWithADefect(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("bad.jsonl");
        Files.writeString(list, """
                {"id": "x", "spec": {}}
                {"id": "x", "spec": {}}
                {"id": "y", "spec": {}, "colour": "red"}
                not json at all
                {"id": "z", "base": "missing.json"}
                """);
        List<Instance> instances = InstanceList.read(list);
        assertEquals(5, instances.size(), "every line is an instance");
        assertEquals("", instances.get(0).defect());
        assertEquals("x@line2", instances.get(1).id());
        assertTrue(instances.get(1).defect().contains("duplicate id 'x'"), instances.get(1).defect());
        assertTrue(instances.get(2).defect().contains("colour"), instances.get(2).defect());
        assertEquals("bad.jsonl:4", instances.get(3).id());
        assertNotEquals("", instances.get(3).defect());
        assertTrue(instances.get(4).defect().contains("missing.json"), instances.get(4).defect());
        FitOutcome outcome = instances.get(1).fit(DeviceChoice.cpu(1));
        assertEquals(FitOutcome.FAILED, outcome.status());
        assertTrue(outcome.message().contains("duplicate id"), outcome.message());
    }

    @Test
    void seedsDependOnTheIdAndTheSpecSeedOnly() {
        assertEquals(InstanceSeeds.seedFor("bunny", 0), InstanceSeeds.seedFor("bunny", 0));
        assertNotEquals(InstanceSeeds.seedFor("bunny", 0), InstanceSeeds.seedFor("bunny2", 0));
        assertNotEquals(InstanceSeeds.seedFor("bunny", 0), InstanceSeeds.seedFor("bunny", 1));
    }
}
