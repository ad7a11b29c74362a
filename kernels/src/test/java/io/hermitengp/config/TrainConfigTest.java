package io.hermitengp.config;

import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.network.Precision;
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

    /** The reference code's recipe, every key of it. */
    private static final String RECIPE = """
            {"problem": {"type": "helmholtz2d", "a": 10},
             "encoding": {"levels": 8, "base_resolution": 4, "per_level_scale": 2, "hash_every_level": true,
                          "log2_table_sizes": [14, 14, 14], "init": "normal_values", "init_sigma": 0.01},
             "network": {"hidden": [128, 128], "omega_0": 0.5, "omega": 0.5, "bias_init": "like_weights"},
             "training": {
               "optimizer": {"groups": "single", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                             "schedule": "step", "decay_rate": 0.5, "decay_steps": 15000, "warmup_steps": 20},
               "curriculum": {"phases": [{"until_step": 5000, "levels": 4}, {"until_step": 15000, "levels": 6}]},
               "loss_weights": {"mode": "grad_ratio", "weights": {"boundary": 5000}, "max_weights": {"boundary": 10000}},
               "ema": {"decay": 0.999, "report": "best"}}}""";

    @Test
    void theReferenceRecipeParsesAndReadsBackUnchanged() {
        TrainConfig c = ConfigReader.readTrainConfig(RECIPE, "recipe.json");
        assertArrayEquals(new int[]{4, 8, 16, 32, 64, 128, 256, 512}, c.encoding().levelResolutions());
        assertTrue(c.encoding().hashEveryLevel());
        assertTrue(c.encoding().init().normalValues());
        assertEquals(0.01, c.encoding().init().scale());
        assertEquals(io.hermitengp.network.BiasInit.LIKE_WEIGHTS, c.network().biasInit());
        TrainConfig.Optimizer o = c.training().optimizer();
        assertTrue(o.singleGroup());
        assertEquals(0.001, o.lrTables());
        assertEquals(0.001, o.lrNetwork());
        assertEquals(20, o.warmupSteps());
        assertEquals(2.5e-4, o.schedule(200000).at(o.lr(), 30000), 1e-18);
        assertEquals(4, c.training().curriculum().activeLevels(4999, 8));
        assertEquals(6, c.training().curriculum().activeLevels(5000, 8));
        assertEquals(8, c.training().curriculum().activeLevels(15000, 8));
        assertEquals(8, c.training().curriculum().evaluatedLevels(0, 8), "frozen levels still feed the network");
        TrainConfig.LossWeights w = c.training().lossWeights();
        assertEquals("residual", w.reference(), "the first term is the reference by default");
        assertEquals(10000.0, w.maxWeights().get("boundary"));
        assertEquals(1.0, w.minWeights().get("boundary"));
        assertTrue(c.training().ema().enabled() && c.training().ema().reportBest());

        String resolved = c.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
    }

    @Test
    void scaledResolutionsFollowTheReferenceRuleIn3D() {
        TrainConfig c = ConfigReader.readTrainConfig("""
                {"problem": {"type": "helmholtz3d"},
                 "encoding": {"levels": 6, "base_resolution": 4, "per_level_scale": 1.5}}""", "test.json");
        // floor(4 * 1.5^l): REFERENCE.md's 4..30
        assertArrayEquals(new int[]{4, 6, 9, 13, 20, 30}, c.encoding().levelResolutions());
        assertTrue(c.toJson().at("/encoding/n_min").isMissingNode(), "one resolution rule is written, not both");
    }

    @Test
    void contradictoryRecipeSettingsAreRejected() {
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"optimizer": {"groups": "single", "lr_tables": 0.01}}}"""), "lr_tables", "lr");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"optimizer": {"schedule": "cosine", "decay_steps": 10}}}"""), "decay_steps", "eta_min");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"}, "encoding": {"levels": 4},
                 "training": {"curriculum": {"phases": [{"until_step": 500, "levels": 3},
                                                        {"until_step": 400, "levels": 4}]}}}"""),
                "training.curriculum.phases[1]", "increasing");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"}, "encoding": {"levels": 4},
                 "training": {"curriculum": {"phases": [{"until_step": 500, "levels": 3}], "start_levels": 2}}}"""),
                "start_levels");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"mode": "grad_ratio", "min_weights": {"boundary": 10},
                                               "max_weights": {"boundary": 5}}}}"""), "min_weights.boundary",
                "max_weights.boundary");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"mode": "grad_ratio", "reference": "interior"}}}"""),
                "reference", "residual", "boundary");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"}, "encoding": {"init": "normal_values", "init_range": 0.1}}"""),
                "init_range", "init_sigma");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"}, "encoding": {"levels": 24, "base_resolution": 16,
                                                                 "per_level_scale": 2}}"""), "resolution", "2^20");
    }

    @Test
    void termStartStepsDefaultToZeroAndReadBack() {
        TrainConfig plain = ConfigReader.readTrainConfig(MINIMAL, "test.json");
        assertEquals(0, plain.training().lossWeights().startStep("residual"));
        assertEquals(0, plain.training().lossWeights().startStep("boundary"));
        assertEquals(0, plain.toJson().at("/training/loss_weights/start_steps/boundary").asLong(), "written resolved");

        TrainConfig late = ConfigReader.readTrainConfig("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"mode": "grad_ratio", "start_steps": {"boundary": 1000}}}}""",
                "test.json");
        assertEquals(1000, late.training().lossWeights().startStep("boundary"));
        assertEquals(0, late.training().lossWeights().startStep("residual"));
        String resolved = late.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
    }

    @Test
    void termStartStepsNameTheProblemsTermsAndAreWholeAndNotNegative() {
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"start_steps": {"bc": 10}}}}"""),
                "training.loss_weights.start_steps.bc", "residual", "boundary");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"start_steps": {"boundary": -1}}}}"""),
                "training.loss_weights.start_steps.boundary", "[0, ");
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"start_steps": {"boundary": 2.5}}}}"""),
                "training.loss_weights.start_steps.boundary", "integer");
        // grad_ratio balances every term against the reference's gradient: the reference starts at 0
        assertMentions(rejected("""
                {"problem": {"type": "helmholtz2d"},
                 "training": {"loss_weights": {"mode": "grad_ratio", "start_steps": {"residual": 10}}}}"""),
                "training.loss_weights.start_steps.residual", "reference");
    }

    @Test
    void fixedPointsNameDistinctTermsOfTheProblem() {
        TrainConfig plain = ConfigReader.readTrainConfig(MINIMAL, "test.json");
        assertEquals(java.util.List.of(), plain.training().fixedPoints(), "by default every term is redrawn");
        assertTrue(plain.toJson().at("/training/fixed_points").isArray());

        TrainConfig fixed = ConfigReader.readTrainConfig("""
                {"problem": {"type": "taylor_green"}, "training": {"fixed_points": ["initial"]}}""", "test.json");
        assertEquals(java.util.List.of("initial"), fixed.training().fixedPoints());
        String resolved = fixed.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());

        assertMentions(rejected("""
                {"problem": {"type": "taylor_green"}, "training": {"fixed_points": ["initial", "ic"]}}"""),
                "training.fixed_points[1]", "residual", "initial", "boundary");
        assertMentions(rejected("""
                {"problem": {"type": "taylor_green"}, "training": {"fixed_points": ["initial", "initial"]}}"""),
                "training.fixed_points[1]", "repeats");
        assertMentions(rejected("""
                {"problem": {"type": "taylor_green"}, "training": {"fixed_points": "initial"}}"""),
                "training.fixed_points", "array");
    }

    @Test
    void precisionIsFloat64UnlessFloat32IsAskedForAndReadsBack() {
        TrainConfig plain = ConfigReader.readTrainConfig(MINIMAL, "test.json");
        assertEquals(Precision.FLOAT64, plain.training().precision());
        assertEquals("float64", plain.toJson().at("/training/precision").asText());

        TrainConfig single = ConfigReader.readTrainConfig(training("\"precision\": \"float32\""), "test.json");
        assertEquals(Precision.FLOAT32, single.training().precision());
        String resolved = single.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());

        assertMentions(rejected(training("\"precision\": \"float16\"")), "training.precision", "float16",
                "float64", "float32");
        assertMentions(rejected(training("\"precision\": 32")), "training.precision", "string");
    }
}
