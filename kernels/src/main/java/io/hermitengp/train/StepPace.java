package io.hermitengp.train;

/**
 * The pace of a run as it goes: the mean time of its last {@link #WINDOW} steps in this process,
 * what a progress line shows and its time left assumes. The run's whole mean (in its result) is
 * no estimate of what is left once the run has changed machine, JVM or company on the cores: a
 * 200k-step run resumed on a JVM twice as fast would otherwise show its old pace for hours.
 */
final class StepPace {
    /** Steps the pace is the mean of: minutes of a slow CPU run, seconds of a GPU batch. */
    static final int WINDOW = 1000;

    private final long[] nanos = new long[WINDOW];
    private long recorded;
    private long windowNanos;

    /** One more step, of {@code stepNanos}. */
    void record(long stepNanos) {
        int slot = (int) (recorded % WINDOW);
        windowNanos += stepNanos - nanos[slot];
        nanos[slot] = stepNanos;
        recorded++;
    }

    /** Mean milliseconds per step over the last steps recorded (at most {@link #WINDOW}); 0 before the first. */
    double msPerStep() {
        return recorded == 0 ? 0 : windowNanos / 1e6 / Math.min(recorded, WINDOW);
    }
}
