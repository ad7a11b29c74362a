package io.hermitengp.problem;

import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/** Points uniform on one face of a box, {@code x_axis = lo_axis} (or {@code hi_axis}): initial conditions. */
public record FaceSampler(Box box, int axis, boolean high) implements PointSampler {
    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset) {
        int d = box.dims();
        double fixed = high ? box.hi(axis) : box.lo(axis);
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < d; i++) {
                out[offset + p * d + i] = i == axis ? fixed : box.lo(i) + rng.nextDouble() * box.extent(i);
            }
        }
    }
}
