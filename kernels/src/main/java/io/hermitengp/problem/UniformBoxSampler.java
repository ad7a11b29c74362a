package io.hermitengp.problem;

import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/** Points uniform in the interior of a box. */
public record UniformBoxSampler(Box box) implements PointSampler {
    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset) {
        int d = box.dims();
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < d; i++) {
                out[offset + p * d + i] = box.lo(i) + rng.nextDouble() * box.extent(i);
            }
        }
    }
}
