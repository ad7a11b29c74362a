package io.hermitengp.train;

import io.hermitengp.backend.JavaBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.problem.Problem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss curve holds one value per completed step, and memory for the steps run, not the budget. */
class TrainerLossCurveTest {

    /** Trains and returns the trainer, whose {@link Trainer#lastLossCurve()} is the run's buffer. */
    private static Trainer trainer(TrainConfig config, TrainingResult[] result) {
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        try (JavaBackend backend = new JavaBackend(field, problem, 1)) {
            Trainer trainer = new Trainer(config, problem, field, backend, ProgressListener.NONE);
            result[0] = trainer.train();
            return trainer;
        }
    }

    private static TrainConfig small(long steps, double maxSeconds) {
        TrainConfig base = TrainingFixtures.config("helmholtz2d-small.json");
        return base.withTraining(base.training().withSteps(steps).withMaxSeconds(maxSeconds));
    }

    @Test
    void aTimeBoundedRunWithAHugeStepBudgetHoldsOnlyTheStepsItRan() {
        long budget = 100_000_000L;   // as a double array: 800 MB
        TrainingResult[] result = new TrainingResult[1];
        Trainer trainer = trainer(small(budget, 0.05), result);
        TrainingResult r = result[0];
        assertEquals(TrainingStatus.OK, r.status(), r.message());
        assertTrue(r.steps() >= 1 && r.steps() < budget, "the time limit stops the run: " + r.steps() + " steps");
        assertEquals(r.steps(), r.lossCurve().length, "one loss per completed step");
        LossCurveBuffer buffer = trainer.lastLossCurve();
        assertEquals(r.steps(), buffer.size());
        assertTrue(buffer.capacity() <= Math.max(LossCurveBuffer.INITIAL_CAPACITY, 2 * r.steps()),
                "the curve holds " + buffer.capacity() + " doubles after " + r.steps() + " steps");
    }

    @Test
    void theCurveHoldsEveryStepsLossEndingWithTheFinalLoss() {
        TrainingResult[] result = new TrainingResult[1];
        Trainer trainer = trainer(small(12, 0), result);
        TrainingResult r = result[0];
        assertEquals(12, r.steps());
        assertEquals(12, r.lossCurve().length);
        assertEquals(r.finalLoss(), r.lossCurve()[11], 0.0, "the last step's loss");
        for (int step = 0; step < 12; step++) {
            assertTrue(Double.isFinite(r.lossCurve()[step]) && r.lossCurve()[step] > 0,
                    "loss at step " + step + ": " + r.lossCurve()[step]);
        }
        assertEquals(LossCurveBuffer.INITIAL_CAPACITY, trainer.lastLossCurve().capacity());
    }

    @Test
    void aDivergedStepIsNotPartOfTheCurve() throws IOException {
        String spec;
        try (InputStream in = TrainerLossCurveTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // a box whose extent overflows to infinity: every coordinate, and so the loss, is NaN from step 0
        String nan = spec.replace("\"domain\": {\"lo\": [-1, -1], \"hi\": [1, 1]}",
                "\"domain\": {\"lo\": [-1e308, -1], \"hi\": [1e308, 1]}");
        assertTrue(!nan.equals(spec), "the domain override must apply");
        TrainingResult[] result = new TrainingResult[1];
        trainer(ConfigReader.readTrainConfig(nan, "nan-domain"), result);
        TrainingResult r = result[0];
        assertEquals(TrainingStatus.DIVERGED, r.status());
        assertEquals(0, r.steps());
        assertEquals(0, r.lossCurve().length, "the step whose loss was not finite did not complete");
    }
}
