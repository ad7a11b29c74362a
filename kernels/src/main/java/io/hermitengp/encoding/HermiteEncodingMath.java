package io.hermitengp.encoding;

/**
 * The Hermite encoding's per-point arithmetic, written once for the Java backend and the OpenCL
 * kernels: static methods over primitive arrays, with no allocation, no objects and no library
 * calls, so that Aparapi translates them as they are.
 *
 * <p>Call structure: the entry points ({@link #forwardLevel}, {@link #backwardCorner},
 * {@link #cornerEntry}) call only leaves ({@link #entryIndex}, {@link #coefficientOffset},
 * {@link #basisFactor}, ...), and leaves call nothing. Aparapi declares translated
 * functions in an order that is right only for such a layered graph; deeper chains produce
 * OpenCL that uses a function before declaring it (KernelTranslationTest checks the order).
 * That is why {@link #forwardLevel} and {@link #backwardCorner} each locate the point and build
 * the basis jet inline rather than through a shared helper (which would have to call leaves
 * itself).
 *
 * <p>Dimension-generic by padding: every point has three axes; axes at or beyond d have
 * {@code t = 0}, cell 0 and basis factor 1 (derivatives 0), so one formula serves d = 1, 2, 3.
 *
 * <p>The 1D cubic Hermite bases on a cell, for a corner bit c (0 left, 1 right) and t in [0,1]:
 * <pre>
 *   kind VALUE (0):  W1(t) = 3t^2 - 2t^3        W0(t) = 1 - W1(t)
 *   kind SLOPE (1):  S1(t) = t^3 - t^2          S0(t) = t - 2t^2 + t^3
 * </pre>
 * W_c interpolates the value stored at corner c (1 there, 0 at the other corner, zero slope at
 * both); S_c interpolates the slope stored at corner c. Their tensor products over the axes,
 * {@code B_alpha,c = prod_i B_{alpha_i, c_i}(t_i)}, are the d-dimensional Hermite basis.
 *
 * <p>The encoding is described by two arrays, the layout built by
 * {@link HermiteGridLayout#layoutArray} and the geometry by {@link HermiteHashEncoding}:
 * <pre>
 *   layout (int):      [0] d, [1] L, [2] F, [3 + l] N_l,
 *                      [3 + L + 3 (l (d+1) + k) + {0,1,2}] table offset, dense flag, log2 size,
 *                      [3 + L + 3 L (d+1)] periodic axis mask
 *   geometry (double): [0..3) box lo, [3..6) box extent, [6 + 8 l + alpha] unit factor u_alpha
 * </pre>
 * Where a grid vertex's coefficients live ({@link #entryIndex}, {@link #coefficientOffset}) is
 * decided here and only here: the grid layout, both encodings, the kernels and the tests all call
 * these two functions.
 * An encoded point is laid out {@code (C, L*F)}: channel (value, d gradients, Laplacian if the
 * axis mask S is nonzero), then level, then feature.
 */
public final class HermiteEncodingMath {
    /** instant-NGP's hash primes for axes 1 and 2 (axis 0 uses 1). */
    public static final int PRIME_1 = (int) 2654435761L;
    public static final int PRIME_2 = 805459861;
    /** Geometry slot where the unit factors start. */
    public static final int UNIT_FACTORS = 6;
    /** Basis kind interpolating a stored value. */
    public static final int VALUE = 0;
    /** Basis kind interpolating a stored first derivative. */
    public static final int SLOPE = 1;

    private HermiteEncodingMath() {
    }

    // ---- Java-side conveniences (not used by kernels) ----

    /** B_{kind,corner}(t). */
    public static double value(int kind, int corner, double t) {
        return basisFactor(kind, corner, 0, 1, 0, t, 1.0);
    }

    /** d/dt B_{kind,corner}(t). */
    public static double firstDerivative(int kind, int corner, double t) {
        return basisFactor(kind, corner, 0, 1, 1, t, 1.0);
    }

    /** d^2/dt^2 B_{kind,corner}(t). */
    public static double secondDerivative(int kind, int corner, double t) {
        return basisFactor(kind, corner, 0, 1, 2, t, 1.0);
    }

    /** Number of channels C for d dimensions and Laplacian axis mask S. */
    public static int channelCount(int dims, int laplacianAxes) {
        return laplacianAxes != 0 ? dims + 2 : dims + 1;
    }

    // ---- leaves ----

    /** Order of a multi-index: its number of set bits (three axes at most). */
    public static int popCount3(int mask) {
        return (mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1);
    }

    /** binomial(d, k) for d <= 3: the number of multi-indices of order k. */
    public static int countOfOrder(int dims, int order) {
        int count = 0;
        for (int mask = 0; mask < (1 << dims); mask++) {
            if ((mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1) == order) {
                count++;
            }
        }
        return count;
    }

