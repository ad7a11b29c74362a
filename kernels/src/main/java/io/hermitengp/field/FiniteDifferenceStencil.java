package io.hermitengp.field;

import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.geometry.Box;

/**
 * Derivative channels by central finite differences over a {@code 2d+1}-point stencil, for
 * fields whose encoding has no analytic derivatives (the INGP-FD baseline). Stencil point 0 is
 * the point itself, {@code 2j+1} and {@code 2j+2} are {@code x + h_j e_j} and {@code x - h_j e_j};
 * the step {@code h_j = (hi_j - lo_j) / N} is one cell of the finest active level:
 *
 * <pre>
 *   u_j = (u(x + h_j e_j) - u(x - h_j e_j)) / (2 h_j)
 *   Lap_S u = sum_{j in S} (u(x + h_j e_j) - 2 u(x) + u(x - h_j e_j)) / h_j^2
 * </pre>
 *
 * {@link #seeds} is the exact adjoint of {@link #jet}, so gradients of a loss on the jet flow to
 * the stencil values.
 */
public final class FiniteDifferenceStencil {
    private final Box box;
    private final HermiteGridLayout layout;

    public FiniteDifferenceStencil(Box box, HermiteGridLayout layout) {
        this.box = box;
        this.layout = layout;
    }

    public int dims() {
        return box.dims();
    }

    /** Stencil points per point: 2d + 1. */
    public int size() {
        return 2 * box.dims() + 1;
    }

    /** The step along an axis: one cell of the finest active level. */
    public double step(int axis, int activeLevels) {
        return box.extent(axis) / layout.resolution(Math.max(1, activeLevels) - 1);
    }

    /** Writes the stencil of point x, (2d+1, d) row-major, at {@code out[outOffset..]}. */
    public void points(double[] x, int xOffset, int activeLevels, double[] out, int outOffset) {
        int d = dims();
        for (int s = 0; s < size(); s++) {
            System.arraycopy(x, xOffset, out, outOffset + s * d, d);
        }
        for (int j = 0; j < d; j++) {
            double h = step(j, activeLevels);
            out[outOffset + (2 * j + 1) * d + j] += h;
            out[outOffset + (2 * j + 2) * d + j] -= h;
        }
    }

    /**
     * The jet (C, outputs) from stencil values (2d+1, outputs).
     */
    public void jet(double[] values, int valuesOffset, int outputs, Channels channels, int activeLevels, double[] jet,
                    int jetOffset) {
        if (channels.dims() != 0 && channels.dims() != dims()) {
            throw new IllegalArgumentException("channels for " + channels.dims() + " axes on a " + dims() + "-axis stencil");
        }
        for (int o = 0; o < outputs; o++) {
            double center = values[valuesOffset + o];
            jet[jetOffset + o] = center;
            double laplacian = 0;
            for (int j = 0; j < channels.dims(); j++) {
                double h = step(j, activeLevels);
                double plus = values[valuesOffset + (2 * j + 1) * outputs + o];
                double minus = values[valuesOffset + (2 * j + 2) * outputs + o];
                jet[jetOffset + Channels.gradient(j) * outputs + o] = (plus - minus) / (2 * h);
                if (channels.inLaplacian(j)) {
                    laplacian += (plus - 2 * center + minus) / (h * h);
                }
            }
            if (channels.hasLaplacian()) {
                jet[jetOffset + channels.laplacian() * outputs + o] = laplacian;
            }
        }
    }

    /**
     * Adjoint of {@link #jet}: stencil seeds (2d+1, outputs) from jet seeds (C, outputs), overwritten.
     */
    public void seeds(double[] jetSeed, int jetOffset, int outputs, Channels channels, int activeLevels,
                      double[] stencilSeed, int seedOffset) {
        java.util.Arrays.fill(stencilSeed, seedOffset, seedOffset + size() * outputs, 0.0);
        for (int o = 0; o < outputs; o++) {
            stencilSeed[seedOffset + o] = jetSeed[jetOffset + o];
            double laplacianSeed = channels.hasLaplacian() ? jetSeed[jetOffset + channels.laplacian() * outputs + o] : 0;
            for (int j = 0; j < channels.dims(); j++) {
                double h = step(j, activeLevels);
                double g = jetSeed[jetOffset + Channels.gradient(j) * outputs + o] / (2 * h);
                double l = channels.inLaplacian(j) ? laplacianSeed / (h * h) : 0;
                stencilSeed[seedOffset + (2 * j + 1) * outputs + o] += g + l;
                stencilSeed[seedOffset + (2 * j + 2) * outputs + o] += -g + l;
                stencilSeed[seedOffset + o] -= 2 * l;
            }
        }
    }
}
