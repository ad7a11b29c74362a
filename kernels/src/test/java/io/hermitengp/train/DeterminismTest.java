package io.hermitengp.train;

import io.hermitengp.config.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A seed and a backend fix the field bit for bit, whatever the number of threads. */
class DeterminismTest {

    private static TrainConfig shortRun(long seed, String weightMode) {
        TrainConfig base = TrainingFixtures.config("helmholtz2d-small.json");
        TrainConfig.Training t = base.training();
        TrainConfig.LossWeights weights = new TrainConfig.LossWeights(weightMode, t.lossWeights().weights(), 10, "",
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
        // curriculum on, so level activation and per-level Adam counts are part of what is compared
        java.util.Map<String, Integer> points = java.util.Map.of("residual", 300, "boundary", 64);
        TrainConfig.Training training = new TrainConfig.Training(40, 0, seed, 0, points, java.util.List.of(), 7, t.optimizer(),
                new TrainConfig.Curriculum(true, 2, 15, java.util.List.of()), weights, TrainConfig.Ema.OFF, 20,
                t.backend(), t.precision());
        return base.withTraining(training);
    }

    @Test
    void sameSeedGivesIdenticalBits() {
        TrainingResult first = TrainingFixtures.train(shortRun(42, "fixed"), 2);
        TrainingResult second = TrainingFixtures.train(shortRun(42, "fixed"), 2);
        assertArrayEquals(first.parameters(), second.parameters(), "parameters after 40 steps");
        assertArrayEquals(first.lossCurve(), second.lossCurve(), "loss curve");
        assertEquals(first.relL2(), second.relL2());
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        for (String mode : new String[]{"fixed", "grad_norm"}) {
            TrainingResult one = TrainingFixtures.train(shortRun(7, mode), 1);
            TrainingResult two = TrainingFixtures.train(shortRun(7, mode), 2);
            assertArrayEquals(one.parameters(), two.parameters(), mode + ": parameters, 1 vs 2 threads");
            assertArrayEquals(one.lossCurve(), two.lossCurve(), mode + ": loss curve, 1 vs 2 threads");
            assertArrayEquals(one.termWeights(), two.termWeights(), mode + ": loss weights, 1 vs 2 threads");
        }
    }

    @Test
    void anotherSeedGivesAnotherField() {
        TrainingResult a = TrainingFixtures.train(shortRun(1, "fixed"), 2);
        TrainingResult b = TrainingFixtures.train(shortRun(2, "fixed"), 2);
        assertFalse(java.util.Arrays.equals(a.parameters(), b.parameters()), "seeds 1 and 2 gave the same field");
    }
}
