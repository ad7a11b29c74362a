package io.hermitengp.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When an interrupt of the JVM waits for a run ({@link Interruption}): until the run closes its
 * interruption, and, when an error ends it under the command line, until the error is printed,
 * whether the signal came before the error or comes while it leaves. (What the signal itself does
 * is tested on a JVM of its own, in {@link TrainCommandTest}.)
 */
class InterruptionTest {
    @Test
    void aRunThatEndsLetsTheJvmExitAtOnce() {
        Interruption.ErrorReport report = Interruption.ErrorReport.open();
        try {
            Interruption interruption = Interruption.install();
            assertTrue(interruption.holdsTheExit());
            assertNull(interruption.reason());
            interruption.close();
            assertFalse(interruption.holdsTheExit());
        } finally {
            report.close();
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
        Interruption second;
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
        // the outer report is closed too: a later error is not kept by either
        Interruption later = Interruption.install();
        later.keepUntilReported();
        later.close();
        assertFalse(later.holdsTheExit());
    }
}
