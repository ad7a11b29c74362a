package io.hermitengp.problem;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws points uniformly, with replacement, from a pool computed once (with their attributes):
 * for samples whose exact data is too expensive to compute at every step, such as the signed
 * distance of a mesh at a random point.
 */
public final class PooledSampler implements PointSampler {
    private final int dims;
    private final double[] points;
    private final double[] attributes;
    private final int width;

    /**
     * @param points     (count, dims) row-major
     * @param attributes (count, width) row-major
     */
    public PooledSampler(int dims, double[] points, double[] attributes, int width) {
        if (points.length == 0 || points.length % dims != 0 || attributes.length != points.length / dims * width) {
            throw new IllegalArgumentException("a pool needs at least one point and " + width
                    + " attributes per point; got " + points.length + " coordinates, " + attributes.length + " attributes");
        }
        this.dims = dims;
        this.points = points;
        this.attributes = attributes;
        this.width = width;
    }

    public int size() {
        return points.length / dims;
    }

    /** The pool's points, (size, dims) row-major (a copy). */
    public double[] points() {
        return points.clone();
    }

    /** The pool's attributes, (size, width) row-major (a copy). */
    public double[] attributes() {
        return attributes.clone();
    }

    /** The same pool, drawn without its attributes. */
    public PooledSampler withoutAttributes() {
        return new PooledSampler(dims, points, new double[0], 0);
    }

    @Override
    public int attributeWidth() {
        return width;
    }

    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset) {
        sample(rng, count, out, offset, null, 0);
    }

    @Override
    public void sample(SplittableRandom rng, int count, double[] out, int offset, double[] attributesOut,
                       int attributeOffset) {
        for (int k = 0; k < count; k++) {
            int p = rng.nextInt(size());
            System.arraycopy(points, p * dims, out, offset + k * dims, dims);
            if (width > 0 && attributesOut != null) {
                System.arraycopy(attributes, p * width, attributesOut, attributeOffset + k * width, width);
            }
        }
    }

    /** Two pools drawn as one, each point equally likely. */
    public static PooledSampler union(PooledSampler a, PooledSampler b) {
        if (a.dims != b.dims || a.width != b.width) {
            throw new IllegalArgumentException("pools of different shapes cannot be joined");
        }
        double[] p = Arrays.copyOf(a.points, a.points.length + b.points.length);
        System.arraycopy(b.points, 0, p, a.points.length, b.points.length);
        double[] w = Arrays.copyOf(a.attributes, a.attributes.length + b.attributes.length);
        System.arraycopy(b.attributes, 0, w, a.attributes.length, b.attributes.length);
        return new PooledSampler(a.dims, p, w, a.width);
    }
}
