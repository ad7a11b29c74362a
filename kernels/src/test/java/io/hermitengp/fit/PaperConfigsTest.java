package io.hermitengp.fit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.train.AverageReport;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
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
    static Stream<String> rows() {
        List<String> names = ShrunkConfigs.names("/configs/paper");
        assertTrue(names.size() >= 10, "paper configs: " + names);
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void trainsWithTheReferenceRecipeAndReportsTheAuthorsMetric(String row) throws Exception {
        ObjectNode tree = ShrunkConfigs.shrunk("/configs/paper/" + row, 48);
        ObjectNode training = (ObjectNode) tree.get("training");
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
