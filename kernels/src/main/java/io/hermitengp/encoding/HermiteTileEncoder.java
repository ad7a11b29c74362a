package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.network.TileKernels;

import java.util.Arrays;

/**
 * The Hermite encoding for the tiled CPU path: the same numbers as
 * {@link HermiteEncodingMath#forwardLevel} and {@link HermiteEncodingMath#backwardCorner}, bit for
 * bit, computed a block of points at a time instead of one (corner, multi-index) of one point at a
 * time:
 *
 * <ul>
 *   <li>levels outer, points inner; a level's resolution, cell factors, table offsets, hash masks
 *       and unit factors are read once per level from arrays built here;</li>
 *   <li>each point's 1D bases computed once per axis, {@code B_{kind, side}^{(m)}(t_i)} for kind
 *       value/slope, side left/right and derivative m = 0, 1, 2 (only those the channels need),
 *       where the reference evaluates {@link HermiteEncodingMath#basisFactor} nine times per
 *       (corner, multi-index);</li>
 *   <li>one spatial hash and dense index per corner, and each multi-index's order, rank within
 *       its order and the order's count precomputed, where the reference recomputes the entry and
 *       recounts them per coefficient ({@link HermiteEncodingMath#coefficientOffset});</li>
 *   <li>only the channels asked for: the value alone, value and gradient, or those and the
 *       Laplacian over the axis set S;</li>
 *   <li>arithmetic in columns over the points of a block ({@value #BLOCK} at most): each jet,
 *       accumulation and adjoint is an elementwise {@link TileKernels} column operation (vector
 *       instructions on the vector path), the bases and offsets plain loops over points, and the
 *       table reads of a block are issued together, so cache misses overlap instead of stalling
 *       one point at a time. The columns need length: callers encode many points per call (the
 *       tiled step encodes a chunk's run of tiles at once).</li>
 * </ul>
 *
 * Every product is formed with the reference's operands in the reference's order
 * ({@code ((u b_0) b_1) b_2}; an axis beyond d is the reference's exact factor 1 and is left
 * out), and every output and table gradient receives its terms in the reference's order (corners,
 * then multi-indices; points ascending in the backward pass), which is why the results are the
 * same bits (HermiteTileEncoderTest).
 *
 * <p>Layouts: a point's encoding is {@code (C, L*F)}, C the channels asked for; a range of points
 * is {@code (points, C, L*F)}; the backward pass reads one level's adjoint, {@code (points, C, F)}.
 * Working memory is per instance: one encoder per thread.
 */
public final class HermiteTileEncoder implements TileEncoder {
    /** Points per block of the column-wise arithmetic. */
    static final int BLOCK = 256;

    private final TileKernels kernels;
    private final int dims;
    private final int levels;
    private final int features;
    private final int width;                // L*F
    private final int corners;              // 2^d; also the number of multi-indices
    private final double[] geometry;        // HermiteEncodingMath geometry
    private final int[] resolution;         // per level: N_l
    private final double[][] inverseCell;   // [level][axis]: N_l / extent
    private final double[][] unitFactor;    // [level][alpha]: u_alpha
    private final int[][] tableOffset;      // [level][order]
    private final boolean[][] dense;        // [level][order]
    private final int[][] hashMask;         // [level][order]: 2^H_k - 1
    private final int periodicAxes;
    private final int[] orderOf;            // per alpha: |alpha|
    private final int[] rankOf;             // per alpha: masks of its order below it
    private final int[] countOf;            // per order: binomial(d, k)

    // Working memory of one block, column-major: [row][point].
    private final double[] t = new double[3 * BLOCK];             // [axis][p]: local coordinate in the cell
    private final int[] cell = new int[3 * BLOCK];                // [axis][p]
    private final double[] basis;                                 // [basisRow(axis, kind, side, m)][p]
    private final int[] coefficient;                              // [corner * 2^d + alpha][p]: buffer offset
    private final int[] hash = new int[BLOCK];                    // [p]: one corner's spatial hash
    private final int[] denseIndex = new int[BLOCK];              // [p]: one corner's dense index
    private final double[] theta;                                 // [f][p] of one (corner, alpha)
    private final double[] jet;                                   // [channel][p] of one (corner, alpha)
    private final double[] term = new double[BLOCK];              // [p]: one Laplacian term
    private final double[] sums;                                  // forward: [channel][f][p]; backward: adjoint
    private final double[] contribution;                          // backward: [corner * 2^d + alpha][f][p]

