package io.hermitengp.encoding;

/**
 * How the tables of a grid encoding start: every coefficient {@code U(-scale, scale)}
 * (instant-NGP's rule, scale 1e-4), or the value tables {@code N(0, scale^2)} and every derivative
 * table zero (the Hermite-NGP reference code's rule, scale 0.01), so the initial field is a
 * small random field with no slopes of its own.
 */
public record TableInit(boolean normalValues, double scale) {
    public TableInit {
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("table init scale must be finite and >= 0, got " + scale);
        }
    }

    public static TableInit uniform(double range) {
        return new TableInit(false, range);
    }

    public static TableInit normalValues(double sigma) {
        return new TableInit(true, sigma);
    }
}
