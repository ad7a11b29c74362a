package io.hermitengp.train;

import io.hermitengp.config.TrainConfig;
import io.hermitengp.network.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training in float32 ends where training in float64 does: the same config and seed, 300 steps
 * of the small Helmholtz problem, reach a final loss and a relative L2 error within a factor of
 * 1.5 of float64's (float rounding perturbs every step's gradient by about 1e-5 of its size, which
 * Adam's normalised steps carry along without amplifying). And a float32 run is as deterministic
 * as a float64 one: one and two threads give the same bits.
 */
class Float32TrainingTest {
    private static TrainConfig run(Precision precision) {
        TrainConfig base = TrainingFixtures.config("helmholtz2d-small.json");
        return base.withTraining(base.training().withSteps(300).withPrecision(precision));
    }

    @Test
    void float32ReachesFloat64sLossAndError() {
        TrainingResult double64 = TrainingFixtures.train(run(Precision.FLOAT64), 2);
        TrainingResult single = TrainingFixtures.train(run(Precision.FLOAT32), 2);
        assertTrue(single.backend().endsWith(",float32"), single.backend());
        assertTrue(double64.finalLoss() < 0.2 * double64.lossCurve()[0], "float64 did not train");
        assertEquals(1.0, single.finalLoss() / double64.finalLoss(), 0.5,
                "final loss, float32 " + single.finalLoss() + " against float64 " + double64.finalLoss());
        assertEquals(1.0, single.relL2() / double64.relL2(), 0.5,
                "rel L2, float32 " + single.relL2() + " against float64 " + double64.relL2());
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalBitsInFloat32() {
        TrainConfig config = run(Precision.FLOAT32);
        config = config.withTraining(config.training().withSteps(30));
        TrainingResult one = TrainingFixtures.train(config, 1);
        TrainingResult two = TrainingFixtures.train(config, 2);
        assertArrayEquals(one.parameters(), two.parameters(), "parameters, 1 vs 2 threads");
        assertArrayEquals(one.lossCurve(), two.lossCurve(), "loss curve, 1 vs 2 threads");
    }
}
