package io.hermitengp.train;

/** Receives progress while a field trains. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (progress, evaluated) -> {
    };

    /**
     * Called after every step.
     *
     * @param evaluated whether the error was measured at this step
     */
    void onStep(Progress progress, boolean evaluated);
}
