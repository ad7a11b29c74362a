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

    /** {@code g} at a point, from its coordinates or its sampler's attributes. */
    double data(double[] x, int xOffset, double[] attributes, int attributeOffset);

    /** {@code r = sum_j a_j u_j - g}, summed in ascending j; the partials are the coefficients. */
    @Override
    default void evaluate(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] u, int uOffset,
                          double[] r, double[] drdu) {
        double[] a = coefficients();
        r[0] = ResidualMath.linear(a, 0, a.length, u, uOffset, data(x, xOffset, attributes, attributeOffset));
        System.arraycopy(a, 0, drdu, 0, a.length);
    }

    /** A linear residual from its coefficients and a data function of the point. */
    static LinearResidual of(double[] coefficients, DataFunction data) {
        return withData(coefficients, (x, xOffset, attributes, attributeOffset) -> data.at(x, xOffset));
    }

    /** A linear residual whose data is one of its sampler's per-point attributes. */
    static LinearResidual ofAttribute(double[] coefficients, int attribute) {
        return withData(coefficients, (x, xOffset, attributes, attributeOffset) -> attributes[attributeOffset + attribute]);
    }

    private static LinearResidual withData(double[] coefficients, SampleData data) {
        double[] a = coefficients.clone();
        return new LinearResidual() {
            @Override
            public double[] coefficients() {
                return a.clone();
            }

            @Override
            public double data(double[] x, int xOffset, double[] attributes, int attributeOffset) {
                return data.at(x, xOffset, attributes, attributeOffset);
            }
        };
    }

    /** The data term {@code g(x)}. */
    @FunctionalInterface
    interface DataFunction {
        double at(double[] x, int xOffset);
    }

    /** The data term of a sample: its point and its attributes. */
    @FunctionalInterface
    interface SampleData {
        double at(double[] x, int xOffset, double[] attributes, int attributeOffset);
    }
}
