package io.hermitengp.problem;

/**
 * The residual forms both backends evaluate, written once: static, allocation-free, no library
 * calls, so that Aparapi translates them into the OpenCL kernel and the Java backend runs the same
 * code. A {@link StandardResidual} names its form ({@code kind}), its constants and the per-point
 * data the host computes with the batch; this class turns the field's jet at the point into the
 * residual components and their partials.
 *
 * <p>Layouts: the jet {@code u} is {@code (C, outputs)} flattened to {@code jet} numbers; the
 * partials {@code drdu} are {@code (components, jet)} row-major. Every form writes every partial
 * of its rows (zeros included), so a caller's buffer needs no clearing.
 *
 * <p>Forms:
 * <ul>
 *   <li>{@link #LINEAR}: {@code r_c = sum_j A_cj u_j - g_c}; constants {@code A (components, jet)},
 *       data {@code g (components)}. Helmholtz, Poisson, convection, boundary and initial values,
 *       SDF surface, distance, normal and gradient targets.</li>
 *   <li>{@link #POINTWISE_LINEAR}: the same with {@code A} varying over the domain: data
 *       {@code A(x) (components, jet)} followed by {@code g(x) (components)}; no constants.
 *       Transport by a point-dependent velocity (flow mixing).</li>
 *   <li>{@link #EIKONAL}: {@code r = |grad u| - 1} with {@code dr/du_i = u_i / |grad u|} over the
 *       gradient's jet entries, and zero partials where the gradient vanishes (the norm is not
 *       differentiable there); constants {@code [n, i_1 .. i_n]}, the gradient's jet indices.</li>
 *   <li>{@link #NAVIER_STOKES_2D}: incompressible Navier-Stokes in (x, y, t) with velocity (u, v)
 *       and pressure p: {@code r_0 = u_t + u u_x + v u_y + p_x - nu Lap u},
 *       {@code r_1 = v_t + u v_x + v v_y + p_y - nu Lap v}, {@code r_2 = w_c (u_x + v_y)}, the
 *       continuity equation scaled by {@code w_c} (its share of the term's loss grows by
 *       {@code w_c^2}); constants {@code [nu, w_c, then the jet indices of u, v, u_x, u_y, u_t,
 *       v_x, v_y, v_t, p_x, p_y, Lap u, Lap v]}.</li>
 * </ul>
 * The eikonal form needs a square root: the caller takes it of {@link #radicand} with its own
 * correctly rounded square root ({@link Math#sqrt} on the JVM, {@code sqrt} on the device) and
 * passes it to {@link #evaluate}, because a library call inside shared code does not translate.
 */
public final class ResidualMath {
    public static final int LINEAR = 0;
    public static final int POINTWISE_LINEAR = 1;
    public static final int EIKONAL = 2;
    public static final int NAVIER_STOKES_2D = 3;

    /** Constants of a {@link #NAVIER_STOKES_2D} residual: nu, the continuity weight and 12 jet indices. */
    public static final int NAVIER_STOKES_CONSTANTS = 14;

    private ResidualMath() {
    }

    /** The form's name, for messages. */
    public static String kindName(int kind) {
        return switch (kind) {
            case LINEAR -> "linear";
            case POINTWISE_LINEAR -> "pointwise_linear";
            case EIKONAL -> "eikonal";
            case NAVIER_STOKES_2D -> "navier_stokes_2d";
            default -> "unknown form " + kind;
        };
    }

    /** {@code r = sum_j a_j u_j - g} over {@code count} channels, summed in ascending j. */
    public static double linear(double[] a, int aOffset, int count, double[] u, int uOffset, double g) {
        double sum = 0.0;
        for (int j = 0; j < count; j++) {
            sum += a[aOffset + j] * u[uOffset + j];
        }
        return sum - g;
    }

    /**
     * The number whose square root {@link #evaluate} needs: {@code |grad u|^2} for {@link #EIKONAL}
     * (summed in the order of its indices), 0 for the other forms.
     */
    public static double radicand(int kind, double[] constants, int constantOffset, double[] u, int uOffset) {
        double squares = 0.0;
        if (kind == EIKONAL) {
            int n = (int) constants[constantOffset];
            for (int i = 0; i < n; i++) {
                double g = u[uOffset + (int) constants[constantOffset + 1 + i]];
                squares += g * g;
            }
        }
        return squares;
    }

