package io.hermitengp.encoding;

import io.hermitengp.field.Channels;

import java.util.Arrays;

/**
 * The Hermite encoding for the tiled CPU path: the same numbers as
 * {@link HermiteEncodingMath#forwardLevel} and {@link HermiteEncodingMath#backwardCorner}, bit for
 * bit, with the work those functions redo per (corner, multi-index) done once:
 *
 * <ul>
 *   <li>levels outer, points inner, each level's resolution, cell factors, table offsets, hash
 *       masks and unit factors read once per level from arrays built here;</li>
 *   <li>the 1D bases of a point computed once per axis: {@code B_{kind, side}^{(m)}(t_i)} for kind
 *       value/slope, side left/right and derivative m = 0, 1, 2 (only the derivatives the
 *       channels need), where the reference evaluates {@link HermiteEncodingMath#basisFactor}
 *       nine times per (corner, alpha);</li>
 *   <li>one entry index per (corner, order) instead of per (corner, alpha), and each
 *       multi-index's order, rank within its order and the order's count precomputed, where the
 *       reference recounts them ({@link HermiteEncodingMath#coefficientOffset});</li>
 *   <li>only the channels asked for: the value alone, value and gradient, or those and the
 *       Laplacian over the axis set S.</li>
 * </ul>
 *
 * Every product is formed with the reference's operands in the reference's order
 * ({@code u b_0 b_1 b_2}, padded axes contributing an exact factor 1), and every output and
 * table gradient receives its terms in the reference's order (corners, then multi-indices;
 * points ascending in the backward pass), which is why the results are the same bits
 * (HermiteTileEncoderTest).
 *
 * <p>Layouts: a point's encoding is {@code (C, L*F)}, C the channels asked for; a range of points
 * is {@code (points, C, L*F)}.
 */
public final class HermiteTileEncoder {
    private static final int AXES = 3;

    private final int dims;
    private final int levels;
    private final int features;
    private final int width;                // L*F
    private final double[] geometry;        // HermiteEncodingMath geometry
    private final int[] resolution;         // per level: N_l
    private final double[][] inverseCell;   // [level][axis]: N_l / extent, 0 on padded axes
    private final double[][] unitFactor;    // [level][alpha]: u_alpha
    private final int[][] tableOffset;      // [level][order]
    private final boolean[][] dense;        // [level][order]
    private final int[][] hashMask;         // [level][order]: 2^H_k - 1
    private final int periodicAxes;
    private final int[] orderOf;            // per alpha: |alpha|
    private final int[] rankOf;             // per alpha: masks of its order below it
    private final int[] countOf;            // per order: binomial(d, k)

    public HermiteTileEncoder(HermiteHashEncoding encoding) {
        int[] layout = encoding.layoutArray();
        this.geometry = encoding.geometryArray();
        this.dims = layout[0];
        this.levels = layout[1];
        this.features = layout[2];
        this.width = levels * features;
        this.resolution = new int[levels];
        this.inverseCell = new double[levels][AXES];
        this.unitFactor = new double[levels][1 << dims];
        this.tableOffset = new int[levels][dims + 1];
        this.dense = new boolean[levels][dims + 1];
        this.hashMask = new int[levels][dims + 1];
        for (int l = 0; l < levels; l++) {
            int n = layout[3 + l];
            resolution[l] = n;
            // as HermiteEncodingMath computes inv0, inv1, inv2
            inverseCell[l][0] = n / geometry[3];
            inverseCell[l][1] = dims > 1 ? n / geometry[4] : 0.0;
            inverseCell[l][2] = dims > 2 ? n / geometry[5] : 0.0;
            for (int k = 0; k <= dims; k++) {
                int slot = 3 + levels + 3 * (l * (dims + 1) + k);
                tableOffset[l][k] = layout[slot];
                dense[l][k] = layout[slot + 1] != 0;
                hashMask[l][k] = (1 << layout[slot + 2]) - 1;
            }
            for (int alpha = 0; alpha < (1 << dims); alpha++) {
                unitFactor[l][alpha] = geometry[HermiteEncodingMath.UNIT_FACTORS + 8 * l + alpha];
            }
        }
        this.periodicAxes = layout[3 + levels + 3 * levels * (dims + 1)];
        this.orderOf = new int[1 << dims];
        this.rankOf = new int[1 << dims];
        this.countOf = new int[dims + 1];
        for (int alpha = 0; alpha < (1 << dims); alpha++) {
            int order = HermiteEncodingMath.popCount3(alpha);
            orderOf[alpha] = order;
            rankOf[alpha] = countOf[order]++;
        }
    }

    public int dims() {
        return dims;
    }

