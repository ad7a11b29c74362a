package io.hermitengp.train;

/**
 * Asked by a training loop before every step, and by a batch fit before every batch, whether the
 * work it serves was called off: a Spark task killed because its job was cancelled, or because
 * its job ended while it still ran (a duplicate of a fit that another attempt finished). A
 * cancelled fit stops with {@link FitCancelledException} instead of training on, so the executor
 * is free within a step; the checkpoint it saved stays, for a later run to resume.
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
