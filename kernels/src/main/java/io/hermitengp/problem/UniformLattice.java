package io.hermitengp.problem;

import io.hermitengp.geometry.Box;

import java.util.Arrays;

/**
 * A uniform lattice of points with endpoints: {@code counts[i]} points along axis i,
 *
 * <pre>
 *   x_i(j) = lo_i + (hi_i - lo_i) j / (counts_i - 1),   j = 0 .. counts_i - 1,
 * </pre>
 *
 * first axis fastest. An axis with a single point sits at {@code lo_i = hi_i}: a slice through a
 * domain, such as a fixed time. Visited chunk by chunk ({@link #forEachChunk}), so a lattice of
 * any size is walked with a bounded buffer.
 *
 * @param lo     (d) first coordinate along each axis
 * @param hi     (d) last coordinate along each axis
 * @param counts (d) points along each axis, at least 1
 */
public record UniformLattice(double[] lo, double[] hi, int[] counts) {
    public UniformLattice {
        if (lo.length == 0 || lo.length != hi.length || lo.length != counts.length) {
            throw new IllegalArgumentException("a lattice needs lo, hi and counts with one entry per axis, got "
                    + lo.length + ", " + hi.length + " and " + counts.length);
        }
        for (int i = 0; i < lo.length; i++) {
            if (counts[i] < 1 || !Double.isFinite(lo[i]) || !Double.isFinite(hi[i])) {
                throw new IllegalArgumentException("lattice axis " + i + " needs finite ends and at least one point, got ["
                        + lo[i] + ", " + hi[i] + "] with " + counts[i]);
            }
            if (counts[i] == 1 ? lo[i] != hi[i] : !(hi[i] > lo[i])) {
                throw new IllegalArgumentException("lattice axis " + i + " with " + counts[i] + " points needs "
                        + (counts[i] == 1 ? "lo = hi" : "lo < hi") + ", got [" + lo[i] + ", " + hi[i] + "]");
            }
        }
        lo = lo.clone();
        hi = hi.clone();
        counts = counts.clone();
    }

    /** The lattice spanning a box, {@code counts[i]} points along axis i (each at least 2). */
    public static UniformLattice over(Box box, int... counts) {
        if (counts.length != box.dims()) {
            throw new IllegalArgumentException("a lattice over " + box + " needs " + box.dims() + " counts, got "
                    + counts.length);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 2) {
                throw new IllegalArgumentException("a lattice spanning a box needs at least 2 points per axis, axis " + i
                        + " has " + counts[i]);
            }
        }
        return new UniformLattice(box.lo(), box.hi(), counts);
    }

    /** This lattice with the given axis held at one value (one point along it). */
    public UniformLattice slice(int axis, double value) {
        double[] l = lo.clone();
        double[] h = hi.clone();
        int[] n = counts.clone();
        l[axis] = value;
        h[axis] = value;
        n[axis] = 1;
        return new UniformLattice(l, h, n);
    }

    public int dims() {
        return lo.length;
    }

    /** Number of points, the product of the counts. */
    public long size() {
        long size = 1;
        for (int n : counts) {
            size = Math.multiplyExact(size, n);
        }
        return size;
    }

    /** Point {@code index} (first axis fastest), written to {@code out[offset .. offset + d)}. */
    public void point(long index, double[] out, int offset) {
        for (int i = 0; i < lo.length; i++) {
            int j = (int) (index % counts[i]);
            index /= counts[i];
            out[offset + i] = counts[i] == 1 ? lo[i] : lo[i] + (hi[i] - lo[i]) * j / (counts[i] - 1);
        }
    }

    /** Receives consecutive runs of lattice points. */
    @FunctionalInterface
    public interface ChunkVisitor {
        /**
         * @param points (n, d) row-major; the buffer is reused for the next chunk
         * @param first  lattice index of the first of them
         */
        void visit(double[] points, int n, long first);
    }

    /** Visits every point in lattice order, at most {@code chunk} at a time, through one reused buffer. */
    public void forEachChunk(int chunk, ChunkVisitor visitor) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        long total = size();
        int d = dims();
        double[] points = new double[(int) Math.min(chunk, total) * d];
        for (long first = 0; first < total; first += chunk) {
            int n = (int) Math.min(chunk, total - first);
            for (int p = 0; p < n; p++) {
                point(first + p, points, p * d);
            }
            visitor.visit(points, n, first);
        }
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
    public int[] counts() {
        return counts.clone();
    }

    @Override
    public String toString() {
        return "lattice " + Arrays.toString(counts) + " over " + Arrays.toString(lo) + " .. " + Arrays.toString(hi);
    }
}