    /** @param kernels the column arithmetic: scalar and vector kernels give the same bits */
    public HermiteTileEncoder(HermiteHashEncoding encoding, TileKernels kernels) {
        this.kernels = kernels;
        int[] layout = encoding.layoutArray();
        this.geometry = encoding.geometryArray();
        this.dims = layout[0];
        this.levels = layout[1];
        this.features = layout[2];
        this.width = levels * features;
        this.corners = 1 << dims;
        this.resolution = new int[levels];
        this.inverseCell = new double[levels][dims];
        this.unitFactor = new double[levels][corners];
        this.tableOffset = new int[levels][dims + 1];
        this.dense = new boolean[levels][dims + 1];
        this.hashMask = new int[levels][dims + 1];
        for (int l = 0; l < levels; l++) {
            int n = layout[3 + l];
            resolution[l] = n;
            for (int axis = 0; axis < dims; axis++) {
                inverseCell[l][axis] = n / geometry[3 + axis];   // as HermiteEncodingMath's inv0, inv1, inv2
            }
            for (int k = 0; k <= dims; k++) {
                int slot = 3 + levels + 3 * (l * (dims + 1) + k);
                tableOffset[l][k] = layout[slot];
                dense[l][k] = layout[slot + 1] != 0;
                hashMask[l][k] = (1 << layout[slot + 2]) - 1;
            }
            for (int alpha = 0; alpha < corners; alpha++) {
                unitFactor[l][alpha] = geometry[HermiteEncodingMath.UNIT_FACTORS + 8 * l + alpha];
            }
        }
        this.periodicAxes = layout[3 + levels + 3 * levels * (dims + 1)];
        this.orderOf = new int[corners];
        this.rankOf = new int[corners];
        this.countOf = new int[dims + 1];
        for (int alpha = 0; alpha < corners; alpha++) {
            int order = HermiteEncodingMath.popCount3(alpha);
            orderOf[alpha] = order;
            rankOf[alpha] = countOf[order]++;
        }
        int channels = dims + 2;
        this.basis = new double[dims * 12 * BLOCK];
        this.coefficient = new int[corners * corners * BLOCK];
        this.theta = new double[features * BLOCK];
        this.jet = new double[channels * BLOCK];
        this.sums = new double[channels * features * BLOCK];
        this.contribution = new double[corners * corners * features * BLOCK];
    }

    @Override
    public int dims() {
        return dims;
    }

    /** Encoding width per channel: L*F. */
    @Override
    public int outputWidth() {
        return width;
    }

    /**
     * The channels this encoder writes: the value alone ({@code dims = 0}), or the value, all d
     * gradients and the Laplacian over any axis set.
     */
    @Override
    public void requireChannels(Channels channels) {
        if (channels.dims() != 0 && channels.dims() != dims) {
            throw new IllegalArgumentException("a " + dims + "D Hermite tile encoder writes the value alone or with "
                    + dims + " gradients; asked for " + channels);
        }
    }

