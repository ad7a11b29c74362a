package io.hermitengp.problem;

/**
 * A scalar residual linear in the field's channels: {@code r = sum_j a_j u_j - g(x)}, with constant
 * coefficients {@code a_j} over the jet {@code (C, outputs)} and a data term {@code g} (a source, a
 * boundary value). Helmholtz and Poisson terms have this form. A device backend evaluates
 * {@code g} on the host with the points and applies the rest on the device.
 */
public interface LinearResidual extends Residual {
    /** {@code a_j}, layout (C, outputs). */
    double[] coefficients();

    /** {@code g(x)}. */
    double data(double[] x, int xOffset);

    /** {@code r = sum_j a_j u_j - g}, summed in ascending j; the partials are the coefficients. */
    @Override
    default void evaluate(double[] x, int xOffset, double[] u, int uOffset, double[] r, double[] drdu) {
        double[] a = coefficients();
        r[0] = ResidualMath.linear(a, 0, a.length, u, uOffset, data(x, xOffset));
        System.arraycopy(a, 0, drdu, 0, a.length);
    }

    /** A linear residual from its coefficients and data function. */
    static LinearResidual of(double[] coefficients, DataFunction data) {
        double[] a = coefficients.clone();
        return new LinearResidual() {
            @Override
            public double[] coefficients() {
                return a.clone();
            }

            @Override
            public double data(double[] x, int xOffset) {
                return data.at(x, xOffset);
            }
        };
    }

    /** The data term {@code g(x)}. */
    @FunctionalInterface
    interface DataFunction {
        double at(double[] x, int xOffset);
    }
}
