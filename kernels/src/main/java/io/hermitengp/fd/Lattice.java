package io.hermitengp.fd;

import io.hermitengp.geometry.Box;

/**
 * The vertex lattice of n points per axis over a 3D box, endpoints included: node {@code (i, j, k)}
 * sits at {@code x_a = lo_a + extent_a * i_a / (n - 1)} (the expression {@link Box#latticePoint}
 * evaluates, so both give the same bits) and has index {@code i + n (j + n k)}, x fastest. The
 * spacing along axis a is {@code h_a = extent_a / (n - 1)}. Nodes with any index 0 or n - 1 lie on
 * the box's faces.
 *
 * @param n nodes per axis, at least 3 (one node off the faces) and at most 1290 (n^3 below 2^31)
 */
public record Lattice(Box box, int n) {
    /** The largest n whose n^3 nodes are indexed by an int. */
    public static final int MAX_NODES_PER_AXIS = 1290;

    public Lattice {
        if (box.dims() != 3) {
            throw new IllegalArgumentException("a finite-difference lattice needs a 3D box, got " + box.dims() + "D");
        }
        if (n < 3 || n > MAX_NODES_PER_AXIS) {
            throw new IllegalArgumentException("a lattice needs 3.." + MAX_NODES_PER_AXIS
                    + " nodes per axis (one node off the faces, n^3 indexable), got " + n);
        }
    }

    /** n^3. */
    public int nodes() {
        return n * n * n;
    }

    public int index(int i, int j, int k) {
        return i + n * (j + n * k);
    }

    /** Coordinate of node index {@code i} along {@code axis}. */
    public double coordinate(int axis, int i) {
        return box.lo(axis) + box.extent(axis) * i / (n - 1);
    }

    public double spacing(int axis) {
        return box.extent(axis) / (n - 1);
    }

    /** Writes node {@code index}'s coordinates to {@code out[offset .. offset + 3)}. */
    public void point(int index, double[] out, int offset) {
        out[offset] = coordinate(0, index % n);
        out[offset + 1] = coordinate(1, index / n % n);
        out[offset + 2] = coordinate(2, index / (n * n));
    }

    /** Whether node {@code index} lies on a face of the box. */
    public boolean onFace(int index) {
        int i = index % n;
        int j = index / n % n;
        int k = index / (n * n);
        return i == 0 || j == 0 || k == 0 || i == n - 1 || j == n - 1 || k == n - 1;
    }
}
