package io.hermitengp.config;

import io.hermitengp.encoding.CoefficientUnits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {
    private static final String MINIMAL = "{\"problem\": {\"type\": \"helmholtz2d\"}}";

    private static ConfigException rejected(String json) {
        return assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(json, "test.json"));
    }

    private static void assertMentions(ConfigException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should mention '" + w + "'");
        }
    }

    @Test
    void minimalConfigResolvesEveryDefault() {
        TrainConfig c = ConfigReader.readTrainConfig(MINIMAL, "test.json");
        assertEquals(16, c.encoding().levels());
        assertArrayEquals(new int[]{14, 14, 10}, c.encoding().log2TableSizes());
        assertEquals(CoefficientUnits.CELL, c.encoding().coefficients());
        assertArrayEquals(new int[]{64, 64}, c.network().hidden());
        assertEquals(8192, c.training().points().get("residual"));
        assertEquals(2048, c.training().points().get("boundary"));
        assertEquals(1.0, c.training().lossWeights().weights().get("boundary"));
        var json = c.toJson();
        assertEquals(10.0, json.at("/problem/a").asDouble());
        assertEquals("cell", json.at("/encoding/coefficients").asText());
        assertEquals(0.99, json.at("/training/optimizer/beta2").asDouble());
    }

    @Test
    void resolvedConfigReadsBackToTheSameConfig() {
        TrainConfig c = ConfigReader.readTrainConfig("""
                {"problem": {"type": "helmholtz2d", "a": 3, "domain": {"lo": [0, -2], "hi": [1, 2]}},
                 "encoding": {"levels": 5, "coefficients": "physical"},
                 "training": {"loss_weights": {"mode": "grad_norm", "weights": {"boundary": 10}}}}""", "test.json");
        String resolved = c.toJson().toString();
        TrainConfig again = ConfigReader.readTrainConfig(resolved, "resolved");
        assertEquals(resolved, again.toJson().toString());
        assertEquals(CoefficientUnits.PHYSICAL, again.encoding().coefficients());
        assertEquals(10.0, again.training().lossWeights().weights().get("boundary"));
    }

    @Test
    void unknownKeyIsNamedWithTheAllowedOnes() {
        ConfigException e = rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"level\": 4}}");
        assertMentions(e, "test.json", "encoding.level", "levels", "n_max");
        e = rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"trainig\": {}}");
        assertMentions(e, "trainig", "training");
    }

    @Test
    void duplicateKeyIsAnError() {
        ConfigException e = rejected("{\"problem\": {\"type\": \"helmholtz2d\", \"a\": 1, \"a\": 2}}");
        assertMentions(e, "test.json", "Duplicate", "a");
    }

    @Test
    void outOfRangeValuesNameTheKeyAndTheRange() {
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"levels\": 0}}"),
                "encoding.levels", "[1, 64]", "0");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"training\": {\"optimizer\": {\"decay_rate\": 1.5}}}"),
                "training.optimizer.decay_rate", "1.5");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"log2_table_sizes\": [14, 14]}}"),
                "encoding.log2_table_sizes", "3 items");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"n_min\": 64, \"n_max\": 32}}"),
                "n_max", "n_min");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\", \"domain\": {\"lo\": [1, 0], \"hi\": [0, 1]}}}"),
                "problem.domain", "lo < hi");
    }

    @Test
    void wrongTypesAndUnknownChoicesAreErrors() {
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"levels\": \"many\"}}"),
                "encoding.levels", "integer");
        assertMentions(rejected("{\"problem\": {\"type\": \"poisson9d\"}}"), "problem.type", "poisson9d", "helmholtz2d");
        assertMentions(rejected("{\"problem\": {}}"), "problem.type", "required");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"coefficients\": \"meters\"}}"),
                "encoding.coefficients", "cell", "physical");
    }

    private static String training(String entries) {
        return "{\"problem\": {\"type\": \"helmholtz2d\"}, \"training\": {" + entries + "}}";
    }

    @Test
    void integersBeyondTheirRangeOrNotExactAreRefusedNotWrapped() {
        // 2^64 + 5: read as a 64-bit long it would wrap to 5
        assertMentions(rejected(training("\"steps\": 18446744073709551621")),
                "training.steps", "[0, 4611686018427387903]", "18446744073709551621");
        assertMentions(rejected(training("\"steps\": 1e30")), "training.steps", "integer", "[0, ");
        assertMentions(rejected(training("\"steps\": 2.5")), "training.steps", "integer", "2.5");
        assertMentions(rejected(training("\"steps\": -1")), "training.steps", "[0, ", "-1");
        assertMentions(rejected(training("\"seed\": 9223372036854775808")), "training.seed",
                "[-9223372036854775808, 9223372036854775807]", "9223372036854775808");
        assertMentions(rejected(training("\"threads\": 4294967297")), "training.threads", "[0, 4096]");
        assertMentions(rejected(training("\"threads\": 1.0000001")), "training.threads", "integer");
        // 2^64 + 10 in an integer array: as a long it would wrap to 10, a valid size
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, "
                + "\"encoding\": {\"log2_table_sizes\": [14, 14, 18446744073709551626]}}"),
                "encoding.log2_table_sizes[2]", "18446744073709551626");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, "
                + "\"encoding\": {\"log2_table_sizes\": [14, 14.5, 10]}}"),
                "encoding.log2_table_sizes[1]", "integer");
    }

    @Test
    void exactIntegersAtTheEdgesOfTheirRangeAreAccepted() {
        TrainConfig c = ConfigReader.readTrainConfig(training(
                "\"steps\": 3.0, \"seed\": -9223372036854775808, \"threads\": 4096"), "test.json");
        assertEquals(3, c.training().steps());
        assertEquals(Long.MIN_VALUE, c.training().seed());
        assertEquals(4096, c.training().threads());
        c = ConfigReader.readTrainConfig(training("\"seed\": 9223372036854775807"), "test.json");
        assertEquals(Long.MAX_VALUE, c.training().seed());
    }

    @Test
    void lossTermKeysMustBeTheProblemsTerms() {
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"training\": {\"points\": {\"interior\": 10}}}"),
                "training.points.interior", "residual", "boundary");
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"}, \"training\": {\"loss_weights\": {\"weights\": {\"bc\": 1}}}}"),
                "training.loss_weights.weights.bc", "boundary");
    }

    @Test
    void malformedJsonNamesTheSourceAndPosition() {
        assertMentions(rejected("{\"problem\": {\"type\": \"helmholtz2d\"},}"), "test.json", "line 1");
    }
}
