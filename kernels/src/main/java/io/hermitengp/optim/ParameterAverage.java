package io.hermitengp.optim;

/**
 * An exponential moving average of a parameter buffer, started at the initial parameters:
 *
 * <pre>
 *   avg <- decay avg + (1 - decay) theta      after every optimizer step
 * </pre>
 *
 * with no bias correction (the Hermite-NGP reference code's EMA). Evaluating the average instead of
 * the last weights smooths out the step-to-step noise of Adam on freshly drawn points.
 */
public final class ParameterAverage {
    private final double decay;
    private final double[] average;

    /** An average that starts at {@code initial} (copied). */
    public ParameterAverage(double decay, double[] initial) {
        this.decay = requireDecay(decay);
        this.average = initial.clone();
    }

    /** The decay, checked to be in (0, 1). */
    public static double requireDecay(double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("average decay must be in (0, 1), got " + decay);
        }
        return decay;
    }

    /** Folds in the parameters after a step. */
    public void update(double[] params) {
        if (params.length != average.length) {
            throw new IllegalArgumentException("expected " + average.length + " parameters, got " + params.length);
        }
        for (int i = 0; i < average.length; i++) {
            fold(average, params, i, decay);
        }
    }

    /**
     * {@code avg[i] <- decay avg[i] + (1 - decay) theta[i]}: the update of one parameter, written
     * once for the host and the OpenCL kernel (static, allocation-free).
     */
    public static void fold(double[] average, double[] params, int i, double decay) {
        average[i] = decay * average[i] + (1.0 - decay) * params[i];
    }

    /** The average itself (not a copy): callers that keep it must copy it. */
    public double[] values() {
        return average;
    }
}
