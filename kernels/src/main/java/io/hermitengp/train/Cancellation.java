package io.hermitengp.train;

/**
 * Asked by a training loop before every step, and by a batch fit before every batch, whether the
 * work it serves was called off: a Spark task killed because its job was cancelled, or because
 * its job ended while it still ran (a duplicate of a fit that another attempt finished); a command
 * line run interrupted (Ctrl-C, SIGTERM). A cancelled fit saves its state when it keeps
 * checkpoints and stops with {@link FitCancelledException} instead of training on, so the
 * executor (or the terminal) is free within a step, and a later run resumes from the step where it
 * stopped (in a Spark task, whose saves are not copied once it is killed, from its last periodic
 * save).
 */
@FunctionalInterface
public interface Cancellation {
    /** Never cancelled: the work runs to its end. */
    Cancellation NEVER = () -> null;

    /** Why the work must stop now, or null while it goes on. */
    String reason();

    /** Throws {@link FitCancelledException} with the reason when the work was called off. */
    default void check() {
        String reason = reason();
        if (reason != null) {
            throw new FitCancelledException(reason);
        }
    }
}
