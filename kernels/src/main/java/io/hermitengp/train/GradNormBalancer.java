package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.loss.CollocationBatch;

/**
 * Grad-norm loss balancing (as in jaxpi): every few steps, with {@code g_k = ||grad_theta L_k||_2}
 * the gradient norm of each unweighted term,
 * {@code w_hat_k = mean(g) / g_k} and {@code w_k <- 0.9 w_k + 0.1 w_hat_k}. Terms whose gradient is
 * zero keep their weight.
 */
public final class GradNormBalancer {
    private static final double MOMENTUM = 0.9;

    private GradNormBalancer() {
    }

    /** Updates {@code weights} in place from the batch's per-term gradient norms. */
    public static void update(TrainingBackend backend, CollocationBatch batch, int activeLevels, double[] weights) {
        int terms = batch.terms();
        double[] norms = new double[terms];
        double[] unit = new double[terms];
        double[] losses = new double[terms];
        for (int k = 0; k < terms; k++) {
            java.util.Arrays.fill(unit, 0.0);
            unit[k] = 1.0;
            backend.computeGradient(batch, unit, activeLevels, losses);
            norms[k] = backend.gradientNorm();
        }
        double mean = 0;
        for (double n : norms) {
            mean += n / terms;
        }
        for (int k = 0; k < terms; k++) {
            if (norms[k] > 0 && Double.isFinite(norms[k])) {
                weights[k] = MOMENTUM * weights[k] + (1 - MOMENTUM) * mean / norms[k];
            }
        }
    }
}
