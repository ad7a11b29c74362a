package io.hermitengp.encoding;

/**
 * The four 1D cubic Hermite basis functions on a cell, written for a corner bit {@code c}
 * (0 = left vertex, 1 = right vertex) and the local coordinate {@code t in [0,1]}.
 *
 * <pre>
 *   kind VALUE (0):  W1(t) = 3t^2 - 2t^3        W0(t) = 1 - W1(t)
 *   kind SLOPE (1):  S1(t) = t^3 - t^2          S0(t) = t - 2t^2 + t^3
 * </pre>
 *
 * W_c interpolates the value stored at corner c (W_c = 1 there, 0 at the other corner, zero
 * slope at both); S_c interpolates the slope stored at corner c (zero value at both corners,
 * unit slope at corner c, zero slope at the other). Their tensor products give the
 * d-dimensional Hermite basis of {@link HermiteHashEncoding}.
 *
 * <p>Static and allocation-free so that the CPU path, the OpenCL kernels and the tests share
 * one definition.
 */
public final class HermiteBasis {
    /** Basis kind interpolating a stored value. */
    public static final int VALUE = 0;
    /** Basis kind interpolating a stored first derivative. */
    public static final int SLOPE = 1;

    private HermiteBasis() {
    }

    /** B_{kind,corner}(t). */
    public static double value(int kind, int corner, double t) {
        double t2 = t * t;
        double t3 = t2 * t;
        if (kind == VALUE) {
            double w1 = 3.0 * t2 - 2.0 * t3;
            return corner == 1 ? w1 : 1.0 - w1;
        }
        return corner == 1 ? t3 - t2 : t - 2.0 * t2 + t3;
    }

    /** d/dt B_{kind,corner}(t). */
    public static double firstDerivative(int kind, int corner, double t) {
        if (kind == VALUE) {
            double dw1 = 6.0 * t - 6.0 * t * t;
            return corner == 1 ? dw1 : -dw1;
        }
        return corner == 1 ? 3.0 * t * t - 2.0 * t : 1.0 - 4.0 * t + 3.0 * t * t;
    }

    /** d^2/dt^2 B_{kind,corner}(t). */
    public static double secondDerivative(int kind, int corner, double t) {
        if (kind == VALUE) {
            double ddw1 = 6.0 - 12.0 * t;
            return corner == 1 ? ddw1 : -ddw1;
        }
        return corner == 1 ? 6.0 * t - 2.0 : 6.0 * t - 4.0;
    }
}
