package io.hermitengp.network;

import io.hermitengp.field.Channels;

/**
 * The SIREN's arithmetic over a tile of rows, for the tiled CPU path. A row is one channel of one
 * point; a tile of P points with C channels each has {@code R = P C} rows, point-major
 * ({@code row = p C + ch}, channels in {@link Channels} order), every matrix row-major.
 *
 * <p>Every output element is one chain of operations in a fixed order, ascending over the summed
 * index, each step a fused multiply-add; no reduction is ever split across lanes or threads.
 * Implementations may only differ in how many independent elements they compute at once, so
 * {@link ScalarTileKernels} and {@link VectorTileKernels} give the same bits, and a result does
 * not depend on the vector width of the machine.
 *
 * <p>The column operations at the end serve the Hermite encoding's arithmetic over a column of
 * points ({@link io.hermitengp.encoding.HermiteTileEncoder}): elementwise, each element one
 * rounding per operation in the stated order.
 */
public interface TileKernels {
    /** The name the backend reports: {@code scalar} or {@code vector}. */
    String name();

    /**
     * {@code c[r, j] <- c[r, j] + sum_k a[r, k] b[k, j]}, k ascending, each step
     * {@code fma(a[r, k], b[k, j], acc)} starting from the value in c.
     *
     * @param a (rows, inner) at aOffset
     * @param b (inner, cols) at bOffset
     * @param c (rows, cols) at cOffset, accumulated into
     */
    void multiplyAdd(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, int rows, int inner,
                     int cols);

    /**
     * {@code c[i, j] <- c[i, j] + sum_r a[r, i] b[r, j]}, r ascending, each step
     * {@code fma(a[r, i], b[r, j], acc)}: a weight gradient {@code dW += zbar^T a_prev} over a tile.
     *
     * @param a (rows, m) at aOffset
     * @param b (rows, cols) at bOffset
     * @param c (m, cols) at cOffset, accumulated into
     */
    void multiplyAddTransposed(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, int rows,
                               int m, int cols);

    /**
     * {@code c[j] <- c[j] + sum_p a[p stride + j]}, p ascending, plain adds: a bias gradient over
     * the value rows of a tile.
     */
    void addRows(double[] a, int aOffset, int stride, int count, double[] c, int cOffset, int cols);

    /**
     * Sine activation of every unit of every point of the tile, with its channels
     * ({@link SirenNetwork}): with {@code s = sin(w z)}, {@code c = cos(w z)}
     * from {@link SineCosine},
     * <pre>
     *   a = s,   a_j = w c z_j,   a_L = -w^2 s sum_{j in S} z_j^2 + w c z_L
     * </pre>
     * in the operation order of {@link SirenMath#sineForwardUnit}.
     *
     * @param z      pre-activations (P C, width)
     * @param a      receives the activations (P C, width)
     * @param cosine receives {@code cos(w z)} of the value rows (P, width)
     */
    void sineForward(double[] z, double[] a, double[] cosine, int points, Channels channels, int width, double w);

    /**
     * Pre-activation adjoints of a sine layer from its activation adjoints, in the operation order
     * of {@link SirenMath#sineBackwardUnit}:
     * <pre>
     *   zbar_L = abar_L w c
     *   zbar_j = abar_j w c - [j in S] abar_L 2 w^2 s z_j
     *   zbar   = abar w c - w^2 s sum_j abar_j z_j - abar_L (w^3 c sum_{j in S} z_j^2 + w^2 s z_L)
     * </pre>
     *
     * @param z      the layer's pre-activations (P C, width)
     * @param a      the layer's activations (P C, width): s is the value row
     * @param cosine {@code cos(w z)} (P, width)
     * @param abar   activation adjoints (P C, width)
     * @param zbar   receives the pre-activation adjoints (P C, width)
     */
    void sineBackward(double[] z, double[] a, double[] cosine, double[] abar, double[] zbar, int points,
                      Channels channels, int width, double w);

    /**
     * {@code out[p] = ((first x[r0 + p]) x[r1 + p]) x[r2 + p]} for p below count, with as many factors
     * (1 to 3) as asked, multiplied from the left: a Hermite jet {@code ((u B_0) B_1) B_2} over a
     * column of points.
     */
    void columnProduct(double first, double[] x, int r0, int r1, int r2, int factors, double[] out, int outOffset,
                       int count);

    /** {@code out[p] = x[p] y[p]} for p below count. */
    void columnMultiply(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset, int count);

    /** {@code out[p] <- out[p] + x[p] y[p]}, the product rounded, then the sum (no fused step). */
    void columnMultiplyAdd(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset, int count);

    /** {@code out[p] <- out[p] + x[p]}. */
    void columnAdd(double[] x, int xOffset, double[] out, int outOffset, int count);

    /** {@code out[p] <- s out[p]}. */
    void columnScale(double s, double[] out, int outOffset, int count);
}