    /**
     * Encodes points {@code [pointFrom, pointTo)} of {@code x (n, d)} into
     * {@code out (pointTo - pointFrom, C, L*F)} at outOffset; levels at or above activeLevels are zero.
     * Each output is {@code sum_corners sum_alpha jet_ch(corner, alpha) theta(corner, alpha, f)},
     * added from 0 in that order as {@link HermiteEncodingMath#forwardLevel} adds them.
     */
    @Override
    public void forward(double[] params, int paramOffset, double[] x, int pointFrom, int pointTo, int activeLevels,
                        Channels channels, double[] out, int outOffset) {
        requireChannels(channels);
        int channelCount = channels.count();
        int pointSize = channelCount * width;
        Arrays.fill(out, outOffset, outOffset + (pointTo - pointFrom) * pointSize, 0.0);
        for (int level = 0; level < activeLevels; level++) {
            for (int from = pointFrom; from < pointTo; from += BLOCK) {
                int count = Math.min(BLOCK, pointTo - from);
                locate(x, from, count, level, derivatives(channels), paramOffset);
                Arrays.fill(sums, 0, channelCount * features * BLOCK, 0.0);
                for (int corner = 0; corner < corners; corner++) {
                    for (int alpha = 0; alpha < corners; alpha++) {
                        int pair = corner * corners + alpha;
                        gather(params, pair, count);
                        jets(level, corner, alpha, channels, count);
                        for (int ch = 0; ch < channelCount; ch++) {
                            for (int f = 0; f < features; f++) {
                                kernels.columnMultiplyAdd(jet, ch * BLOCK, theta, f * BLOCK, sums,
                                        (ch * features + f) * BLOCK, count);
                            }
                        }
                    }
                }
                for (int p = 0; p < count; p++) {
                    int base = outOffset + (from - pointFrom + p) * pointSize + level * features;
                    for (int ch = 0; ch < channelCount; ch++) {
                        for (int f = 0; f < features; f++) {
                            out[base + ch * width + f] = sums[(ch * features + f) * BLOCK + p];
                        }
                    }
                }
            }
        }
    }

    /**
     * Accumulates level l's table gradients from points {@code [pointFrom, pointTo)} in order, then
     * corners, then multi-indices, as {@link HermiteEncodingMath#backwardCorner} does:
     * {@code dLdParams[theta(entry, alpha, f)] += sum_ch jet_ch(corner, alpha) dLdLevel[point, ch, f]},
     * the channel sum formed value first, then the gradients, then the Laplacian.
     *
     * @param dLdLevel this level's part of the encoding's adjoint, {@code (pointTo - pointFrom, C, F)}
     *                 at dOffset: level-major, so that a level's pass reads its adjoints in one sweep
     */
    @Override
    public void backwardLevel(int level, double[] x, int pointFrom, int pointTo, Channels channels,
                              double[] dLdLevel, int dOffset, double[] dLdParams, int paramOffset) {
        requireChannels(channels);
        int channelCount = channels.count();
        int pointSize = channelCount * features;
        for (int from = pointFrom; from < pointTo; from += BLOCK) {
            int count = Math.min(BLOCK, pointTo - from);
            locate(x, from, count, level, derivatives(channels), paramOffset);
            for (int p = 0; p < count; p++) {
                int base = dOffset + (from - pointFrom + p) * pointSize;
                for (int ch = 0; ch < channelCount; ch++) {
                    for (int f = 0; f < features; f++) {
                        sums[(ch * features + f) * BLOCK + p] = dLdLevel[base + ch * features + f];
                    }
                }
            }
            for (int corner = 0; corner < corners; corner++) {
                for (int alpha = 0; alpha < corners; alpha++) {
                    int pair = corner * corners + alpha;
                    jets(level, corner, alpha, channels, count);
                    for (int f = 0; f < features; f++) {
                        int c = (pair * features + f) * BLOCK;
                        kernels.columnMultiply(jet, 0, sums, f * BLOCK, contribution, c, count);
                        for (int ch = 1; ch < channelCount; ch++) {
                            kernels.columnMultiplyAdd(jet, ch * BLOCK, sums, (ch * features + f) * BLOCK,
                                    contribution, c, count);
                        }
                    }
                }
            }
            // points in order, then corners: the order every table entry's sum follows
            for (int p = 0; p < count; p++) {
                for (int pair = 0; pair < corners * corners; pair++) {
                    int at = coefficient[pair * BLOCK + p];
                    for (int f = 0; f < features; f++) {
                        dLdParams[at + f] += contribution[(pair * features + f) * BLOCK + p];
                    }
                }
            }
        }
    }

