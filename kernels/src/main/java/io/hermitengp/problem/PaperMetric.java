package io.hermitengp.problem;

import java.util.Optional;

/**
 * A benchmark's own evaluation metric, measured the way its authors measured it, so that a fit
 * can be reported beside the published number. Each problem states its formula on
 * {@link Problem#paperMetric}; the forms in use are
 *
 * <pre>
 *   relative L2 on a lattice L      sqrt( sum_{x in L} (u(x) - u*(x))^2 / sum_{x in L} u*(x)^2 )
 *   RMSE of the speed on L          sqrt( (1/|L|) sum_{x in L} ( |(u, v)(x)| - |(u*, v*)(x)| )^2 )
 *   mean relative L2 over slices    (1/S) sum_s relL2(L_s)
 *   band gradient MAE               (1/(3 |B|)) sum_{x in B} sum_i |d_i u(x) - d_i d*(x)|,   B = {x in L : |d*(x)| < band}
 * </pre>
 *
 * with u the field, u* the exact solution, d* the exact signed distance, and L a uniform lattice
 * with endpoints ({@link UniformLattice}). Like every other reported measure, a metric that could not
 * be measured (a diverged field gives NaN) is absent rather than NaN ({@link #of}).
 *
 * @param name  the metric's report name, stating what and where it measures (e.g. {@code rel_l2_grid200})
 * @param value the measurement, finite
 */
public record PaperMetric(String name, double value) {
    public PaperMetric {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a paper metric needs a name");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("paper metric " + name + " is " + value + "; a metric that could not be "
                    + "measured is absent, never NaN or infinite");
        }
    }

    /** The metric, or empty when the value is not finite (the field diverged). */
    public static Optional<PaperMetric> of(String name, double value) {
        return Double.isFinite(value) ? Optional.of(new PaperMetric(name, value)) : Optional.empty();
    }
}
