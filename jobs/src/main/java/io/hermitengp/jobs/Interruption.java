package io.hermitengp.jobs;

import io.hermitengp.train.Cancellation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run in this JVM, as the run's {@link Cancellation}. The JVM
 * runs its shutdown hooks and then halts, whatever its threads are doing; the hook installed here
 * marks the run interrupted and waits, at most {@link #GRACE_SECONDS}, until the work holding this
 * has stopped and said so ({@link #close}). The trainer asks before every step, saves the step it
 * reached when it keeps a checkpoint, and stops; so an interrupted run loses no step it made
 * instead of up to {@code --checkpoint-every} of them.
 *
 * <p>When an error ends the run instead (the save itself failing, say), the command keeps its
 * interruption open ({@link #keepUntilReported}) and {@link JobMain} closes it once the error is
 * printed ({@link ErrorReport}): closed at once, it would let an interrupted JVM halt first. It is
 * kept whether or not the JVM was interrupted yet, as the signal may come while the error leaves.
 */
final class Interruption implements Cancellation, AutoCloseable {
    /** The longest the JVM's exit waits for the run to save and stop: a step and a save, with room. */
    static final long GRACE_SECONDS = 120;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;
    /** An error left the work, and the open {@link ErrorReport} closes this once it is printed. */
    private boolean keptForReport;

    private Interruption() {
        hook = new Thread(() -> {
            interrupted = true;
            try {
                stopped.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hermite-ngp-interruption");
    }

    /** Starts listening: from now on an interrupt of the JVM waits for {@link #close}. */
    static Interruption install() {
        Interruption interruption = new Interruption();
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    @Override
    public String reason() {
        return interrupted ? "interrupted (Ctrl-C or SIGTERM)" : null;
    }

    /**
     * An error is leaving the work: when an {@link ErrorReport} is open on this thread,
     * {@link #close} leaves this open until the report closes, after JobMain has printed the
     * error. Without one (the command called directly, not from the command line) {@link #close}
     * closes it as ever.
     */
    void keepUntilReported() {
        ErrorReport report = ErrorReport.OPEN.get();
        if (report != null && !keptForReport) {
            keptForReport = true;
            report.kept.add(this);
        }
    }

    /**
     * The work has stopped, or ended: the JVM may exit (or, while it runs on, an interrupt no longer
     * waits). Nothing, when an error keeps this open until it is printed.
     */
    @Override
    public void close() {
        if (!keptForReport) {
            release();
        }
    }

    /** Whether an interrupt of the JVM would still wait for this. */
    boolean holdsTheExit() {
        return stopped.getCount() > 0;
    }

    private void release() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already, and returns now that the latch is down
        }
    }

    /**
     * One command line's run ({@link JobMain#run}), from before its command starts until its error,
     * if any, is printed: the interruptions that an error left open on this thread
     * ({@link #keepUntilReported}) are closed with it.
     */
    static final class ErrorReport implements AutoCloseable {
        private static final ThreadLocal<ErrorReport> OPEN = new ThreadLocal<>();

        private final ErrorReport enclosing;
        private final List<Interruption> kept = new ArrayList<>();

        private ErrorReport(ErrorReport enclosing) {
            this.enclosing = enclosing;
        }

        /** Opens a report on this thread, until {@link #close}. */
        static ErrorReport open() {
            ErrorReport report = new ErrorReport(OPEN.get());
            OPEN.set(report);
            return report;
        }

        /** The error is out: the interruptions it kept open close, and an interrupted JVM may halt. */
        @Override
        public void close() {
            if (enclosing == null) {
                OPEN.remove();
            } else {
                OPEN.set(enclosing);
            }
            kept.forEach(Interruption::release);
            kept.clear();
        }
    }
}