    /** Offset of the order-k table of level l in the buffer. */
    public static int tableOffset(int[] layout, int level, int order) {
        return layout[3 + layout[1] + 3 * (level * (layout[0] + 1) + order)];
    }

    /**
     * Offset in the buffer of the F-feature coefficient vector of multi-index alpha at an entry of
     * its order's table in level l. An entry of the order-k table holds {@code binomial(d, k)}
     * vectors, one per multi-index of order k in ascending mask order, so the offset is
     * {@code tableOffset(l, k) + (entry binomial(d, k) + rank(alpha)) F} with {@code rank(alpha)} the
     * number of masks of alpha's order below alpha. A leaf (see the class comment), so it counts
     * inline rather than through {@link #countOfOrder}.
     */
    public static int coefficientOffset(int[] layout, int level, int alpha, int entry) {
        int d = layout[0];
        int order = (alpha & 1) + (alpha >> 1 & 1) + (alpha >> 2 & 1);
        int count = 0;
        int rank = 0;
        for (int mask = 0; mask < (1 << d); mask++) {
            if ((mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1) == order) {
                if (mask < alpha) {
                    rank++;
                }
                count++;
            }
        }
        return layout[3 + layout[1] + 3 * (level * (d + 1) + order)] + (entry * count + rank) * layout[2];
    }

    /**
     * Cell index along an axis: floor(p) clamped to [0, N-1] (the cast equals floor after the
     * clamp), and 0 for a NaN. The clamp comes before the cast because the OpenCL kernel runs this
     * code too, and C leaves converting a NaN or an out-of-range double to int undefined (x86 gives
     * INT_MIN: a negative index into the tables); Java's cast gives the same results either way.
     */
    public static int cell(double p, int n) {
        double top = n - 1;
        return p >= 0 ? (int) (p < top ? p : top) : 0;
    }

    /** p = s N along an axis, s the normalised coordinate; 0 for padded axes. */
    public static double gridCoordinate(double[] geometry, double[] x, int xOffset, int dims, int axis, int n) {
        if (axis >= dims) {
            return 0.0;
        }
        return (x[xOffset + axis] - geometry[axis]) / geometry[3 + axis] * n;
    }

    /**
     * Entry index of grid vertex {@code g = (g0, g1, g2)} (each in {@code 0..N_l}, 0 on padded axes)
     * in the order-k table of level l. A dense table (the layout's flag, set when
     * {@code (N_l+1)^d <= 2^H_k}) stores vertices in lexicographic order, axis 0 fastest:
     * {@code g0 + g1 (N_l+1) + g2 (N_l+1)^2}. A hashed one uses instant-NGP's spatial hash
     * {@code (g0 pi0 XOR g1 pi1 XOR g2 pi2) mod 2^H_k} with {@code pi = (1, 2654435761, 805459861)}
     * in wrapping (unsigned) 32-bit arithmetic; the mod is a mask because the table size is a power
     * of two. Along a periodic axis vertex N_l is vertex 0, so the field and all its derivatives
     * match across the period exactly.
     */
    public static int entryIndex(int[] layout, int level, int order, int g0, int g1, int g2) {
        int periodic = layout[3 + layout[1] + 3 * layout[1] * (layout[0] + 1)];
        int n = layout[3 + level];
        if ((periodic & 1) != 0 && g0 == n) {
            g0 = 0;
        }
        if ((periodic & 2) != 0 && g1 == n) {
            g1 = 0;
        }
        if ((periodic & 4) != 0 && g2 == n) {
            g2 = 0;
        }
        int slot = 3 + layout[1] + 3 * (level * (layout[0] + 1) + order);
        if (layout[slot + 1] != 0) {
            int stride = layout[3 + level] + 1;
            return g0 + stride * (g1 + stride * g2);
        }
        int h = g0 ^ (g1 * PRIME_1) ^ (g2 * PRIME_2);
        return h & ((1 << layout[slot + 2]) - 1);
    }

    /**
     * The 1D basis factor of one axis for multi-index alpha and corner: {@code B}, {@code B'/h} or
     * {@code B''/h^2} (derivative 0, 1, 2), with {@code inverseCell = 1/h}; padded axes give 1, 0, 0.
     */
    public static double basisFactor(int alpha, int corner, int axis, int dims, int derivative, double t,
                                     double inverseCell) {
        if (axis >= dims) {
            return derivative == 0 ? 1.0 : 0.0;
        }
        boolean slope = (alpha >> axis & 1) == SLOPE;
        boolean right = (corner >> axis & 1) == 1;
        double t2 = t * t;
        if (derivative == 0) {
            if (!slope) {
                double w1 = 3.0 * t2 - 2.0 * t2 * t;
                return right ? w1 : 1.0 - w1;
            }
            return right ? t2 * t - t2 : t - 2.0 * t2 + t2 * t;
        }
        if (derivative == 1) {
            if (!slope) {
                double dw1 = 6.0 * t - 6.0 * t2;
                return (right ? dw1 : -dw1) * inverseCell;
            }
            return (right ? 3.0 * t2 - 2.0 * t : 1.0 - 4.0 * t + 3.0 * t2) * inverseCell;
        }
        if (!slope) {
            double ddw1 = 6.0 - 12.0 * t;
            return (right ? ddw1 : -ddw1) * inverseCell * inverseCell;
        }
        return (right ? 6.0 * t - 2.0 : 6.0 * t - 4.0) * inverseCell * inverseCell;
    }

