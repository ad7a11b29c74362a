package io.hermitengp.train;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.FieldFit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference recipe in the trainer: warm-up, one parameter group, EMA and its best snapshot,
 * phases, terms that join the loss late, checkpoints.
 */
class RecipeTrainingTest {

    /** A small Helmholtz run with the reference code's recipe. */
    private static TrainConfig recipe(long steps) {
        return ConfigReader.readTrainConfig("""
                {"problem": {"type": "helmholtz2d", "a": 1, "domain": {"lo": [0, 0], "hi": [1, 1]}},
                 "encoding": {"levels": 4, "base_resolution": 4, "per_level_scale": 2, "hash_every_level": true,
                              "log2_table_sizes": [9, 9, 8], "init": "normal_values"},
                 "network": {"hidden": [16, 16], "omega_0": 0.5, "omega": 0.5, "bias_init": "like_weights"},
                 "training": {"steps": %d, "seed": 3, "points": {"residual": 200, "boundary": 64},
                   "optimizer": {"groups": "single", "lr": 0.001, "beta2": 0.999, "epsilon": 1e-8,
                                 "schedule": "step", "decay_rate": 0.5, "decay_steps": 15},
                   "loss_weights": {"mode": "grad_ratio", "weights": {"boundary": 50}, "update_every": 7,
                                    "max_weights": {"boundary": 100}},
                   "curriculum": {"enabled": false}, "eval_every": 10}}""".formatted(steps), "recipe");
    }

    /** The recipe with the keys of {@code trainingPatch} (a JSON object) replacing those of its training section. */
    private static TrainConfig recipe(long steps, String trainingPatch) {
        ObjectNode tree = recipe(steps).toJson();
        ObjectNode training = (ObjectNode) tree.get("training");
        try {
            ConfigReader.mapper().readTree(trainingPatch).fields()
                    .forEachRemaining(e -> training.set(e.getKey(), e.getValue()));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return ConfigReader.readTrainConfig(tree.toString(), "recipe");
    }

    private static TrainingResult train(TrainConfig config, Trainer.Checkpoints checkpoints) {
        return TrainingFixtures.train(config, 2, checkpoints);
    }

    @Test
    void warmUpStepsComeBeforeTheCountedOnesAtTheInitialRate() {
        // constant rate, fixed weights, no evaluation in between: warm-up 5 + 20 steps is 25 plain steps
        String plain = """
                {"optimizer": {"groups": "single", "lr": 0.001, "warmup_steps": %d},
                 "loss_weights": {"mode": "fixed"}, "eval_every": 0}""";
        TrainingResult warmed = TrainingFixtures.train(recipe(20, plain.formatted(5)), 2);
        TrainingResult straight = TrainingFixtures.train(recipe(25, plain.formatted(0)), 2);
        assertArrayEquals(straight.parameters(), warmed.parameters());
        assertEquals(20, warmed.steps(), "counted steps exclude the warm-up");
        assertEquals(25, warmed.lossCurve().length, "every optimizer step has its loss");
    }

    @Test
    void theAverageIsWhatIsReportedAndTheBestSnapshotIsTheStoredField() {
        TrainingResult r = TrainingFixtures.train(recipe(60, "{\"ema\": {\"decay\": 0.9, \"report\": \"best\"}}"), 2);
        AverageReport a = r.average();
        assertEquals(AverageReport.EMA_BEST, a.weights());
        double bestOnCurve = r.errorCurve().stream().mapToDouble(ErrorPoint::relL2).min().orElseThrow();
        assertEquals(bestOnCurve, a.bestRelL2(), 0.0);
        assertEquals(a.bestRelL2(), r.relL2(), 0.0, "rel_l2 is the reported snapshot's");
        assertTrue(r.errorCurve().stream().anyMatch(p -> p.step() == a.bestStep() && p.relL2() == a.bestRelL2()));
        assertEquals(r.errorCurve().get(r.errorCurve().size() - 1).relL2(), a.finalRelL2(), 0.0);
        assertTrue(r.errorCurve().stream().allMatch(p -> Double.isFinite(p.rawRelL2())), "raw error beside the average");
        assertNotEquals(a.finalRelL2(), a.rawRelL2(), "the average is not the raw weights");

        // the stored parameters are the snapshot the reported error belongs to
        TrainConfig config = recipe(60, "{\"ema\": {\"decay\": 0.9, \"report\": \"best\"}}");
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(1))) {
            fit.backend().setParameters(r.parameters());
            assertEquals(r.relL2(), ErrorMetrics.measure(fit.backend(), fit.problem(), 4).relL2(), 1e-15);
        }