    /**
     * {@code theta[f][p] = params[coefficient(pair, p) + f]}: the table reads of one (corner, alpha)
     * over the block, independent of one another so that their cache misses overlap. Two features
     * (instant-NGP's choice and our default) in one pass.
     */
    private void gather(double[] params, int pair, int count) {
        int row = pair * BLOCK;
        if (features == 2) {
            for (int p = 0; p < count; p++) {
                int at = coefficient[row + p];
                theta[p] = params[at];
                theta[BLOCK + p] = params[at + 1];
            }
            return;
        }
        for (int p = 0; p < count; p++) {
            int at = coefficient[row + p];
            for (int f = 0; f < features; f++) {
                theta[f * BLOCK + p] = params[at + f];
            }
        }
    }

    /** Basis derivatives the channels need: values only (1), slopes too (2), curvatures too (3). */
    private static int derivatives(Channels channels) {
        return channels.hasLaplacian() ? 3 : channels.dims() > 0 ? 2 : 1;
    }

    /** Row of {@link #basis} holding {@code B^{(m)}} of an axis for a basis kind (value 0, slope 1) and side (left 0, right 1). */
    private static int basisRow(int axis, int kind, int side, int m) {
        return ((axis * 2 + kind) * 2 + side) * 3 + m;
    }

    /**
     * For points {@code [from, from + count)} at level l: the cell and local coordinate per axis
     * ({@link HermiteEncodingMath#gridCoordinate}, {@link HermiteEncodingMath#cell}), the 1D bases
     * as {@link HermiteEncodingMath#basisFactor} writes them, and each (corner, alpha)'s coefficient
     * offset in the buffer.
     */
    private void locate(double[] x, int from, int count, int level, int derivatives, int paramOffset) {
        int n = resolution[level];
        for (int p = 0; p < count; p++) {
            for (int axis = 0; axis < dims; axis++) {
                double position = HermiteEncodingMath.gridCoordinate(geometry, x, (from + p) * dims, dims, axis, n);
                int c = HermiteEncodingMath.cell(position, n);
                cell[axis * BLOCK + p] = c;
                t[axis * BLOCK + p] = position - c;
            }
        }
        for (int axis = 0; axis < dims; axis++) {
            bases(axis, count, derivatives, inverseCell[level][axis]);
        }
        // per corner: the vertex's hash and dense index over the block, then every alpha's offset
        int[] offsets = tableOffset[level];
        int stride = n + 1;
        for (int corner = 0; corner < corners; corner++) {
            for (int p = 0; p < count; p++) {
                int g0 = wrap(cell[p] + (corner & 1), n, 1);
                int g1 = dims > 1 ? wrap(cell[BLOCK + p] + (corner >> 1 & 1), n, 2) : 0;
                int g2 = dims > 2 ? wrap(cell[2 * BLOCK + p] + (corner >> 2 & 1), n, 4) : 0;
                hash[p] = g0 ^ (g1 * HermiteEncodingMath.PRIME_1) ^ (g2 * HermiteEncodingMath.PRIME_2);
                denseIndex[p] = g0 + stride * (g1 + stride * g2);
            }
            for (int alpha = 0; alpha < corners; alpha++) {
                int order = orderOf[alpha];
                int base = paramOffset + offsets[order] + rankOf[alpha] * features;
                int entrySize = countOf[order] * features;
                int row = (corner * corners + alpha) * BLOCK;
                if (dense[level][order]) {
                    for (int p = 0; p < count; p++) {
                        coefficient[row + p] = base + denseIndex[p] * entrySize;
                    }
                } else {
                    int mask = hashMask[level][order];
                    for (int p = 0; p < count; p++) {
                        coefficient[row + p] = base + (hash[p] & mask) * entrySize;
                    }
                }
            }
        }
    }

    /** Vertex N of a periodic axis (its bit in the mask) is vertex 0 ({@link HermiteEncodingMath#entryIndex}). */
    private int wrap(int g, int n, int axisBit) {
        return (periodicAxes & axisBit) != 0 && g == n ? 0 : g;
    }

