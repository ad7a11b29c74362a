package io.hermitengp.problem;

import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/**
 * Points uniform on the faces of a box, the same number on each of the {@code 2d} faces (the
 * first {@code count mod 2d} faces get one more): face {@code 2i} is {@code x_i = lo_i}, face
 * {@code 2i+1} is {@code x_i = hi_i}.
 */
public record BoxBoundarySampler(Box box) implements PointSampler {
    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset) {
        int d = box.dims();
        int faces = 2 * d;
        int p = 0;
        for (int face = 0; face < faces; face++) {
            int onFace = count / faces + (face < count % faces ? 1 : 0);
            int axis = face / 2;
            double fixed = face % 2 == 0 ? box.lo(axis) : box.hi(axis);
            for (int q = 0; q < onFace; q++, p++) {
                for (int i = 0; i < d; i++) {
                    out[offset + p * d + i] = i == axis ? fixed : box.lo(i) + rng.nextDouble() * box.extent(i);
                }
            }
        }
    }
}
