package io.hermitengp.train;

import io.hermitengp.config.TrainConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small low-frequency config (Helmholtz 2D, a = 1) trains to a relative L2 error of 1e-3. */
class ConvergenceTest {

    @Test
    void smallHelmholtzReachesOneInAThousand() {
        TrainConfig config = TrainingFixtures.config("helmholtz2d-small.json");
        TrainingResult result = TrainingFixtures.train(config, 2);
        assertEquals(TrainingStatus.OK, result.status(), result.message());
        assertEquals(1000, result.steps());
        assertTrue(result.relL2() <= 1e-3, "relative L2 after 1000 steps: " + result.relL2());
        assertTrue(result.gradRelL2() <= 1e-2, "gradient relative L2 after 1000 steps: " + result.gradRelL2());
        // the error curve must show training at work, not a lucky start
        assertTrue(result.errorCurve().get(0).relL2() > 3 * result.relL2(), "error curve " + result.errorCurve());
    }
}