    /** {@code u sum_{j in S} B''_j/h_j^2 prod_{i != j} B_i}, from the factors {@code B_i} and {@code s_i = B''_i/h_i^2}. */
    public static double laplacianSum(int laplacianAxes, double u, double b0, double b1, double b2, double s0,
                                      double s1, double s2) {
        double sum = 0.0;
        if ((laplacianAxes & 1) != 0) {
            sum += s0 * b1 * b2;
        }
        if ((laplacianAxes & 2) != 0) {
            sum += b0 * s1 * b2;
        }
        if ((laplacianAxes & 4) != 0) {
            sum += b0 * b1 * s2;
        }
        return u * sum;
    }

    // ---- entry points ----

    /**
     * Adds level l of one point to {@code out (C, L*F)}:
     * {@code out[ch, l, f] += sum_corners sum_alpha jet_ch(corner, alpha) * theta[entry(corner), alpha, f]},
     * where {@code jet_value = u_alpha prod_i B_i}, {@code jet_j = u_alpha (B'_j/h_j) prod_{i != j} B_i},
     * {@code jet_L = u_alpha sum_{j in S} (B''_j/h_j^2) prod_{i != j} B_i}.
     */
    public static void forwardLevel(int[] layout, double[] geometry, double[] params, int paramOffset, double[] x,
                                    int xOffset, int level, int laplacianAxes, double[] out, int outOffset) {
        int d = layout[0];
        int features = layout[2];
        int width = layout[1] * features;
        int n = layout[3 + level];
        double p0 = gridCoordinate(geometry, x, xOffset, d, 0, n);
        double p1 = gridCoordinate(geometry, x, xOffset, d, 1, n);
        double p2 = gridCoordinate(geometry, x, xOffset, d, 2, n);
        int c0 = cell(p0, n);
        int c1 = d > 1 ? cell(p1, n) : 0;
        int c2 = d > 2 ? cell(p2, n) : 0;
        double t0 = p0 - c0;
        double t1 = p1 - c1;
        double t2 = p2 - c2;
        double inv0 = n / geometry[3];
        double inv1 = d > 1 ? n / geometry[4] : 0.0;
        double inv2 = d > 2 ? n / geometry[5] : 0.0;
        int lapChannel = 1 + d;
        int base = outOffset + level * features;
        for (int corner = 0; corner < (1 << d); corner++) {
            int g0 = c0 + (corner & 1);
            int g1 = d > 1 ? c1 + (corner >> 1 & 1) : 0;
            int g2 = d > 2 ? c2 + (corner >> 2 & 1) : 0;
            for (int alpha = 0; alpha < (1 << d); alpha++) {
                int order = popCount3(alpha);
                int entry = entryIndex(layout, level, order, g0, g1, g2);
                int coefficient = paramOffset + coefficientOffset(layout, level, alpha, entry);
                double u = geometry[UNIT_FACTORS + 8 * level + alpha];
                double b0 = basisFactor(alpha, corner, 0, d, 0, t0, inv0);
                double b1 = basisFactor(alpha, corner, 1, d, 0, t1, inv1);
                double b2 = basisFactor(alpha, corner, 2, d, 0, t2, inv2);
                double value = u * b0 * b1 * b2;
                double grad0 = u * basisFactor(alpha, corner, 0, d, 1, t0, inv0) * b1 * b2;
                double grad1 = u * b0 * basisFactor(alpha, corner, 1, d, 1, t1, inv1) * b2;
                double grad2 = u * b0 * b1 * basisFactor(alpha, corner, 2, d, 1, t2, inv2);
                double laplacian = laplacianSum(laplacianAxes, u, b0, b1, b2,
                        basisFactor(alpha, corner, 0, d, 2, t0, inv0), basisFactor(alpha, corner, 1, d, 2, t1, inv1),
                        basisFactor(alpha, corner, 2, d, 2, t2, inv2));
                for (int f = 0; f < features; f++) {
                    double theta = params[coefficient + f];
                    int o = base + f;
                    out[o] += value * theta;
                    out[o + width] += grad0 * theta;
                    if (d > 1) {
                        out[o + 2 * width] += grad1 * theta;
                    }
                    if (d > 2) {
                        out[o + 3 * width] += grad2 * theta;
                    }
                    if (laplacianAxes != 0) {
                        out[o + lapChannel * width] += laplacian * theta;
                    }
                }
            }
        }
    }