    /** Encoding width per channel: L*F. */
    public int outputWidth() {
        return width;
    }

    /**
     * The channels this encoder writes: the value alone ({@code dims = 0}), or the value, all d
     * gradients and the Laplacian over any axis set.
     */
    public void requireChannels(Channels channels) {
        if (channels.dims() != 0 && channels.dims() != dims) {
            throw new IllegalArgumentException("a " + dims + "D Hermite tile encoder writes the value alone or with "
                    + dims + " gradients; asked for " + channels);
        }
    }

    /**
     * Encodes points {@code [pointFrom, pointTo)} of {@code x (n, d)} into
     * {@code out (pointTo - pointFrom, C, L*F)} at outOffset; levels at or above activeLevels are zero.
     */
    public void forward(double[] params, int paramOffset, double[] x, int pointFrom, int pointTo, int activeLevels,
                        Channels channels, double[] out, int outOffset) {
        requireChannels(channels);
        int pointSize = channels.count() * width;
        Arrays.fill(out, outOffset, outOffset + (pointTo - pointFrom) * pointSize, 0.0);
        boolean gradients = channels.dims() > 0;
        int laplacianAxes = channels.laplacianAxes();
        int lapChannel = 1 + dims;
        int derivatives = laplacianAxes != 0 ? 3 : gradients ? 2 : 1;
        double[] basis = new double[AXES * 2 * 2 * 3];
        int[] cell = new int[AXES];
        int[] entry = new int[dims + 1];
        for (int level = 0; level < activeLevels; level++) {
            int[] offsets = tableOffset[level];
            double[] units = unitFactor[level];
            for (int p = pointFrom; p < pointTo; p++) {
                locate(x, p * dims, level, derivatives, cell, basis);
                int base = outOffset + (p - pointFrom) * pointSize + level * features;
                for (int corner = 0; corner < (1 << dims); corner++) {
                    cornerEntries(level, cell, corner, entry);
                    for (int alpha = 0; alpha < (1 << dims); alpha++) {
                        int order = orderOf[alpha];
                        int coefficient = paramOffset + offsets[order]
                                + (entry[order] * countOf[order] + rankOf[alpha]) * features;
                        double u = units[alpha];
                        int i0 = basisIndex(0, alpha, corner);
                        int i1 = basisIndex(1, alpha, corner);
                        int i2 = basisIndex(2, alpha, corner);
                        double b0 = basis[i0];
                        double b1 = basis[i1];
                        double b2 = basis[i2];
                        double value = u * b0 * b1 * b2;
                        double grad0 = 0;
                        double grad1 = 0;
                        double grad2 = 0;
                        double laplacian = 0;
                        if (gradients) {
                            grad0 = u * basis[i0 + 1] * b1 * b2;
                            grad1 = u * b0 * basis[i1 + 1] * b2;
                            grad2 = u * b0 * b1 * basis[i2 + 1];
                        }
                        if (laplacianAxes != 0) {
                            laplacian = HermiteEncodingMath.laplacianSum(laplacianAxes, u, b0, b1, b2, basis[i0 + 2],
                                    basis[i1 + 2], basis[i2 + 2]);
                        }
                        for (int f = 0; f < features; f++) {
                            double theta = params[coefficient + f];
                            int o = base + f;
                            out[o] += value * theta;
                            if (gradients) {
                                out[o + width] += grad0 * theta;
                                if (dims > 1) {
                                    out[o + 2 * width] += grad1 * theta;
                                }
                                if (dims > 2) {
                                    out[o + 3 * width] += grad2 * theta;
                                }
                            }
                            if (laplacianAxes != 0) {
                                out[o + lapChannel * width] += laplacian * theta;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Accumulates level l's table gradients from points {@code [pointFrom, pointTo)} in order, then
     * corners, then multi-indices:
     * {@code dLdParams[theta(entry, alpha, f)] += sum_ch jet_ch(corner, alpha) dLdOut[point, ch, l, f]}.
     *
     * @param dLdOut adjoint of the encoding, {@code (pointTo - pointFrom, C, L*F)} at dOffset
     */
    public void backwardLevel(int level, double[] x, int pointFrom, int pointTo, Channels channels, double[] dLdOut,
                              int dOffset, double[] dLdParams, int paramOffset) {
        requireChannels(channels);
        int pointSize = channels.count() * width;
        boolean gradients = channels.dims() > 0;
        int laplacianAxes = channels.laplacianAxes();
        int lapChannel = 1 + dims;
        int derivatives = laplacianAxes != 0 ? 3 : gradients ? 2 : 1;
        double[] basis = new double[AXES * 2 * 2 * 3];
        int[] cell = new int[AXES];
        int[] entry = new int[dims + 1];
        int[] offsets = tableOffset[level];
        double[] units = unitFactor[level];
        for (int p = pointFrom; p < pointTo; p++) {
            locate(x, p * dims, level, derivatives, cell, basis);
            int base = dOffset + (p - pointFrom) * pointSize + level * features;
            for (int corner = 0; corner < (1 << dims); corner++) {
                cornerEntries(level, cell, corner, entry);
                for (int alpha = 0; alpha < (1 << dims); alpha++) {
                    int order = orderOf[alpha];
                    int coefficient = paramOffset + offsets[order]
                            + (entry[order] * countOf[order] + rankOf[alpha]) * features;
                    double u = units[alpha];
                    int i0 = basisIndex(0, alpha, corner);
                    int i1 = basisIndex(1, alpha, corner);
                    int i2 = basisIndex(2, alpha, corner);
                    double b0 = basis[i0];
                    double b1 = basis[i1];
                    double b2 = basis[i2];
                    double value = u * b0 * b1 * b2;
                    double grad0 = 0;
                    double grad1 = 0;
                    double grad2 = 0;
                    double laplacian = 0;
                    if (gradients) {
                        grad0 = u * basis[i0 + 1] * b1 * b2;
                        grad1 = u * b0 * basis[i1 + 1] * b2;
                        grad2 = u * b0 * b1 * basis[i2 + 1];
                    }
                    if (laplacianAxes != 0) {
                        laplacian = HermiteEncodingMath.laplacianSum(laplacianAxes, u, b0, b1, b2, basis[i0 + 2],
                                basis[i1 + 2], basis[i2 + 2]);
                    }
                    for (int f = 0; f < features; f++) {
                        int o = base + f;
                        double sum = value * dLdOut[o];
                        if (gradients) {
                            sum += grad0 * dLdOut[o + width];
                            if (dims > 1) {
                                sum += grad1 * dLdOut[o + 2 * width];
                            }
                            if (dims > 2) {
                                sum += grad2 * dLdOut[o + 3 * width];
                            }
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

    /** Where {@code B^{(0)}} of an axis for alpha's kind and the corner's side sits; m adds the derivative. */
    private static int basisIndex(int axis, int alpha, int corner) {
        return ((axis * 2 + (alpha >> axis & 1)) * 2 + (corner >> axis & 1)) * 3;
    }

    /**
     * The point's cell at level l and its 1D bases: {@code basis[basisIndex(axis, kind, side) + m]}
     * for derivatives m below {@code derivatives}, by {@link HermiteEncodingMath#basisFactor}.
     */
    private void locate(double[] x, int xOffset, int level, int derivatives, int[] cell, double[] basis) {
        int n = resolution[level];
        for (int axis = 0; axis < AXES; axis++) {
            double p = HermiteEncodingMath.gridCoordinate(geometry, x, xOffset, dims, axis, n);
            int c = axis == 0 || axis < dims ? HermiteEncodingMath.cell(p, n) : 0;
            cell[axis] = c;
            double t = p - c;
            for (int kind = 0; kind < 2; kind++) {
                for (int side = 0; side < 2; side++) {
                    int index = basisIndex(axis, kind << axis, side << axis);
                    for (int m = 0; m < derivatives; m++) {
                        basis[index + m] = HermiteEncodingMath.basisFactor(kind << axis, side << axis, axis, dims, m,
                                t, inverseCell[level][axis]);
                    }
                }
            }
        }
    }

    /** Entry index of the corner's vertex in each order's table of level l ({@link HermiteEncodingMath#entryIndex}). */
    private void cornerEntries(int level, int[] cell, int corner, int[] entry) {
        int n = resolution[level];
        int g0 = cell[0] + (corner & 1);
        int g1 = dims > 1 ? cell[1] + (corner >> 1 & 1) : 0;
        int g2 = dims > 2 ? cell[2] + (corner >> 2 & 1) : 0;
        if ((periodicAxes & 1) != 0 && g0 == n) {
            g0 = 0;
        }
        if ((periodicAxes & 2) != 0 && g1 == n) {
            g1 = 0;
        }
        if ((periodicAxes & 4) != 0 && g2 == n) {
            g2 = 0;
        }
        int hash = g0 ^ (g1 * HermiteEncodingMath.PRIME_1) ^ (g2 * HermiteEncodingMath.PRIME_2);
        int stride = n + 1;
        int denseIndex = g0 + stride * (g1 + stride * g2);
        for (int order = 0; order <= dims; order++) {
            entry[order] = dense[level][order] ? denseIndex : hash & hashMask[level][order];
        }
    }
}
