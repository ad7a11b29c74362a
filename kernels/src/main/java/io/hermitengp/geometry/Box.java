package io.hermitengp.geometry;

import java.util.Arrays;

/**
 * An axis-aligned box {@code [lo, hi]} in d dimensions: the domain of a problem and the region
 * the encoding's grid covers. Maps a point to normalized coordinates {@code s in [0,1]^d}.
 */
public record Box(double[] lo, double[] hi) {
    public Box {
        if (lo.length != hi.length || lo.length == 0) {
            throw new IllegalArgumentException("box corners must have the same nonzero dimension, got "
                    + lo.length + " and " + hi.length);
        }
        for (int i = 0; i < lo.length; i++) {
            if (!(hi[i] > lo[i]) || !Double.isFinite(lo[i]) || !Double.isFinite(hi[i])) {
                throw new IllegalArgumentException("box axis " + i + " needs finite lo < hi, got ["
                        + lo[i] + ", " + hi[i] + "]");
            }
        }
        lo = lo.clone();
        hi = hi.clone();
    }

    /** The cube {@code [lo, hi]^dims}. */
    public static Box cube(int dims, double lo, double hi) {
        double[] l = new double[dims];
        double[] h = new double[dims];
        Arrays.fill(l, lo);
        Arrays.fill(h, hi);
        return new Box(l, h);
    }

    public int dims() {
        return lo.length;
    }

    public double lo(int axis) {
        return lo[axis];
    }

    public double hi(int axis) {
        return hi[axis];
    }

    public double extent(int axis) {
        return hi[axis] - lo[axis];
    }

    /**
     * Point {@code index} of the uniform lattice with {@code counts[i]} points along axis i,
     * endpoints included (a single point sits at {@code lo}), first axis fastest, written to
     * {@code out[offset .. offset + d)}.
     */
    public void latticePoint(int[] counts, long index, double[] out, int offset) {
        for (int i = 0; i < dims(); i++) {
            int j = (int) (index % counts[i]);
            index /= counts[i];
            out[offset + i] = counts[i] == 1 ? lo[i] : lo[i] + extent(i) * j / (counts[i] - 1);
        }
    }

    public double volume() {
        double v = 1;
        for (int i = 0; i < lo.length; i++) {
            v *= extent(i);
        }
        return v;
    }

    @Override
    public double[] lo() {
        return lo.clone();
    }

    @Override
    public double[] hi() {
        return hi.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(lo, b.lo) && Arrays.equals(hi, b.hi);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
    }

    @Override
    public String toString() {
        return "Box" + Arrays.toString(lo) + "-" + Arrays.toString(hi);
    }
}