        TrainingResult last = TrainingFixtures.train(recipe(60, "{\"ema\": {\"decay\": 0.9}}"), 2);
        assertEquals(AverageReport.EMA_FINAL, last.average().weights());
        assertEquals(last.average().finalRelL2(), last.relL2(), 0.0);
        assertEquals(AverageReport.RAW, TrainingFixtures.train(recipe(20), 2).average().weights());
    }

    @Test
    void frozenLevelsFeedTheNetworkButKeepTheirInitialValues() {
        TrainConfig config = recipe(30, "{\"curriculum\": {\"phases\": [{\"until_step\": 1000, \"levels\": 2}]}}");
        TrainingResult r = TrainingFixtures.train(config, 2);
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(1))) {
            double[] initial = FieldArchitecture.initialParameters(config, fit.field());
            HermiteGridLayout layout = fit.field().encoding().layout();
            for (int i = layout.levelStart(2); i < layout.levelEnd(3); i++) {
                assertEquals(initial[i], r.parameters()[i], 0.0, "frozen level parameter " + i);
            }
            boolean trained = false;
            for (int i = layout.levelStart(0); i < layout.levelEnd(1); i++) {
                trained |= initial[i] != r.parameters()[i];
            }
            assertTrue(trained, "the first two levels train");
        }
        // frozen, not switched off: the result differs from a run whose last levels feed zeros
        TrainingResult off = TrainingFixtures.train(recipe(30,
                "{\"curriculum\": {\"start_levels\": 2, \"levels_every\": 1000}}"), 2);
        assertFalse(java.util.Arrays.equals(off.lossCurve(), r.lossCurve()));
    }

    @Test
    void aTermBeforeItsStartStepWeighsNothingAndThenTrains() {
        // warm-up 3, then 10 counted steps: the boundary term starting at 10 is out of all 13
        String late = """
                {"optimizer": {"groups": "single", "lr": 0.001, "warmup_steps": 3}, "eval_every": 0,
                 "loss_weights": {"mode": "fixed", "weights": {"boundary": 50}, "start_steps": {"boundary": 10}}}""";
        String absent = """
                {"optimizer": {"groups": "single", "lr": 0.001, "warmup_steps": 3}, "eval_every": 0,
                 "loss_weights": {"mode": "fixed", "weights": {"boundary": 0}}}""";
        TrainingResult lateShort = TrainingFixtures.train(recipe(10, late), 2);
        TrainingResult absentShort = TrainingFixtures.train(recipe(10, absent), 2);
        assertArrayEquals(absentShort.parameters(), lateShort.parameters(),
                "before its start the term adds nothing to the gradient: the run is one without it, bit for bit");
        assertArrayEquals(absentShort.lossCurve(), lateShort.lossCurve(), "nor to the loss");
        assertEquals(0.0, lateShort.termWeights()[1], 0.0, "reported with the weight it trained with");

        TrainingResult lateLong = TrainingFixtures.train(recipe(20, late), 2);
        TrainingResult absentLong = TrainingFixtures.train(recipe(20, absent), 2);
        assertEquals(23, lateLong.lossCurve().length);
        for (int i = 0; i < 13; i++) {
            assertEquals(absentLong.lossCurve()[i], lateLong.lossCurve()[i], 0.0, "loss of optimizer step " + i);
        }
        assertTrue(lateLong.lossCurve()[13] > absentLong.lossCurve()[13],
                "at counted step 10 the term joins with its weight 50: " + lateLong.lossCurve()[13] + " vs "
                        + absentLong.lossCurve()[13]);
        assertFalse(java.util.Arrays.equals(absentLong.parameters(), lateLong.parameters()), "and trains the field");
        assertEquals(50.0, lateLong.termWeights()[1], 0.0, "its weight from its start on");
    }

    @Test
    void aTermIsNotBalancedBeforeItsStartAndJoinsWithItsConfiguredWeight() {
        // grad_ratio every 7 steps (before counted steps 6, 13, ...), boundary weight 50, cap 100
        String late = "{\"loss_weights\": {\"mode\": \"grad_ratio\", \"weights\": {\"boundary\": 50},"
                + " \"update_every\": 7, \"max_weights\": {\"boundary\": 100}, \"start_steps\": {\"boundary\": %d}}}";
        TrainingResult waiting = TrainingFixtures.train(recipe(12, late.formatted(10)), 2);
        assertEquals(50.0, waiting.termWeights()[1], 0.0, "not balanced at step 6, before its start");
        TrainingResult fromTheStart = TrainingFixtures.train(recipe(12, late.formatted(0)), 2);
        assertNotEquals(50.0, fromTheStart.termWeights()[1], "balanced at step 6 when in the loss");
        TrainingResult joined = TrainingFixtures.train(recipe(14, late.formatted(10)), 2);
        assertNotEquals(50.0, joined.termWeights()[1], "balanced at step 13, after its start");
    }

    /**
     * Every step's progress carries the loss by term: the weighted terms add up to the step's loss,
     * the weights move where the grad_ratio rule moves them (at counted step 6 of every 7), and the
     * last step's are the result's.
     */
    @Test
    void progressShowsEachTermsLossAndTheWeightItHad() {
        List<Progress> seen = new ArrayList<>();
        TrainingResult result = TrainingFixtures.train(recipe(14), 2, Trainer.Checkpoints.NONE,
                (p, evaluated) -> seen.add(p));
        assertEquals(14, seen.size());
        for (Progress p : seen) {
            assertEquals(List.of("residual", "boundary"), p.termNames());
            double loss = 0;
            for (int k = 0; k < p.termNames().size(); k++) {
                loss += p.termWeights()[k] * p.termLosses()[k];
            }
            assertEquals(p.loss(), loss, 0.0, "step " + p.step() + ": the weighted terms are the loss");
        }
        assertEquals(50.0, seen.get(0).termWeights()[1], 0.0, "the configured weight first");
        assertEquals(50.0, seen.get(5).termWeights()[1], 0.0, "unchanged until the first update");
        assertNotEquals(50.0, seen.get(6).termWeights()[1], "balanced before counted step 6");
        assertArrayEquals(result.termWeights(), seen.get(13).termWeights(), 0.0, "the last step's weights");
        assertArrayEquals(result.termLosses(), seen.get(13).termLosses(), 0.0, "and losses");
        assertTrue(seen.get(13).terms().matches("residual \\S+e[-+]\\d+ x 1, boundary \\S+e[-+]\\d+ x \\S+"),
                seen.get(13).terms());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", """
            {"fixed_points": ["boundary"],
             "loss_weights": {"mode": "grad_ratio", "weights": {"boundary": 50}, "update_every": 7,
                              "max_weights": {"boundary": 100}, "start_steps": {"boundary": 22}}}"""})
    void aResumedRunIsBitIdenticalToAnUninterruptedOne(String recipeChange, @TempDir Path dir) throws IOException {
        // the change: boundary points drawn once, and a boundary term that joins between the
        // checkpoint at step 20 and the kill at step 25
        ObjectNode change = (ObjectNode) ConfigReader.mapper().readTree(recipeChange);
        change.set("ema", ConfigReader.mapper().readTree("{\"decay\": 0.95, \"report\": \"best\"}"));
        change.put("resample_every", 3);
        change.set("optimizer", ConfigReader.mapper().readTree(
                "{\"groups\": \"single\", \"warmup_steps\": 4, \"schedule\": \"cosine\", \"eta_min\": 1e-5}"));
        TrainConfig config = recipe(45, change.toString());
        TrainingResult whole = train(config, Trainer.Checkpoints.NONE);

        Path file = dir.resolve("run.ckpt");
        // the first attempt dies after 25 counted steps; its last checkpoint is from step 20
        RuntimeException killed = new RuntimeException("killed");
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(2))) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> fit.train((progress, evaluated) -> {
                if (progress.step() == 25) {
                    throw killed;
                }
            }, new Trainer.Checkpoints(file, 10, null)));
            assertEquals(killed, thrown);
        }
        assertTrue(Files.size(file) > 0);
        TrainingResult resumed = train(config, new Trainer.Checkpoints(file, 10, file));

        assertArrayEquals(whole.parameters(), resumed.parameters(), "reported parameters");
        assertArrayEquals(whole.lossCurve(), resumed.lossCurve(), "loss curve");
        assertArrayEquals(whole.termWeights(), resumed.termWeights(), "loss weights");
        assertEquals(whole.errorCurve().size(), resumed.errorCurve().size());
        for (int i = 0; i < whole.errorCurve().size(); i++) {
            ErrorPoint a = whole.errorCurve().get(i);
            ErrorPoint b = resumed.errorCurve().get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.relL2(), b.relL2(), 0.0, "error at step " + a.step());
            assertEquals(a.rawRelL2(), b.rawRelL2(), 0.0, "raw error at step " + a.step());
        }
        assertEquals(whole.average(), resumed.average());
    }

    @Test
    void aCheckpointResumesOnlyItsOwnRunAndADamagedOneIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("run.ckpt");
        train(recipe(10), new Trainer.Checkpoints(file, 5, null));

        CheckpointException past = assertThrows(CheckpointException.class,
                () -> train(recipe(8), new Trainer.Checkpoints(null, 0, file)));
        assertTrue(past.getMessage().contains("is at step 10, past this run's 8 steps"), past.getMessage());

        CheckpointException other = assertThrows(CheckpointException.class,
                () -> train(recipe(20, "{\"seed\": 4}"), new Trainer.Checkpoints(null, 0, file)));
        assertTrue(other.getMessage().contains("another config"), other.getMessage());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        CheckpointException damaged = assertThrows(CheckpointException.class,
                () -> train(recipe(20), new Trainer.Checkpoints(null, 0, file)));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());

        Files.write(file, java.util.Arrays.copyOf(bytes, 100));
        CheckpointException truncated = assertThrows(CheckpointException.class,
                () -> train(recipe(20), new Trainer.Checkpoints(null, 0, file)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    /** A run that stops on its time budget saves where it stopped, not only at its last multiple of the interval. */
    @Test
    void aRunStoppedByItsTimeBudgetSavesItsFinalState(@TempDir Path dir) {
        Path file = dir.resolve("run.ckpt");
        TrainingResult timed = train(recipe(100_000, "{\"max_seconds\": 1.0}"),
                new Trainer.Checkpoints(file, 100_000, null));
        long steps = timed.steps();
        assertTrue(steps > 0 && steps < 100_000, "stopped by the clock after " + steps + " steps");
        TrainingResult resumed = train(recipe(steps), new Trainer.Checkpoints(null, 0, file));
        assertEquals(steps, resumed.steps());
        assertArrayEquals(timed.parameters(), resumed.parameters(), 0.0,
                "the saved state is the run's last step: nothing is left to train");
    }
}
