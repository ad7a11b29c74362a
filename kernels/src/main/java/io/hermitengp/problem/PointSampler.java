package io.hermitengp.problem;

import java.util.SplittableRandom;

/** Draws collocation points of one loss term. */
public interface PointSampler {
    /** Writes {@code count} points, (count, d) row-major, at {@code out[offset..]}. */
    void sample(SplittableRandom rng, int count, double[] out, int offset);
}
