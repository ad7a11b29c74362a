package io.hermitengp.jobs;

import io.hermitengp.train.Cancellation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run in this JVM, as the run's {@link Cancellation}. The JVM
 * runs its shutdown hooks and then halts, whatever its threads are doing; the hook installed here
 * marks the run interrupted and waits, at most {@link #GRACE_SECONDS}, until the work holding this
 * has stopped and said so ({@link #close}). The trainer asks before every step, saves the step it
 * reached when it keeps a checkpoint, and stops; so an interrupted run loses no step it made
 * instead of up to {@code --checkpoint-every} of them.
 *
 * <p>When an error ends an interrupted run instead (the save itself failing, say), the command
 * keeps its interruption open ({@link #keepUntilReported}) and {@link JobMain} closes it once the
 * error is printed ({@link #closeKept}): closed at once, it would let the JVM halt first.
 */
final class Interruption implements Cancellation, AutoCloseable {
    /** The longest the JVM's exit waits for the run to save and stop: a step and a save, with room. */
    static final long GRACE_SECONDS = 120;
    /** The interruption an error left open, until JobMain has printed the error. */
    private static final AtomicReference<Interruption> KEPT = new AtomicReference<>();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;

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
     * An error is leaving the work: when the JVM is being interrupted, {@link #close} leaves this
     * open for {@link #closeKept}, after the error is printed. (A JVM that is not shutting down
     * waits for nobody, so then {@link #close} closes it as ever.)
     */
    void keepUntilReported() {
        if (interrupted) {
            KEPT.set(this);
        }
    }

    /** Closes the interruption an error left open ({@link #keepUntilReported}), if any: its error is out. */
    static void closeKept() {
        Interruption kept = KEPT.getAndSet(null);
        if (kept != null) {
            kept.release();
        }
    }

    /**
     * The work has stopped, or ended: the JVM may exit (or, while it runs on, an interrupt no longer
     * waits). Nothing, when an error keeps this open until it is printed.
     */
    @Override
    public void close() {
        if (KEPT.get() != this) {
            release();
        }
    }

    private void release() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already, and returns now that the latch is down
        }
    }
}
