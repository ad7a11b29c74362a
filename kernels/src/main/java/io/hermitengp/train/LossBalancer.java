package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.loss.CollocationBatch;

import java.util.Arrays;

/**
 * Loss-weight balancing from the gradient norms of the terms: every few steps,
 * {@code g_k = ||grad_theta L_k||_2} is measured for each unweighted term on the current batch and
 * the weights move a tenth of the way to a target:
 *
 * <pre>
 *   grad_norm  (as in jaxpi):              w_k <- 0.9 w_k + 0.1 mean(g) / g_k          every term
 *   grad_ratio (the Hermite-NGP reference): w_k <- clamp(0.9 w_k + 0.1 g_ref / g_k, lo_k, hi_k)
 *                                           every term but the reference, whose weight stays
 * </pre>
 *
 * A term whose gradient norm is zero or not finite keeps its weight ({@code grad_ratio} also skips
 * norms at or below 1e-8, as the reference code does). Only the terms in the loss take part: a
 * term not yet in it ({@code loss_weights.start_steps}) is neither measured nor moved, and the mean
 * of {@code grad_norm} is over the terms in the loss.
 */
public final class LossBalancer {
    private static final double MOMENTUM = 0.9;
    /** Below this gradient norm a term is left alone by {@code grad_ratio}. */
    static final double MIN_RATIO_NORM = 1e-8;

    private LossBalancer() {
    }

    /**
     * {@code grad_norm}: updates {@code weights} in place.
     *
     * @param inLoss per term, whether it is in the loss (the others are left alone)
     */
    public static void gradNorm(TrainingBackend backend, CollocationBatch batch, int activeLevels, double[] weights,
                                boolean[] inLoss) {
        double[] norms = termGradientNorms(backend, batch, activeLevels, inLoss);
        int terms = 0;
        for (boolean in : inLoss) {
            terms += in ? 1 : 0;
        }
        double mean = 0;
        for (int k = 0; k < norms.length; k++) {
            if (inLoss[k]) {
                mean += norms[k] / terms;
            }
        }
        for (int k = 0; k < norms.length; k++) {
            if (inLoss[k] && norms[k] > 0 && Double.isFinite(norms[k])) {
                weights[k] = MOMENTUM * weights[k] + (1 - MOMENTUM) * mean / norms[k];
            }
        }
    }

    /**
     * {@code grad_ratio}: updates {@code weights} in place.
     *
     * @param inLoss    per term, whether it is in the loss (the others are left alone; the
     *                  reference must be in it)
     * @param reference the term the others are balanced against
     * @param lo        per term, the lowest weight
     * @param hi        per term, the highest weight
     */
    public static void gradRatio(TrainingBackend backend, CollocationBatch batch, int activeLevels, double[] weights,
                                 boolean[] inLoss, int reference, double[] lo, double[] hi) {
        if (!inLoss[reference]) {
            throw new IllegalArgumentException("the reference term " + reference + " is not in the loss");
        }
        double[] norms = termGradientNorms(backend, batch, activeLevels, inLoss);
        double referenceNorm = norms[reference];
        if (!Double.isFinite(referenceNorm)) {
            return;
        }
        for (int k = 0; k < norms.length; k++) {
            if (k != reference && inLoss[k] && norms[k] > MIN_RATIO_NORM && Double.isFinite(norms[k])) {
                double w = MOMENTUM * weights[k] + (1 - MOMENTUM) * referenceNorm / norms[k];
                weights[k] = Math.max(lo[k], Math.min(hi[k], w));
            }
        }
    }

    /** {@code ||grad_theta L_k||_2} of each unweighted term in the loss on the batch; NaN for the others. */
    static double[] termGradientNorms(TrainingBackend backend, CollocationBatch batch, int activeLevels,
                                      boolean[] inLoss) {
        int terms = batch.terms();
        double[] norms = new double[terms];
        double[] unit = new double[terms];
        double[] losses = new double[terms];
        for (int k = 0; k < terms; k++) {
            if (!inLoss[k]) {
                norms[k] = Double.NaN;   // not measured: a gradient pass saved
                continue;
            }
            Arrays.fill(unit, 0.0);
            unit[k] = 1.0;
            backend.computeGradient(batch, unit, activeLevels, losses);
            norms[k] = backend.gradientNorm();
        }
        return norms;
    }
}
