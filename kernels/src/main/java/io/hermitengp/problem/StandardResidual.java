package io.hermitengp.problem;

import io.hermitengp.field.Channels;

/**
 * A residual in one of the forms of {@link ResidualMath}: its form, its constants, and the data
 * it needs at each point, which the host computes from the point and its sampler's attributes
 * (a source {@code g(x)}, a boundary value, a normal, the velocity of a transport). Both backends
 * evaluate it with the same static code: the Java backend per point, the OpenCL backend on the
 * device with the data uploaded with the batch. Every built-in problem states its terms this
 * way; a problem with a residual of another shape implements {@link Residual} and trains on the
 * Java backend only.
 *
 * <p>Immutable; {@link #constants()} returns a copy.
 */
public final class StandardResidual implements Residual {
    private final int kind;
    private final int components;
    private final int jetSize;
    private final double[] constants;
    private final int dataWidth;
    private final PointData data;

    private StandardResidual(int kind, int components, int jetSize, double[] constants, int dataWidth,
                             PointData data) {
        this.kind = kind;
        this.components = components;
        this.jetSize = jetSize;
        this.constants = constants;
        this.dataWidth = dataWidth;
        this.data = data;
    }

    /**
     * {@code r = sum_j a_j u_j - g(x)}: one linear row with constant coefficients.
     *
     * @param coefficients {@code a}, layout (C, outputs)
     */
    public static StandardResidual linear(double[] coefficients, DataFunction g) {
        return new StandardResidual(ResidualMath.LINEAR, 1, coefficients.length, coefficients.clone(), 1,
                (x, xo, attributes, ao, out, oo) -> out[oo] = g.at(x, xo));
    }

    /** {@code r = sum_j a_j u_j - g} with {@code g} one of the point's sampler attributes. */
    public static StandardResidual linearOfAttribute(double[] coefficients, int attribute) {
        return new StandardResidual(ResidualMath.LINEAR, 1, coefficients.length, coefficients.clone(), 1,
                (x, xo, attributes, ao, out, oo) -> out[oo] = attributes[ao + attribute]);
    }

    /**
     * {@code r_c = u_{gradient c} - a_{first + c}}, {@code c < d}: the field's gradient against a
     * vector carried in the point's attributes from {@code first} on (a surface normal, the
     * gradient of the exact distance).
     */
    public static StandardResidual gradientMinusAttributes(Channels channels, int outputs, int first) {
        int d = channels.dims();
        int jet = channels.count() * outputs;
        double[] rows = new double[d * jet];
        for (int c = 0; c < d; c++) {
            rows[c * jet + Channels.gradient(c) * outputs] = 1.0;
        }
        return new StandardResidual(ResidualMath.LINEAR, d, jet, rows, d,
                (x, xo, attributes, ao, out, oo) -> System.arraycopy(attributes, ao + first, out, oo, d));
    }

    /**
     * {@code r_c = sum_j a_cj u_j - g_c(x)}: several linear rows with constant coefficients and
     * data from the point.
     *
     * @param rows {@code (components, C * outputs)}
     * @param g    writes the {@code components} data values
     */
    public static StandardResidual linearRows(int components, double[] rows, PointData g) {
        if (components < 1 || rows.length % components != 0) {
            throw new IllegalArgumentException(rows.length + " coefficients do not make " + components + " rows");
        }
        return new StandardResidual(ResidualMath.LINEAR, components, rows.length / components, rows.clone(),
                components, g);
    }

    /**
     * {@code r_c = sum_j a_cj(x) u_j - g_c(x)}: linear rows whose coefficients vary over the domain.
     *
     * @param coefficientsAndData writes {@code a(x) (components, jetSize)} then {@code g(x) (components)}
     */
    public static StandardResidual pointwiseLinear(int components, int jetSize, PointData coefficientsAndData) {
        return new StandardResidual(ResidualMath.POINTWISE_LINEAR, components, jetSize, new double[0],
                components * (jetSize + 1), coefficientsAndData);
    }

