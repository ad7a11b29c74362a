package io.hermitengp.encoding;

/**
 * Multi-indices {@code alpha in {0,1}^d}, written as bit masks (bit i set = one derivative
 * along axis i). The order of {@code alpha} is its number of set bits; coefficients of one order
 * share a table, where {@code alpha} has a rank among the multi-indices of that order.
 *
 * <p>In 2D the masks 0,1,2,3 are f, f_x, f_y, f_xy; in 3D 0..7 are f, f_x, f_y, f_xy, f_z,
 * f_xz, f_yz, f_xyz (ranks within order 1: x=0, y=1, z=2; within order 2: xy=0, xz=1, yz=2).
 */
public final class MultiIndex {
    private final int dims;
    private final int[] rank;          // per mask: rank among the masks of its order
    private final int[] countOfOrder;  // per order k = 0..dims: binomial(dims, k)

    public MultiIndex(int dims) {
        if (dims < 1 || dims > 3) {
            throw new IllegalArgumentException("dimension must be 1, 2 or 3, got " + dims);
        }
        this.dims = dims;
        this.rank = new int[1 << dims];
        this.countOfOrder = new int[dims + 1];
        for (int alpha = 0; alpha < (1 << dims); alpha++) {
            int k = Integer.bitCount(alpha);
            rank[alpha] = countOfOrder[k]++;
        }
    }

    public int dims() {
        return dims;
    }

    /** Number of multi-indices, 2^d. */
    public int count() {
        return 1 << dims;
    }

    public static int order(int alpha) {
        return Integer.bitCount(alpha);
    }

    public int rank(int alpha) {
        return rank[alpha];
    }

    /** binomial(d, k): how many coefficient vectors one entry of the order-k table holds. */
    public int countOfOrder(int k) {
        return countOfOrder[k];
    }
}
