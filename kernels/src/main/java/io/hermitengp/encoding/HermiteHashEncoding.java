package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/**
 * The multiresolution Hermite hash-grid encoding, for any dimension d from one source.
 *
 * <p>For a point x in the box, {@code s_i = (x_i - lo_i)/(hi_i - lo_i)}; at level l,
 * {@code p = s N_l}, cell {@code c = clamp(floor(p), 0, N_l - 1)}, local {@code t = p - c}. The
 * level's F features are
 *
 * <pre>
 *   gamma_l(x) = sum_{corners c in {0,1}^d} sum_{alpha in {0,1}^d} theta^(alpha)_{h(c)} * u_alpha * prod_i B_{alpha_i, c_i}(t_i)
 * </pre>
 *
 * with {@link HermiteBasis} {@code B_{0,c} = W_c}, {@code B_{1,c} = S_c} and the unit factor
 * {@code u_alpha = prod_{i in alpha} h_i} for {@link CoefficientUnits#PHYSICAL} coefficients or 1 for
 * {@link CoefficientUnits#CELL} ones, {@code h_i = (hi_i - lo_i)/N_l}. Derivatives follow from
 * {@code dt_i/dx_i = N_l/(hi_i - lo_i) = 1/h_i}:
 * {@code d gamma/dx_j} uses {@code B'_j / h_j}, {@code d2 gamma/dx_j2} uses {@code B''_j / h_j^2}.
 * One pass yields all {@link Channels}. Levels at or above {@code activeLevels} output zeros.
 *
 * <p>The output of one point is laid out {@code (C, L*F)} row-major: channel, then level, then
 * feature. The backward pass works one level at a time over all points in order, so each table
 * entry's gradient is summed in a fixed order whatever the number of threads.
 */
public final class HermiteHashEncoding {
    private final HermiteGridLayout layout;
    private final Box box;
    private final CoefficientUnits units;
    private final double[][] unitFactor;   // [level][alpha]: u_alpha
    private final double[][] inverseCell;  // [level][axis]: N_l / (hi - lo)

    public HermiteHashEncoding(HermiteGridLayout layout, Box box, CoefficientUnits units) {
        if (box.dims() != layout.dims()) {
            throw new IllegalArgumentException("box has " + box.dims() + " dimensions, grid has " + layout.dims());
        }
        this.layout = layout;
        this.box = box;
        this.units = units;
        int d = layout.dims();
        this.unitFactor = new double[layout.levels()][1 << d];
        this.inverseCell = new double[layout.levels()][d];
        for (int l = 0; l < layout.levels(); l++) {
            for (int i = 0; i < d; i++) {
                inverseCell[l][i] = layout.resolution(l) / box.extent(i);
            }
            for (int alpha = 0; alpha < (1 << d); alpha++) {
                double u = 1;
                if (units == CoefficientUnits.PHYSICAL) {
                    for (int i = 0; i < d; i++) {
                        if ((alpha >> i & 1) != 0) {
                            u /= inverseCell[l][i];
                        }
                    }
                }
                unitFactor[l][alpha] = u;
            }
        }
    }

    public HermiteGridLayout layout() {
        return layout;
    }

    public Box box() {
        return box;
    }

    public CoefficientUnits units() {
        return units;
    }

    public int dims() {
        return layout.dims();
    }

    public int outputWidth() {
        return layout.outputWidth();
    }

    public int parameterCount() {
        return layout.parameterCount();
    }

    /** Fills the tables with {@code U(-range, range)} in buffer order (instant-NGP uses 1e-4). */
    public void initialize(double[] params, int offset, double range, SplittableRandom rng) {
        for (int i = 0; i < layout.parameterCount(); i++) {
            params[offset + i] = (2 * rng.nextDouble() - 1) * range;
        }
    }

    /** Per-thread working memory for one point. */
    public static final class Scratch {
        final int[] cell;
        final int[] vertex;
        final double[] t;
        final double[] basis;   // (axis, kind, corner, derivative 0..2) row-major
        final int[] entry;      // per order: entry index of the current vertex
        final double[] jet;     // per channel: basis jet of one (corner, alpha)

        public Scratch(int dims) {
            cell = new int[dims];
            vertex = new int[dims];
            t = new double[dims];
            basis = new double[dims * 12];
            entry = new int[dims + 1];
            jet = new double[dims + 2];
        }
    }

    public Scratch newScratch() {
        return new Scratch(dims());
    }

    /**
     * Encodes one point: writes {@code C * L * F} numbers at {@code out[outOffset...]}, layout
     * {@code (C, L*F)}.
     *
     * @param params       encoding tables starting at {@code paramOffset}
     * @param x            coordinates of the point at {@code x[xOffset .. xOffset+d)}
     * @param activeLevels levels {@code >= activeLevels} output zeros
     */
    public void forward(double[] params, int paramOffset, double[] x, int xOffset, int activeLevels,
                        Channels channels, double[] out, int outOffset, Scratch scratch) {
        int width = layout.outputWidth();
        int channelCount = channels.count();
        java.util.Arrays.fill(out, outOffset, outOffset + channelCount * width, 0.0);
        int features = layout.features();
        for (int level = 0; level < activeLevels; level++) {
            locate(level, x, xOffset, channels, scratch);
            int d = dims();
            for (int corner = 0; corner < (1 << d); corner++) {
                cornerEntries(level, corner, scratch);
                for (int alpha = 0; alpha < (1 << d); alpha++) {
                    basisJet(level, corner, alpha, channels, scratch);
                    int coefficient = paramOffset + layout.coefficientOffset(level, alpha,
                            scratch.entry[MultiIndex.order(alpha)]);
                    for (int ch = 0; ch < channelCount; ch++) {
                        double weight = scratch.jet[ch];
                        int o = outOffset + ch * width + level * features;
                        for (int f = 0; f < features; f++) {
                            out[o + f] += weight * params[coefficient + f];
                        }
                    }
                }
            }
        }
    }

