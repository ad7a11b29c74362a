package io.hermitengp.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pace a progress line shows: the mean of the last steps, not of the whole run. */
class StepPaceTest {
    @Test
    void noStepNoPace() {
        assertEquals(0.0, new StepPace().msPerStep());
    }

    @Test
    void theMeanOfTheStepsSoFarWhileTheyFitTheWindow() {
        StepPace pace = new StepPace();
        pace.record(1_000_000);
        pace.record(3_000_000);
        assertEquals(2.0, pace.msPerStep(), 1e-12);
    }

    @Test
    void aRunThatSpedUpShowsItsNewPaceOnceTheWindowHasPassed() {
        StepPace pace = new StepPace();
        for (int i = 0; i < 3 * StepPace.WINDOW; i++) {
            pace.record(250_000_000);   // a slow machine, or the cores shared
        }
        for (int i = 0; i < StepPace.WINDOW / 2; i++) {
            pace.record(100_000_000);
        }
        assertEquals(175.0, pace.msPerStep(), 1e-9);
        for (int i = 0; i < StepPace.WINDOW / 2; i++) {
            pace.record(100_000_000);
        }
        assertEquals(100.0, pace.msPerStep(), 1e-9);
    }
}
