package io.hermitengp.fit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.train.AverageReport;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every paper row's config builds its problem, trains with the reference recipe and reports the
 * authors' metric: shrunk to a few points, small tables and small reference lattices so that it
 * runs in seconds, with everything else (problem definition, recipe, EMA, balancing, curriculum)
 * as shipped.
 */
class PaperConfigsTest {
    /** Sizes that make a row cheap without changing what it is; applied where the key exists. */
    private static final Map<String, Integer> SMALL_PROBLEM = Map.of("grid", 24, "pool_size", 4096,
            "paper_metric_grid", 24, "surface_resolution", 24, "evaluation_points", 2048, "reference_points", 2048);

    static Stream<String> rows() throws IOException, URISyntaxException {
        Path dir = Path.of(PaperConfigsTest.class.getResource("/configs/paper").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .sorted().toList();
            assertTrue(names.size() >= 10, "paper configs: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void trainsWithTheReferenceRecipeAndReportsTheAuthorsMetric(String row) throws Exception {
        ObjectNode tree = (ObjectNode) ConfigReader.mapper().readTree(
                PaperConfigsTest.class.getResourceAsStream("/configs/paper/" + row));
        ObjectNode problem = (ObjectNode) tree.get("problem");
        if (problem.has("mesh")) {
            String mesh = Path.of(problem.get("mesh").asText()).getFileName().toString();
            problem.put("mesh", Path.of(PaperConfigsTest.class.getResource("/meshes/" + mesh).toURI()).toString());
        }
        SMALL_PROBLEM.forEach((key, value) -> {
            if (problem.has(key)) {
                problem.put(key, Math.min(value, problem.get(key).asInt()));
            }
        });
        if (problem.has("cache_dir")) {
            problem.put("cache_dir", "");
        }
        ObjectNode encoding = (ObjectNode) tree.get("encoding");
        JsonNode shipped = encoding.get("log2_table_sizes");
        var sizes = ConfigReader.mapper().createArrayNode();
        shipped.forEach(size -> sizes.add(Math.min(size.asInt(), 10)));
        encoding.set("log2_table_sizes", sizes);
        ObjectNode training = (ObjectNode) tree.get("training");
        ObjectNode points = (ObjectNode) training.get("points");
        Iterator<String> terms = points.fieldNames();
        List<String> names = new java.util.ArrayList<>();
        terms.forEachRemaining(names::add);
        names.forEach(term -> points.put(term, Math.min(48, points.get(term).asInt())));
        training.put("steps", 3);
        training.put("eval_every", 0);   // the end only: a 3D row's error grid has a million points
        ((ObjectNode) training.get("optimizer")).put("warmup_steps", 2);

        TrainConfig config = ConfigReader.readTrainConfig(tree.toString(), row);
        assertTrue(config.training().optimizer().singleGroup(), row + ": one Adam group");
        assertTrue(config.training().ema().enabled() && config.training().ema().reportBest(), row + ": best EMA");
        assertEquals(TrainConfig.LossWeights.GRAD_RATIO, config.training().lossWeights().mode(), row);
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(2))) {
            TrainingResult r = fit.train(ProgressListener.NONE);
            assertEquals(TrainingStatus.OK, r.status(), row + ": " + r.message());
            assertEquals(3, r.steps());
            assertEquals(5, r.lossCurve().length, "2 warm-up steps and 3 counted ones");
            assertEquals(AverageReport.EMA_BEST, r.average().weights());
            assertTrue(r.paperMetric().isPresent(), row + " reports the authors' metric");
            assertTrue(Double.isFinite(r.paperMetric().get().value()) && r.paperMetric().get().value() >= 0);
            assertTrue(Double.isFinite(r.relL2()), row + ": rel_l2 " + r.relL2());
        }
    }
}
