package io.hermitengp.loss;

/**
 * The loss terms' arithmetic, written once for the Java backend and the OpenCL kernel: static
 * methods over primitives and arrays, no objects and no library calls, so Aparapi translates them
 * as they are.
 *
 * <p>The loss is {@code L = sum_k w_k L_k} over named terms, with term k's loss the mean over its
 * {@code n_k} points of the point's squared residuals,
 * {@code L_k = (1/n_k) sum_p sum_c r_{p,c}^2}. The adjoint a point seeds into the backward pass is
 * therefore {@code dL/du_j = s_k sum_c r_{p,c} dr_{p,c}/du_j} with the seed scale
 * {@code s_k = w_k 2 / n_k}.
 */
public final class TermLossMath {
    private TermLossMath() {
    }

    /** {@code s_k = w_k 2 / n_k}: the factor of a term's seeds, {@code d(w_k L_k)/dr = s_k r}. */
    public static double seedScale(double weight, int points) {
        return weight * 2.0 / points;
    }

    /**
     * {@code seed[j] += s_k r dr/du_j} for one residual component r, {@code j = 0..jetSize-1}; nothing
     * when {@code s_k r} is zero (the seed is unchanged either way).
     *
     * @param drdu {@code dr/du}, {@code jetSize} numbers at {@code drduOffset}
     */
    public static void addSeed(double seedScale, double r, double[] drdu, int drduOffset, int jetSize, double[] seed,
                               int seedOffset) {
        double scale = seedScale * r;
        if (scale != 0.0) {
            for (int j = 0; j < jetSize; j++) {
                seed[seedOffset + j] += scale * drdu[drduOffset + j];
            }
        }
    }

    /**
     * A point's seeds from all its residual components: {@code seed[j] = s_k sum_c r_c dr_c/du_j}
     * (cleared first, then one {@link #addSeed} per component in order).
     *
     * @param r    {@code components} numbers at {@code rOffset}
     * @param drdu {@code (components, jetSize)} at {@code drduOffset}
     * @return the point's loss {@code sum_c r_c^2}, summed in component order
     */
    public static double pointSeeds(double seedScale, int components, int jetSize, double[] r, int rOffset,
                                    double[] drdu, int drduOffset, double[] seed, int seedOffset) {
        for (int j = 0; j < jetSize; j++) {
            seed[seedOffset + j] = 0.0;
        }
        double squares = 0.0;
        for (int c = 0; c < components; c++) {
            double rc = r[rOffset + c];
            squares += rc * rc;
            addSeed(seedScale, rc, drdu, drduOffset + c * jetSize, jetSize, seed, seedOffset);
        }
        return squares;
    }

    /**
     * {@code L_k = (1/n_k) sum_{p in [from, to)} pointLoss[p]}, summed in point order so that every
     * backend and thread count gives the same bits; {@code pointLoss[p] = sum_c r_{p,c}^2}.
     */
    public static double termLoss(double[] pointLoss, int from, int to) {
        double sum = 0.0;
        for (int p = from; p < to; p++) {
            sum += pointLoss[p];
        }
        return sum / (to - from);
    }
}
