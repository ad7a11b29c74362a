package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.Arrays;

/**
 * instant-NGP's multiresolution hash encoding with d-linear interpolation of stored values only:
 * {@code gamma_l(x) = sum_corners theta_{h(c)} prod_i (c_i ? t_i : 1 - t_i)}, same levels, cells,
 * hash and dense/hashed rule as {@link HermiteHashEncoding} (one table per level). The field is
 * C0: it yields the value alone, and the INGP-FD baseline takes its derivatives by central finite
 * differences of the whole field. Along periodic axes vertex N_l is vertex 0. Vertices are placed
 * in the tables by {@link HermiteEncodingMath#entryIndex}, the rule of the Hermite encoding.
 */
public final class LinearHashEncoding implements Encoding {
    private final HermiteGridLayout layout;
    private final Box box;
    private final int[] layoutArray;   // HermiteEncodingMath layout, with the periodic axes

    public LinearHashEncoding(HermiteGridLayout layout, Box box, int periodicAxes) {
        if (layout.orders() != 1) {
            throw new IllegalArgumentException("a linear encoding stores values only; the layout stores "
                    + layout.orders() + " derivative orders");
        }
        if (box.dims() != layout.dims()) {
            throw new IllegalArgumentException("box has " + box.dims() + " dimensions, grid has " + layout.dims());
        }
        this.layout = layout;
        this.box = box;
        this.layoutArray = layout.layoutArray(periodicAxes);
    }

    @Override
    public int dims() {
        return layout.dims();
    }

    @Override
    public HermiteGridLayout layout() {
        return layout;
    }

    @Override
    public Box box() {
        return box;
    }

    @Override
    public boolean analyticDerivatives() {
        return false;
    }

    /** The value channel only: this field's derivatives come from a finite-difference stencil. */
    @Override
    public void requireChannels(Channels channels) {
        if (channels.count() != 1) {
            throw new IllegalArgumentException("a linear encoding writes the value channel only; asked for "
                    + channels);
        }
    }

    /**
     * Entry offset and weight of one corner of the point's cell at a level, into the given arrays;
     * {@code vertex} has three coordinates, those at or beyond d staying 0.
     */
    private void corner(int level, double[] x, int xOffset, int corner, int[] vertex, double[] weight, int[] offset) {
        int n = layout.resolution(level);
        double w = 1;
        for (int i = 0; i < dims(); i++) {
            double p = (x[xOffset + i] - box.lo(i)) / box.extent(i) * n;
            int c = HermiteEncodingMath.cell(p, n);
            double t = p - c;
            int bit = corner >> i & 1;
            vertex[i] = c + bit;
            w *= bit == 1 ? t : 1 - t;
        }
        weight[0] = w;
        int entry = HermiteEncodingMath.entryIndex(layoutArray, level, 0, vertex[0], vertex[1], vertex[2]);
        offset[0] = HermiteEncodingMath.coefficientOffset(layoutArray, level, 0, entry);
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] x, int xOffset, int activeLevels, Channels channels,
                        double[] out, int outOffset) {
        requireChannels(channels);
        int features = layout.features();
        Arrays.fill(out, outOffset, outOffset + layout.outputWidth(), 0.0);
        int[] vertex = new int[3];   // padded to three axes (zeros beyond d), as HermiteEncodingMath takes them
        double[] weight = new double[1];
        int[] offset = new int[1];
        for (int level = 0; level < activeLevels; level++) {
            for (int c = 0; c < (1 << dims()); c++) {
                corner(level, x, xOffset, c, vertex, weight, offset);
                for (int f = 0; f < features; f++) {
                    out[outOffset + level * features + f] += weight[0] * params[paramOffset + offset[0] + f];
                }
            }
        }
    }

    @Override
    public void backwardLevel(int level, double[] x, int n, Channels channels, double[] dLdOut, double[] dLdParams,
                              int paramOffset) {
        requireChannels(channels);
        backwardLevel(level, x, 0, n, dLdOut, level * layout.features(), layout.outputWidth(), dLdParams, paramOffset);
    }

    /**
     * Accumulates one level's table gradients over points {@code [pointFrom, pointTo)} in order,
     * then corners: {@code dLdParams[theta(corner, f)] += w_corner dLd[dOffset + (p - pointFrom) rowStride + f]}.
     * The level's adjoint is read at any row stride: {@code L*F} within a point's whole encoding
     * ({@link #backwardLevel(int, double[], int, Channels, double[], double[], int)}), F in a
     * level-major adjoint ({@link LinearTileEncoder}).
     */
    public void backwardLevel(int level, double[] x, int pointFrom, int pointTo, double[] dLd, int dOffset,
                              int rowStride, double[] dLdParams, int paramOffset) {
        int d = dims();
        int features = layout.features();
        int[] vertex = new int[3];   // padded to three axes (zeros beyond d)
        double[] weight = new double[1];
        int[] offset = new int[1];
        for (int p = pointFrom; p < pointTo; p++) {
            int row = dOffset + (p - pointFrom) * rowStride;
            for (int c = 0; c < (1 << d); c++) {
                corner(level, x, p * d, c, vertex, weight, offset);
                for (int f = 0; f < features; f++) {
                    dLdParams[paramOffset + offset[0] + f] += weight[0] * dLd[row + f];
                }
            }
        }
    }
}
