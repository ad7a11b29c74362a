package io.hermitengp.loss;

import io.hermitengp.problem.Residual;
import io.hermitengp.problem.StandardResidual;

/**
 * The loss contribution of one point and the adjoint it seeds into the backward pass.
 *
 * <p>Term k has loss {@code L_k = (1/n_k) sum_p sum_c r_{p,c}^2} and enters the total loss with
 * weight {@code w_k}; the seed of point p is therefore
 * {@code dL/du_j = w_k (2/n_k) sum_c r_{p,c} dr_{p,c}/du_j} ({@link TermLossMath#addSeed}, per
 * component). Per-thread working memory; not thread-safe.
 */
public final class LossSeeds {
    private final double[] r;
    private final double[] drdu;
    private final int jetSize;
    /** A {@link StandardResidual}'s per-point data; grows to the widest residual seen. */
    private double[] data = new double[1];

    /** @param jetSize C * outputs */
    public LossSeeds(int maxComponents, int jetSize) {
        this.r = new double[maxComponents];
        this.drdu = new double[maxComponents * jetSize];
        this.jetSize = jetSize;
    }

    /**
     * Evaluates the residual at a point and writes the seed.
     *
     * @param seedScale {@code w_k * 2 / n_k} ({@link TermLossMath#seedScale})
     * @param seed      receives {@code dL/du} at {@code seed[seedOffset ..]}, (C, outputs)
     * @return {@code sum_c r_c^2} at the point
     */
    public double evaluate(Residual residual, double[] x, int xOffset, double[] attributes, int attributeOffset,
                           double[] u, int uOffset, double seedScale, double[] seed, int seedOffset) {
        if (residual instanceof StandardResidual standard) {
            if (data.length < standard.dataWidth()) {
                data = new double[standard.dataWidth()];
            }
            standard.evaluate(x, xOffset, attributes, attributeOffset, u, uOffset, data, r, drdu);
        } else {
            residual.evaluate(x, xOffset, attributes, attributeOffset, u, uOffset, r, drdu);
        }
        return TermLossMath.pointSeeds(seedScale, residual.components(), jetSize, r, 0, drdu, 0, seed, seedOffset);
    }
}
