package io.hermitengp.optim;

/**
 * Adam's constants, and its update applied to a range of a parameter buffer (the per-parameter
 * arithmetic is {@link AdamMath#update}, which the OpenCL kernel runs too):
 *
 * <pre>
 *   m <- beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   theta <- theta - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 *
 * with {@code t} the 1-based count of updates this range has received. Ranges keep their own
 * count, so an encoding level switched on late by the curriculum gets the same bias correction
 * on its first update as a level trained from the start.
 */
public record Adam(double beta1, double beta2, double epsilon) {
    public Adam {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("Adam epsilon must be >= 0, got " + epsilon);
        }
    }

    /**
     * One update of {@code params[from, to)}.
     *
     * @param m    first-moment state, same layout as params
     * @param v    second-moment state, same layout as params
     * @param step the 1-based update count of this range
     */
    public void update(double[] params, double[] gradient, double[] m, double[] v, int from, int to,
                       double learningRate, long step) {
        double correction1 = AdamMath.biasCorrection(beta1, step);
        double correction2 = AdamMath.biasCorrection(beta2, step);
        for (int i = from; i < to; i++) {
            AdamMath.update(params, gradient, m, v, i, beta1, beta2, epsilon, learningRate, correction1, correction2);
        }
    }
}