    /**
     * The residual's components and their partials at one point.
     *
     * @param root the correctly rounded square root of {@link #radicand} (any value for forms
     *             that need none)
     * @param r    receives {@code components} numbers at {@code rOffset}
     * @param drdu receives {@code (components, jet)} at {@code drduOffset}
     */
    public static void evaluate(int kind, int components, int jet, double[] constants, int constantOffset,
                                double[] data, int dataOffset, double[] u, int uOffset, double root,
                                double[] r, int rOffset, double[] drdu, int drduOffset) {
        if (kind == LINEAR) {
            linearRows(components, jet, constants, constantOffset, data, dataOffset, u, uOffset, r, rOffset, drdu,
                    drduOffset);
        } else if (kind == POINTWISE_LINEAR) {
            linearRows(components, jet, data, dataOffset, data, dataOffset + components * jet, u, uOffset, r, rOffset,
                    drdu, drduOffset);
        } else if (kind == EIKONAL) {
            eikonal(jet, constants, constantOffset, u, uOffset, root, r, rOffset, drdu, drduOffset);
        } else if (kind == NAVIER_STOKES_2D) {
            navierStokes2d(jet, constants, constantOffset, u, uOffset, r, rOffset, drdu, drduOffset);
        }
    }

    /** {@code r_c = sum_j A_cj u_j - g_c}; the partials are the rows of A. */
    private static void linearRows(int components, int jet, double[] a, int aOffset, double[] g, int gOffset,
                                   double[] u, int uOffset, double[] r, int rOffset, double[] drdu, int drduOffset) {
        for (int c = 0; c < components; c++) {
            r[rOffset + c] = linear(a, aOffset + c * jet, jet, u, uOffset, g[gOffset + c]);
            for (int j = 0; j < jet; j++) {
                drdu[drduOffset + c * jet + j] = a[aOffset + c * jet + j];
            }
        }
    }

    private static void eikonal(int jet, double[] constants, int constantOffset, double[] u, int uOffset, double root,
                                double[] r, int rOffset, double[] drdu, int drduOffset) {
        for (int j = 0; j < jet; j++) {
            drdu[drduOffset + j] = 0.0;
        }
        r[rOffset] = root - 1.0;
        if (root > 0.0) {
            int n = (int) constants[constantOffset];
            for (int i = 0; i < n; i++) {
                int index = (int) constants[constantOffset + 1 + i];
                drdu[drduOffset + index] = u[uOffset + index] / root;
            }
        }
    }

    private static void navierStokes2d(int jet, double[] constants, int k, double[] j, int o, double[] r,
                                       int rOffset, double[] drdu, int d) {
        for (int i = 0; i < 3 * jet; i++) {
            drdu[d + i] = 0.0;
        }
        double nu = constants[k];
        double wc = constants[k + 1];
        int iu = (int) constants[k + 2];
        int iv = (int) constants[k + 3];
        int iux = (int) constants[k + 4];
        int iuy = (int) constants[k + 5];
        int iut = (int) constants[k + 6];
        int ivx = (int) constants[k + 7];
        int ivy = (int) constants[k + 8];
        int ivt = (int) constants[k + 9];
        int ipx = (int) constants[k + 10];
        int ipy = (int) constants[k + 11];
        int ilu = (int) constants[k + 12];
        int ilv = (int) constants[k + 13];
        double u = j[o + iu];
        double v = j[o + iv];
        double ux = j[o + iux];
        double uy = j[o + iuy];
        double vx = j[o + ivx];
        double vy = j[o + ivy];
        r[rOffset] = j[o + iut] + u * ux + v * uy + j[o + ipx] - nu * j[o + ilu];
        r[rOffset + 1] = j[o + ivt] + u * vx + v * vy + j[o + ipy] - nu * j[o + ilv];
        r[rOffset + 2] = wc * (ux + vy);
        // d r_0: u_t 1, u u_x, v u_y, p_x 1, -nu Lap u
        drdu[d + iu] = ux;
        drdu[d + iv] = uy;
        drdu[d + iux] = u;
        drdu[d + iuy] = v;
        drdu[d + iut] = 1.0;
        drdu[d + ipx] = 1.0;
        drdu[d + ilu] = -nu;
        // d r_1: v_t 1, u v_x, v v_y, p_y 1, -nu Lap v
        drdu[d + jet + iu] = vx;
        drdu[d + jet + iv] = vy;
        drdu[d + jet + ivx] = u;
        drdu[d + jet + ivy] = v;
        drdu[d + jet + ivt] = 1.0;
        drdu[d + jet + ipy] = 1.0;
        drdu[d + jet + ilv] = -nu;
        // d r_2: w_c (u_x + v_y)
        drdu[d + 2 * jet + iux] = wc;
        drdu[d + 2 * jet + ivy] = wc;
    }
}