    /** One axis's bases of the block, the expressions of {@link HermiteEncodingMath#basisFactor} term for term. */
    private void bases(int axis, int count, int derivatives, double inverse) {
        int tb = axis * BLOCK;
        int w0 = basisRow(axis, 0, 0, 0) * BLOCK;
        int w1 = basisRow(axis, 0, 1, 0) * BLOCK;
        int s0 = basisRow(axis, 1, 0, 0) * BLOCK;
        int s1 = basisRow(axis, 1, 1, 0) * BLOCK;
        for (int p = 0; p < count; p++) {
            double tp = t[tb + p];
            double t2 = tp * tp;
            double valueRight = 3.0 * t2 - 2.0 * t2 * tp;
            basis[w1 + p] = valueRight;
            basis[w0 + p] = 1.0 - valueRight;
            basis[s1 + p] = t2 * tp - t2;
            basis[s0 + p] = tp - 2.0 * t2 + t2 * tp;
        }
        if (derivatives > 1) {
            for (int p = 0; p < count; p++) {
                double tp = t[tb + p];
                double t2 = tp * tp;
                double slopeRight = 6.0 * tp - 6.0 * t2;
                basis[w1 + BLOCK + p] = slopeRight * inverse;
                basis[w0 + BLOCK + p] = -slopeRight * inverse;
                basis[s1 + BLOCK + p] = (3.0 * t2 - 2.0 * tp) * inverse;
                basis[s0 + BLOCK + p] = (1.0 - 4.0 * tp + 3.0 * t2) * inverse;
            }
        }
        if (derivatives > 2) {
            for (int p = 0; p < count; p++) {
                double tp = t[tb + p];
                double curvatureRight = 6.0 - 12.0 * tp;
                basis[w1 + 2 * BLOCK + p] = curvatureRight * inverse * inverse;
                basis[w0 + 2 * BLOCK + p] = -curvatureRight * inverse * inverse;
                basis[s1 + 2 * BLOCK + p] = (6.0 * tp - 2.0) * inverse * inverse;
                basis[s0 + 2 * BLOCK + p] = (6.0 * tp - 4.0) * inverse * inverse;
            }
        }
    }

    /**
     * The jets of one (corner, alpha) over the block, into {@link #jet} by channel:
     * {@code value = u prod_i B_i}, {@code grad_j = u B'_j prod_{i != j} B_i},
     * {@code lap = u sum_{j in S} B''_j prod_{i != j} B_i}, each product from the left in axis
     * order and the Laplacian's sum from 0 in axis order ({@link HermiteEncodingMath#laplacianSum}).
     */
    private void jets(int level, int corner, int alpha, Channels channels, int count) {
        double u = unitFactor[level][alpha];
        product(0, u, alpha, corner, -1, 0, count);
        if (channels.dims() > 0) {
            for (int j = 0; j < dims; j++) {
                product((1 + j) * BLOCK, u, alpha, corner, j, 1, count);
            }
        }
        if (channels.hasLaplacian()) {
            int lap = (1 + dims) * BLOCK;
            Arrays.fill(jet, lap, lap + count, 0.0);
            for (int j = 0; j < dims; j++) {
                if (channels.inLaplacian(j)) {
                    product(-1, 1.0, alpha, corner, j, 2, count);
                    kernels.columnAdd(term, 0, jet, lap, count);
                }
            }
            kernels.columnScale(u, jet, lap, count);
        }
    }

    /**
     * {@code target[p] = ((first B_0) B_1) B_2} over the block (as many factors as axes), with axis
     * {@code special}'s factor its derivative m instead of its value; {@code first = u} for a jet. A
     * Laplacian term (target -1, written to {@link #term}) takes {@code first = 1}, an exact factor,
     * so that it is {@code (s_0 b_1) b_2} as the reference forms it.
     */
    private void product(int target, double first, int alpha, int corner, int special, int m, int count) {
        int[] rows = new int[3];
        for (int axis = 0; axis < dims; axis++) {
            rows[axis] = basisRow(axis, alpha >> axis & 1, corner >> axis & 1, axis == special ? m : 0) * BLOCK;
        }
        kernels.columnProduct(first, basis, rows[0], rows[1], rows[2], dims, target < 0 ? term : jet,
                Math.max(target, 0), count);
    }
}