    /** {@code r = |grad u| - 1} over the d gradient channels of output 0. */
    public static StandardResidual eikonal(Channels channels, int outputs) {
        int d = channels.dims();
        double[] constants = new double[1 + d];
        constants[0] = d;
        for (int i = 0; i < d; i++) {
            constants[1 + i] = Channels.gradient(i) * outputs;
        }
        return new StandardResidual(ResidualMath.EIKONAL, 1, channels.count() * outputs, constants, 0,
                (x, xo, attributes, ao, out, oo) -> {
                });
    }

    /**
     * The incompressible Navier-Stokes residual in (x, y, t) of a field with outputs (u, v, p) and
     * the Laplacian over x and y ({@link ResidualMath#NAVIER_STOKES_2D}), its continuity component
     * scaled by {@code continuityWeight}.
     */
    public static StandardResidual navierStokes2d(double nu, double continuityWeight, Channels channels) {
        if (channels.dims() != 3 || !channels.inLaplacian(0) || !channels.inLaplacian(1)) {
            throw new IllegalArgumentException("Navier-Stokes 2D needs (x, y, t) channels with the Laplacian over x "
                    + "and y, got " + channels);
        }
        int outputs = 3;
        int lap = channels.laplacian();
        double[] constants = {nu, continuityWeight,
            jet(Channels.VALUE, 0, outputs), jet(Channels.VALUE, 1, outputs),
            jet(Channels.gradient(0), 0, outputs), jet(Channels.gradient(1), 0, outputs),
            jet(Channels.gradient(2), 0, outputs),
            jet(Channels.gradient(0), 1, outputs), jet(Channels.gradient(1), 1, outputs),
            jet(Channels.gradient(2), 1, outputs),
            jet(Channels.gradient(0), 2, outputs), jet(Channels.gradient(1), 2, outputs),
            jet(lap, 0, outputs), jet(lap, 1, outputs)};
        return new StandardResidual(ResidualMath.NAVIER_STOKES_2D, 3, channels.count() * outputs, constants, 0,
                (x, xo, attributes, ao, out, oo) -> {
                });
    }

    private static int jet(int channel, int output, int outputs) {
        return channel * outputs + output;
    }

    /** {@link ResidualMath}'s form: {@link ResidualMath#LINEAR}, ... */
    public int kind() {
        return kind;
    }

    @Override
    public int components() {
        return components;
    }

    /** The jet length the partials are laid out over: {@code C * outputs}. */
    public int jetSize() {
        return jetSize;
    }

    /** The form's constants (a copy). */
    public double[] constants() {
        return constants.clone();
    }

    /** Numbers of per-point data ({@link #data}). */
    public int dataWidth() {
        return dataWidth;
    }

    /** Writes the point's {@link #dataWidth()} data numbers at {@code out[outOffset ..]}. */
    public void data(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] out, int outOffset) {
        data.at(x, xOffset, attributes, attributeOffset, out, outOffset);
    }

    /**
     * Evaluates with the caller's scratch for the point data (at least {@link #dataWidth()}
     * numbers), allocating nothing: the Java backend's per-point path.
     */
    public void evaluate(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] u, int uOffset,
                         double[] dataScratch, double[] r, double[] drdu) {
        data.at(x, xOffset, attributes, attributeOffset, dataScratch, 0);
        double root = Math.sqrt(ResidualMath.radicand(kind, constants, 0, u, uOffset));
        ResidualMath.evaluate(kind, components, jetSize, constants, 0, dataScratch, 0, u, uOffset, root, r, 0, drdu, 0);
    }

    @Override
    public void evaluate(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] u, int uOffset,
                         double[] r, double[] drdu) {
        evaluate(x, xOffset, attributes, attributeOffset, u, uOffset, new double[dataWidth], r, drdu);
    }

    @Override
    public String toString() {
        return ResidualMath.kindName(kind) + " residual, " + components + " component(s) over a jet of " + jetSize;
    }

    /** The data term {@code g(x)} of a one-row linear residual. */
    @FunctionalInterface
    public interface DataFunction {
        double at(double[] x, int xOffset);
    }

    /** The per-point data of a residual, from the point and its sampler's attributes. */
    @FunctionalInterface
    public interface PointData {
        void at(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] out, int outOffset);
    }
}
