package io.hermitengp.problem;

import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/**
 * Points uniform on the faces of a box normal to the axes in a mask (all axes by default), the
 * same number on each face (the first {@code count mod faces} faces get one more), in face order
 * {@code x_i = lo_i}, {@code x_i = hi_i} for ascending i. A time-dependent problem passes its
 * spatial axes so that no boundary point lands on the initial or final time.
 */
public record BoxBoundarySampler(Box box, int axes) implements PointSampler {
    /** All faces of the box. */
    public BoxBoundarySampler(Box box) {
        this(box, (1 << box.dims()) - 1);
    }

    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset) {
        int d = box.dims();
        int[] faceAxis = new int[2 * d];
        int faces = 0;
        for (int i = 0; i < d; i++) {
            if ((axes >> i & 1) != 0) {
                faceAxis[faces++] = i;
                faceAxis[faces++] = i;
            }
        }
        int p = 0;
        for (int face = 0; face < faces; face++) {
            int onFace = count / faces + (face < count % faces ? 1 : 0);
            int axis = faceAxis[face];
            double fixed = face % 2 == 0 ? box.lo(axis) : box.hi(axis);
            for (int q = 0; q < onFace; q++, p++) {
                for (int i = 0; i < d; i++) {
                    out[offset + p * d + i] = i == axis ? fixed : box.lo(i) + rng.nextDouble() * box.extent(i);
                }
            }
        }
    }
}
