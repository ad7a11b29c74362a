package io.hermitengp.problem;

/**
 * The residual of one loss term at one point, written like the equation it enforces, with its
 * partial derivatives with respect to the field's channels so that the backward pass can start
 * from them (no autodiff: each residual states its own partials).
 *
 * <p>The field jet at a point has layout {@code (C, outputs)}: channel ({@link
 * io.hermitengp.field.Channels}) major, output minor.
 */
@FunctionalInterface
public interface Residual {
    /** Number of residual components per point (1 for a scalar equation). */
    default int components() {
        return 1;
    }

    /**
     * @param x          the point at {@code x[xOffset .. xOffset+d)}
     * @param attributes the point's attributes from its sampler at {@code attributes[attributeOffset..]}
     *                   (see {@link PointSampler#attributeWidth()}; unused by most residuals)
     * @param u          the field jet at {@code u[uOffset ..]}, layout (C, outputs)
     * @param r          receives the residual components
     * @param drdu       receives {@code dr_c/du_j}, layout (components, C*outputs) row-major
     */
    void evaluate(double[] x, int xOffset, double[] attributes, int attributeOffset, double[] u, int uOffset,
                  double[] r, double[] drdu);
}
