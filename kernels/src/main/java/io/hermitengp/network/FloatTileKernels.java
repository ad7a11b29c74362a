package io.hermitengp.network;

import io.hermitengp.field.Channels;

/**
 * The SIREN's arithmetic over a tile of rows in float, for {@link Precision#FLOAT32}: the layout
 * and the operation order of {@link TileKernels}, on float arrays. Every output element is one
 * chain of float operations in a fixed order, ascending over the summed index, each step a fused
 * multiply-add; {@link ScalarFloatTileKernels} and {@link VectorFloatTileKernels} may only differ
 * in how many independent elements they compute at once, so they give the same bits.
 *
 * <p>The sine's argument is not rounded: {@code s = sin(w z)} and {@code c = cos(w z)} are
 * {@link SineCosineFloat}'s, which carries {@code w z} as a float and its rounding error. A
 * rounded float argument would carry an absolute error of {@code |w z| 2^-24}, which the sine
 * passes on whole; this way s and c are within {@code 2^-23} of the sine of the stored z.
 */
public interface FloatTileKernels {
    /** The name the backend reports: {@code scalar} or {@code vector}. */
    String name();

    /**
     * {@code c[r, j] <- c[r, j] + sum_k a[r, k] b[k, j]}, k ascending, each step
     * {@code fma(a[r, k], b[k, j], acc)} in float starting from the value in c.
     *
     * @param a (rows, inner) at aOffset
     * @param b (inner, cols) at bOffset
     * @param c (rows, cols) at cOffset, accumulated into
     */
    void multiplyAdd(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int rows, int inner,
                     int cols);

    /**
     * {@code c[i, j] <- c[i, j] + sum_r a[r, i] b[r, j]}, r ascending, each step
     * {@code fma(a[r, i], b[r, j], acc)} in float: a tile's weight gradient {@code zbar^T a_prev}.
     *
     * @param a (rows, m) at aOffset
     * @param b (rows, cols) at bOffset
     * @param c (m, cols) at cOffset, accumulated into
     */
    void multiplyAddTransposed(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int rows,
                               int m, int cols);

    /**
     * {@link TileKernels#sineForward} in float, {@code s} and {@code c} by {@link SineCosineFloat},
     * then with {@code wf = (float) w} in float:
     * <pre>
     *   a = s,   a_j = (wf c) z_j,   a_L = ((-wf wf) s) sum_{j in S} z_j^2 + (wf c) z_L
     * </pre>
     * the squares summed in ascending j from the first, each product rounded.
     */
    void sineForward(float[] z, float[] a, float[] cosine, int points, Channels channels, int width, double w);

    /**
     * {@link TileKernels#sineBackward} in float, with {@code wf = (float) w}, {@code w2 = wf wf},
     * {@code w3 = w2 wf}, left to right as written:
     * <pre>
     *   zbar_L = (abar_L wf) c
     *   zbar_j = (abar_j wf) c - [j in S] (((abar_L 2) w2) s) z_j
     *   zbar   = (abar wf) c - sum_j ((s w2) abar_j) z_j - abar_L ((c w3) squares + (s w2) z_L)
     * </pre>
     * the sum over j subtracted term by term in ascending j.
     */
    void sineBackward(float[] z, float[] a, float[] cosine, float[] abar, float[] zbar, int points,
                      Channels channels, int width, double w);
}
