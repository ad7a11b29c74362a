package io.hermitengp.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long an interrupt of the JVM would wait for a run ({@link Interruption}): until the run
 * closes its interruption, and, when an error ends it under the command line, until the error is
 * printed, though no signal came yet when the error left (a signal may come while it leaves).
 * What the signal itself does is tested in a JVM of its own, in {@link TrainCommandTest}.
 * Every report is closed in a {@code finally}: one left open would hold this JVM's exit.
 */
class InterruptionTest {
    @Test
    void aRunThatEndsLetsTheJvmExitAtOnce() {
        Interruption.ErrorReport report = Interruption.ErrorReport.open();
        Interruption interruption = Interruption.install();
        try {
            assertTrue(interruption.holdsTheExit());
            assertNull(interruption.reason());
            interruption.close();
            assertFalse(interruption.holdsTheExit());
        } finally {
            report.close();
            interruption.close();
        }
    }

    @Test
    void anErrorHoldsTheExitUntilTheCommandLineHasPrintedItThoughNoSignalCameYet() {
        Interruption.ErrorReport report = Interruption.ErrorReport.open();
        Interruption interruption = Interruption.install();
        try {
            interruption.keepUntilReported();
            interruption.close();
            // a signal now would find the run still holding the exit, and the error not yet out
            assertTrue(interruption.holdsTheExit());
        } finally {
            report.close();
        }
        assertFalse(interruption.holdsTheExit());
    }

    @Test
    void aCommandCalledOutsideTheCommandLineReleasesTheExitWithItsError() {
        Interruption interruption = Interruption.install();
        interruption.keepUntilReported();
        interruption.close();
        assertFalse(interruption.holdsTheExit());
    }

    @Test
    void aReportOpenedInsideAnotherClosesOnlyWhatItsOwnErrorsKept() {
        Interruption.ErrorReport outer = Interruption.ErrorReport.open();
        Interruption first = Interruption.install();
        Interruption second = null;
        try {
            first.keepUntilReported();
            first.close();
            Interruption.ErrorReport inner = Interruption.ErrorReport.open();
            second = Interruption.install();
            try {
                second.keepUntilReported();
                second.close();
            } finally {
                inner.close();
            }
            assertFalse(second.holdsTheExit());
            assertTrue(first.holdsTheExit());
        } finally {
            outer.close();
        }
        assertFalse(first.holdsTheExit());
        // the outer report is closed too: a later error is kept by neither
        Interruption later = Interruption.install();
        later.keepUntilReported();
        later.close();
        assertFalse(later.holdsTheExit());
    }
}
