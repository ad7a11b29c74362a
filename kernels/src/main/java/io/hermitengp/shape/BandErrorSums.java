package io.hermitengp.shape;

import io.hermitengp.field.Channels;

/**
 * Running sums of a field's error against the exact signed distance over points near the
 * surface, in the order they are added (the caller chooses the points: those of a band
 * {@code |d| <= band} or {@code |d| < band}). With f the field and d the exact distance, at each
 * point:
 *
 * <pre>
 *   gradient norm error        |grad f - grad d|                 (Euclidean)
 *   gradient component error   sum_i |df/dx_i - dd/dx_i|          (over the three axes)
 *   distance error             |f - d|
 * </pre>
 *
 * and their means over the points ({@link SdfMetrics}' {@code grad_mae} and {@code dist_mae} take
 * the first and last; the benchmark's gradient MAE is the second over 3 per point).
 */
final class BandErrorSums {
    private long points;
    private double gradientNorms;
    private double gradientComponents;
    private double distances;

    /**
     * Adds one point.
     *
     * @param jet   the field's value and gradient at {@code jet[jetOffset ..]}, channels
     *              {@link Channels#valueAndGradient valueAndGradient(3)} of one output
     * @param exact {@code (d, dd/dx, dd/dy, dd/dz)} at {@code exact[exactOffset ..]}
     */
    void add(double[] jet, int jetOffset, double[] exact, int exactOffset) {
        double squares = 0;
        double absolutes = 0;
        for (int i = 0; i < 3; i++) {
            double e = jet[jetOffset + Channels.gradient(i)] - exact[exactOffset + 1 + i];
            squares += e * e;
            absolutes += Math.abs(e);
        }
        gradientNorms += Math.sqrt(squares);
        gradientComponents += absolutes;
        distances += Math.abs(jet[jetOffset + Channels.VALUE] - exact[exactOffset]);
        points++;
    }

    long points() {
        return points;
    }

    /** Mean of {@code |grad f - grad d|}; NaN without points. */
    double gradientNormMean() {
        return points == 0 ? Double.NaN : gradientNorms / points;
    }

    /** Mean over points and the three axes of {@code |df/dx_i - dd/dx_i|}; NaN without points. */
    double gradientComponentMean() {
        return points == 0 ? Double.NaN : gradientComponents / (3.0 * points);
    }

    /** Mean of {@code |f - d|}; NaN without points. */
    double distanceMean() {
        return points == 0 ? Double.NaN : distances / points;
    }
}
