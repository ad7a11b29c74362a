package io.hermitengp.problem;

import java.util.SplittableRandom;

/**
 * Draws collocation points of one loss term, optionally with per-point attributes the term's
 * residual reads (an SDF sample's exact distance, a surface point's normal).
 */
public interface PointSampler {
    /** Writes {@code count} points, (count, d) row-major, at {@code out[offset..]}. */
    void sample(SplittableRandom rng, int count, double[] out, int offset);

    /** Attributes per point (0 for plain points). */
    default int attributeWidth() {
        return 0;
    }

    /**
     * Writes {@code count} points and their attributes, (count, attributeWidth) row-major at
     * {@code attributes[attributeOffset..]}. Samplers without attributes draw the points alone.
     */
    default void sample(SplittableRandom rng, int count, double[] points, int pointOffset, double[] attributes,
                        int attributeOffset) {
        sample(rng, count, points, pointOffset);
    }
}
