package io.hermitengp.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRateScheduleTest {

    @Test
    void exponentialDecaysSmoothly() {
        LearningRateSchedule s = new LearningRateSchedule(LearningRateSchedule.Kind.EXPONENTIAL, 0.5, 100, 0, 1000);
        assertEquals(0.01, s.at(0.01, 0), 0);
        assertEquals(0.005, s.at(0.01, 100), 1e-15);
        assertEquals(0.01 * Math.pow(0.5, 0.5), s.at(0.01, 50), 1e-15);
    }

    @Test
    void stepHalvesEveryFifteenThousandStepsAsAStaircase() {
        LearningRateSchedule s = new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.5, 15000, 0, 200000);
        assertEquals(1e-3, s.at(1e-3, 0), 0);
        assertEquals(1e-3, s.at(1e-3, 14999), 0);
        assertEquals(5e-4, s.at(1e-3, 15000), 0);
        assertEquals(5e-4, s.at(1e-3, 29999), 0);
        assertEquals(1e-3 / 8, s.at(1e-3, 45000), 0);
        // 200k steps: 13 halvings, the authors' final rate
        assertEquals(1e-3 * Math.pow(0.5, 13), s.at(1e-3, 199999), 1e-20);
    }

    @Test
    void cosineFallsFromTheInitialRateToEtaMinOverTheRun() {
        LearningRateSchedule s = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1, 1, 1e-5, 1000);
        assertEquals(1e-3, s.at(1e-3, 0), 1e-18);
        assertEquals(1e-5 + (1e-3 - 1e-5) / 2, s.at(1e-3, 500), 1e-15);
        assertEquals(1e-5 + (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 0.25)) / 2, s.at(1e-3, 250), 1e-15);
        assertEquals(1e-5, s.at(1e-3, 1000), 1e-18);
        assertEquals(1e-5, s.at(1e-3, 5000), 1e-18, "past the run it stays at eta_min");
    }
}
