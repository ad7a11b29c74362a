package io.hermitengp.loss;

import io.hermitengp.problem.Residual;

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
        int components = residual.components();
        residual.evaluate(x, xOffset, attributes, attributeOffset, u, uOffset, r, drdu);
        double squares = 0;
        for (int j = 0; j < jetSize; j++) {
            seed[seedOffset + j] = 0.0;
        }
        for (int c = 0; c < components; c++) {
            squares += r[c] * r[c];
            TermLossMath.addSeed(seedScale, r[c], drdu, c * jetSize, jetSize, seed, seedOffset);
        }
        return squares;
    }
}
