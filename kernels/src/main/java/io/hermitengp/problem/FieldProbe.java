package io.hermitengp.problem;

import io.hermitengp.field.Channels;

/** Evaluates the field being trained, as it stands, at any points. */
@FunctionalInterface
public interface FieldProbe {
    /**
     * @param points (n, d) row-major
     * @param out    receives (n, C, outputs) row-major
     */
    void evaluate(double[] points, int n, Channels channels, double[] out);
}
