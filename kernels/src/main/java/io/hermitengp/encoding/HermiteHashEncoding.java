package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;


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
 * with the cubic Hermite bases of {@link HermiteEncodingMath} {@code B_{0,c} = W_c}, {@code B_{1,c} = S_c} and the unit factor
 * {@code u_alpha = prod_{i in alpha} h_i} for {@link CoefficientUnits#PHYSICAL} coefficients or 1 for
 * {@link CoefficientUnits#CELL} ones, {@code h_i = (hi_i - lo_i)/N_l}. Derivatives follow from
 * {@code dt_i/dx_i = N_l/(hi_i - lo_i) = 1/h_i}:
 * {@code d gamma/dx_j} uses {@code B'_j / h_j}, {@code d2 gamma/dx_j2} uses {@code B''_j / h_j^2}.
 * One pass yields all {@link Channels}. Levels at or above {@code activeLevels} output zeros.
 *
 * <p>The output of one point is laid out {@code (C, L*F)} row-major: channel, then level, then
 * feature. The backward pass works one level at a time over all points in order, so each table
 * entry's gradient is summed in a fixed order whatever the number of threads. The arithmetic
 * itself lives in {@link HermiteEncodingMath}, shared with the OpenCL kernels; this class holds
 * the layout and geometry it reads.
 */
public final class HermiteHashEncoding implements Encoding {
    private final HermiteGridLayout layout;
    private final Box box;
    private final CoefficientUnits units;
    private final double[][] unitFactor;   // [level][alpha]: u_alpha
    private final double[][] inverseCell;  // [level][axis]: N_l / (hi - lo)
    private final int periodicAxes;        // bit mask
    private final int[] layoutArray;       // HermiteEncodingMath layout, with the periodic axes
    private final double[] geometryArray;  // HermiteEncodingMath geometry

    public HermiteHashEncoding(HermiteGridLayout layout, Box box, CoefficientUnits units) {
        this(layout, box, units, 0);
    }

    /**
     * @param periodicAxes bit mask of axes along which the grid wraps (vertex N_l is vertex 0), making
     *                     the encoding, and so the field, exactly periodic over the box along them
     */
    public HermiteHashEncoding(HermiteGridLayout layout, Box box, CoefficientUnits units, int periodicAxes) {
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
        this.periodicAxes = periodicAxes;
        this.layoutArray = layout.layoutArray(periodicAxes);
        this.geometryArray = buildGeometryArray();
    }

    @Override
    public boolean analyticDerivatives() {
        return true;
    }

    @Override
    public HermiteGridLayout layout() {
        return layout;
    }

    @Override
    public Box box() {
        return box;
    }

    public CoefficientUnits units() {
        return units;
    }

    @Override
    public int dims() {
        return layout.dims();
    }

    @Override
    public int outputWidth() {
        return layout.outputWidth();
    }

    @Override
    public int parameterCount() {
        return layout.parameterCount();
    }

    /**
     * Accepts channels with {@code dims = d} only: {@link HermiteEncodingMath#forwardLevel} writes the
     * value and all d gradient channels whatever is asked (and the Laplacian at channel d+1 when the
     * axis mask is nonzero), so a request for fewer axes would overrun a buffer sized for the
     * request, and one for more would find the Laplacian in a gradient's channel.
     */
    @Override
    public void requireChannels(Channels channels) {
        int d = dims();
        if (channels.dims() != d) {
            int written = HermiteEncodingMath.channelCount(d, channels.laplacianAxes());
            throw new IllegalArgumentException("a " + d + "D Hermite encoding writes the value and " + d
                    + (d == 1 ? " gradient" : " gradients") + (channels.hasLaplacian() ? " and the Laplacian" : "")
                    + " (" + written + " channels); asked for " + channels + ": the channels must have " + d
                    + " gradient axes");
        }
    }

    /** The layout array of {@link HermiteEncodingMath}. */
    public int[] layoutArray() {
        return layoutArray.clone();
    }

    /** The geometry array of {@link HermiteEncodingMath}. */
    public double[] geometryArray() {
        return geometryArray.clone();
    }

    public int periodicAxes() {
        return periodicAxes;
    }

    private double[] buildGeometryArray() {
        int d = layout.dims();
        double[] g = new double[HermiteEncodingMath.UNIT_FACTORS + 8 * layout.levels()];
        for (int i = 0; i < 3; i++) {
            g[i] = i < d ? box.lo(i) : 0.0;
            g[3 + i] = i < d ? box.extent(i) : 1.0;
        }
        for (int l = 0; l < layout.levels(); l++) {
            System.arraycopy(unitFactor[l], 0, g, HermiteEncodingMath.UNIT_FACTORS + 8 * l, 1 << d);
        }
        return g;
    }

    /**
     * Encodes one point: writes {@code C * L * F} numbers at {@code out[outOffset...]}, layout
     * {@code (C, L*F)}.
     *
     * @param params       encoding tables starting at {@code paramOffset}
     * @param x            coordinates of the point at {@code x[xOffset .. xOffset+d)}
     * @param activeLevels levels {@code >= activeLevels} output zeros
     */
    @Override
    public void forward(double[] params, int paramOffset, double[] x, int xOffset, int activeLevels,
                        Channels channels, double[] out, int outOffset) {
        requireChannels(channels);
        java.util.Arrays.fill(out, outOffset, outOffset + channels.count() * layout.outputWidth(), 0.0);
        for (int level = 0; level < activeLevels; level++) {
            HermiteEncodingMath.forwardLevel(layoutArray, geometryArray, params, paramOffset, x, xOffset, level,
                    channels.laplacianAxes(), out, outOffset);
        }
    }

    /**
     * Backward pass of one level over points {@code 0..n-1} in order, then corners, then orders:
     * {@code dLdParams[theta] += sum_ch jet_ch * dLdOut[point, ch, level, :]}.
     *
     * @param x         points, (n, d) row-major
     * @param dLdOut    adjoint of the encoding output, (n, C, L*F) row-major
     * @param dLdParams gradient buffer; this level's range is accumulated into (not cleared)
     */
    @Override
    public void backwardLevel(int level, double[] x, int n, Channels channels, double[] dLdOut,
                              double[] dLdParams, int paramOffset) {
        requireChannels(channels);
        int d = dims();
        int pointSize = channels.count() * layout.outputWidth();
        for (int p = 0; p < n; p++) {
            for (int corner = 0; corner < (1 << d); corner++) {
                for (int order = 0; order <= d; order++) {
                    HermiteEncodingMath.backwardCorner(layoutArray, geometryArray, dLdParams, paramOffset, x, p * d,
                            level, order, corner, channels.laplacianAxes(), dLdOut, p * pointSize);
                }
            }
        }
    }
}