    /**
     * Backward pass of one level over points {@code 0..n-1} in order: for every point, corner and
     * multi-index, {@code dLdParams[theta] += sum_ch jet_ch * dLdOut[point, ch, level, :]}.
     *
     * @param x        points, (n, d) row-major
     * @param dLdOut   adjoint of the encoding output, (n, C, L*F) row-major
     * @param dLdParams gradient buffer; this level's range is accumulated into (not cleared)
     */
    public void backwardLevel(int level, double[] x, int n, Channels channels, double[] dLdOut,
                              double[] dLdParams, int paramOffset, Scratch scratch) {
        int d = dims();
        int width = layout.outputWidth();
        int channelCount = channels.count();
        int features = layout.features();
        for (int p = 0; p < n; p++) {
            locate(level, x, p * d, channels, scratch);
            int pointBase = p * channelCount * width + level * features;
            for (int corner = 0; corner < (1 << d); corner++) {
                cornerEntries(level, corner, scratch);
                for (int alpha = 0; alpha < (1 << d); alpha++) {
                    basisJet(level, corner, alpha, channels, scratch);
                    int coefficient = paramOffset + layout.coefficientOffset(level, alpha,
                            scratch.entry[MultiIndex.order(alpha)]);
                    for (int f = 0; f < features; f++) {
                        double sum = 0;
                        for (int ch = 0; ch < channelCount; ch++) {
                            sum += scratch.jet[ch] * dLdOut[pointBase + ch * width + f];
                        }
                        dLdParams[coefficient + f] += sum;
                    }
                }
            }
        }
    }

    /** Cell, local coordinates and the 1D basis values (with their x-derivatives) of a point. */
    private void locate(int level, double[] x, int xOffset, Channels channels, Scratch s) {
        int n = layout.resolution(level);
        for (int i = 0; i < dims(); i++) {
            double p = (x[xOffset + i] - box.lo(i)) / box.extent(i) * n;
            int c = (int) Math.floor(p);
            c = Math.max(0, Math.min(c, n - 1));
            s.cell[i] = c;
            double t = p - c;
            s.t[i] = t;
            double inv = inverseCell[level][i];
            for (int kind = 0; kind < 2; kind++) {
                for (int cb = 0; cb < 2; cb++) {
                    int b = i * 12 + (kind * 2 + cb) * 3;
                    s.basis[b] = HermiteBasis.value(kind, cb, t);
                    s.basis[b + 1] = HermiteBasis.firstDerivative(kind, cb, t) * inv;
                    s.basis[b + 2] = HermiteBasis.secondDerivative(kind, cb, t) * inv * inv;
                }
            }
        }
    }

    /** Entry index of the given corner vertex in each order's table. */
    private void cornerEntries(int level, int corner, Scratch s) {
        for (int i = 0; i < dims(); i++) {
            s.vertex[i] = s.cell[i] + (corner >> i & 1);
        }
        for (int k = 0; k <= dims(); k++) {
            s.entry[k] = layout.entryIndex(level, k, s.vertex);
        }
    }

    /**
     * The basis function of (corner, alpha) and its channels at the located point:
     * {@code jet[0] = u_alpha prod_i b_i}, {@code jet[1+j] = u_alpha b'_j prod_{i != j} b_i},
     * {@code jet[d+1] = u_alpha sum_{j in S} b''_j prod_{i != j} b_i}, with b the 1D bases in x.
     */
    private void basisJet(int level, int corner, int alpha, Channels channels, Scratch s) {
        int d = dims();
        double scale = unitFactor[level][alpha];
        double product = 1;
        for (int i = 0; i < d; i++) {
            product *= s.basis[basisIndex(i, alpha, corner)];
        }
        s.jet[Channels.VALUE] = scale * product;
        double laplacian = 0;
        for (int j = 0; j < d; j++) {
            double others = scale;
            for (int i = 0; i < d; i++) {
                if (i != j) {
                    others *= s.basis[basisIndex(i, alpha, corner)];
                }
            }
            int b = basisIndex(j, alpha, corner);
            s.jet[Channels.gradient(j)] = others * s.basis[b + 1];
            if (channels.inLaplacian(j)) {
                laplacian += others * s.basis[b + 2];
            }
        }
        if (channels.hasLaplacian()) {
            s.jet[channels.laplacian()] = laplacian;
        }
    }

    private static int basisIndex(int axis, int alpha, int corner) {
        return axis * 12 + (((alpha >> axis) & 1) * 2 + ((corner >> axis) & 1)) * 3;
    }
}
