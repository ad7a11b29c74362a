package io.hermitengp.optim;

/**
 * Adam's arithmetic (Kingma and Ba, with bias correction) for one parameter, written once for the
 * Java backend and the OpenCL kernel:
 *
 * <pre>
 *   m     <- beta1 m + (1 - beta1) g
 *   v     <- beta2 v + (1 - beta2) g^2
 *   theta <- theta - lr * (m / c1) / (sqrt(v / c2) + epsilon),   c1 = 1 - beta1^t,  c2 = 1 - beta2^t
 * </pre>
 *
 * with {@code t} the 1-based count of updates the parameter's segment has received. The bias
 * corrections depend on the segment, not the parameter, so callers compute them once per segment
 * with {@link #biasCorrection} (on the host for the kernel).
 *
 * <p>The kernel calls {@link #updateMoments}, {@link #correctedSecondMoment} and
 * {@link #updateParameter}, which are static over primitives and arrays with no library calls, so
 * that Aparapi translates them as they are; the square root between the last two is the caller's
 * ({@link Math#sqrt} in Java, OpenCL's {@code sqrt} on a device, both correctly rounded in double
 * precision), as Aparapi does not translate calls into {@link Math}. {@link #update} is that
 * sequence for Java callers.
 */
public final class AdamMath {
    private AdamMath() {
    }

    /** {@code 1 - beta^t}: the bias correction of a moment after t updates. */
    public static double biasCorrection(double beta, long step) {
        return 1.0 - Math.pow(beta, step);
    }

    /**
     * One Adam update of parameter i: moments {@code m[i]}, {@code v[i]} and {@code params[i]} in
     * place, from {@code gradient[i]}.
     *
     * @param correction1 {@code 1 - beta1^t}
     * @param correction2 {@code 1 - beta2^t}
     */
    public static void update(double[] params, double[] gradient, double[] m, double[] v, int i, double beta1,
                              double beta2, double epsilon, double learningRate, double correction1,
                              double correction2) {
        updateMoments(gradient, m, v, i, beta1, beta2);
        updateParameter(params, m, i, learningRate, correction1, Math.sqrt(correctedSecondMoment(v, i, correction2)),
                epsilon);
    }

    /** {@code m[i] <- beta1 m[i] + (1 - beta1) g}, {@code v[i] <- beta2 v[i] + (1 - beta2) g^2}, {@code g = gradient[i]}. */
    public static void updateMoments(double[] gradient, double[] m, double[] v, int i, double beta1, double beta2) {
        double g = gradient[i];
        double mi = beta1 * m[i] + (1.0 - beta1) * g;
        double vi = beta2 * v[i] + (1.0 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
    }

    /** {@code v[i] / c2}: the bias-corrected second moment, whose square root scales the step. */
    public static double correctedSecondMoment(double[] v, int i, double correction2) {
        return v[i] / correction2;
    }

    /**
     * {@code params[i] <- params[i] - lr (m[i] / c1) / (root + epsilon)}, with the updated first moment
     * and {@code root = sqrt(}{@link #correctedSecondMoment}{@code )}.
     */
    public static void updateParameter(double[] params, double[] m, int i, double learningRate, double correction1,
                                       double root, double epsilon) {
        params[i] -= learningRate * (m[i] / correction1) / (root + epsilon);
    }
}