    /** Entry index of one corner of the point's cell at level l in the order-k table. */
    public static int cornerEntry(int[] layout, double[] geometry, double[] x, int xOffset, int level, int order,
                                  int corner) {
        int d = layout[0];
        int n = layout[3 + level];
        int g0 = cell(gridCoordinate(geometry, x, xOffset, d, 0, n), n) + (corner & 1);
        int g1 = d > 1 ? cell(gridCoordinate(geometry, x, xOffset, d, 1, n), n) + (corner >> 1 & 1) : 0;
        int g2 = d > 2 ? cell(gridCoordinate(geometry, x, xOffset, d, 2, n), n) + (corner >> 2 & 1) : 0;
        return entryIndex(layout, level, order, g0, g1, g2);
    }

    /**
     * Backward pass of one (point, level, corner, order): for each multi-index alpha of that order,
     * {@code dLdParams[theta(entry, alpha, f)] += sum_ch jet_ch(corner, alpha) * dLdOut[ch, l, f]}.
     * Accumulating over points in ascending order, then corners, gives every coefficient the same
     * summation order in the Java scatter and in the OpenCL gather.
     *
     * @param dLdOut adjoint of the point's encoding, (C, L*F) at {@code dOffset}
     */
    public static void backwardCorner(int[] layout, double[] geometry, double[] dLdParams, int paramOffset, double[] x,
                                      int xOffset, int level, int order, int corner, int laplacianAxes, double[] dLdOut,
                                      int dOffset) {
        int d = layout[0];
        int features = layout[2];
        int width = layout[1] * features;
        int n = layout[3 + level];
        double p0 = gridCoordinate(geometry, x, xOffset, d, 0, n);
        double p1 = gridCoordinate(geometry, x, xOffset, d, 1, n);
        double p2 = gridCoordinate(geometry, x, xOffset, d, 2, n);
        int c0 = cell(p0, n);
        int c1 = d > 1 ? cell(p1, n) : 0;
        int c2 = d > 2 ? cell(p2, n) : 0;
        double t0 = p0 - c0;
        double t1 = p1 - c1;
        double t2 = p2 - c2;
        double inv0 = n / geometry[3];
        double inv1 = d > 1 ? n / geometry[4] : 0.0;
        double inv2 = d > 2 ? n / geometry[5] : 0.0;
        int entry = entryIndex(layout, level, order, c0 + (corner & 1), d > 1 ? c1 + (corner >> 1 & 1) : 0,
                d > 2 ? c2 + (corner >> 2 & 1) : 0);
        int lapChannel = 1 + d;
        int base = dOffset + level * features;
        for (int alpha = 0; alpha < (1 << d); alpha++) {
            if (popCount3(alpha) == order) {
                int coefficient = paramOffset + coefficientOffset(layout, level, alpha, entry);
                double u = geometry[UNIT_FACTORS + 8 * level + alpha];
                double b0 = basisFactor(alpha, corner, 0, d, 0, t0, inv0);
                double b1 = basisFactor(alpha, corner, 1, d, 0, t1, inv1);
                double b2 = basisFactor(alpha, corner, 2, d, 0, t2, inv2);
                double value = u * b0 * b1 * b2;
                double grad0 = u * basisFactor(alpha, corner, 0, d, 1, t0, inv0) * b1 * b2;
                double grad1 = u * b0 * basisFactor(alpha, corner, 1, d, 1, t1, inv1) * b2;
                double grad2 = u * b0 * b1 * basisFactor(alpha, corner, 2, d, 1, t2, inv2);
                double laplacian = laplacianSum(laplacianAxes, u, b0, b1, b2,
                        basisFactor(alpha, corner, 0, d, 2, t0, inv0), basisFactor(alpha, corner, 1, d, 2, t1, inv1),
                        basisFactor(alpha, corner, 2, d, 2, t2, inv2));
                for (int f = 0; f < features; f++) {
                    int o = base + f;
                    double sum = value * dLdOut[o] + grad0 * dLdOut[o + width];
                    if (d > 1) {
                        sum += grad1 * dLdOut[o + 2 * width];
                    }
                    if (d > 2) {
                        sum += grad2 * dLdOut[o + 3 * width];
                    }
                    if (laplacianAxes != 0) {
                        sum += laplacian * dLdOut[o + lapChannel * width];
                    }
                    dLdParams[coefficient + f] += sum;
                }
            }
        }
    }
}
