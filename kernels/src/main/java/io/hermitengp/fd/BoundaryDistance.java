package io.hermitengp.fd;

/**
 * The exact Euclidean distance, in lattice steps, from every node of a solution's lattice to the
 * nearest boundary node (a NaN of {@link LaplaceSolution#values()}): what
 * {@code scipy.ndimage.distance_transform_edt(~isnan(u))} computes on a NaN-masked volume.
 * Felzenszwalb and Huttenlocher's separable transform (Theory of Computing 8, 2012): the squared
 * distance along x first, then along y and z as lower envelopes of parabolas, one line at a time.
 * Squared distances are whole numbers below 3 n^2 and are kept exactly in floats.
 */
public final class BoundaryDistance {
    /** Stands for "no boundary node on this line yet": far above any squared distance on a lattice. */
    private static final double FAR = 1e20;

    private BoundaryDistance() {
    }

    /** Squared distances, (n^3) by node index; 0 at boundary nodes. */
    public static float[] squared(LaplaceSolution solution) {
        Lattice lattice = solution.lattice();
        int n = lattice.n();
        double[] values = solution.values();
        float[] d2 = new float[lattice.nodes()];
        for (int p = 0; p < d2.length; p++) {
            d2[p] = Double.isNaN(values[p]) ? 0f : (float) FAR;
        }
        double[] f = new double[n];
        double[] out = new double[n];
        int[] sites = new int[n];
        double[] bounds = new double[n + 1];
        int[] stride = {1, n, n * n};
        for (int axis = 0; axis < 3; axis++) {
            int step = stride[axis];
            int[] other = axis == 0 ? new int[]{n, n * n} : axis == 1 ? new int[]{1, n * n} : new int[]{1, n};
            for (int b = 0; b < n; b++) {
                for (int a = 0; a < n; a++) {
                    int start = a * other[0] + b * other[1];
                    for (int q = 0; q < n; q++) {
                        f[q] = d2[start + q * step];
                    }
                    lowerEnvelope(f, n, out, sites, bounds);
                    for (int q = 0; q < n; q++) {
                        d2[start + q * step] = (float) Math.min(out[q], FAR);
                    }
                }
            }
        }
        return d2;
    }

    /** {@code out[q] = min_s (q - s)^2 + f[s]}: the lower envelope of the parabolas rooted at every s. */
    private static void lowerEnvelope(double[] f, int n, double[] out, int[] sites, double[] bounds) {
        int k = 0;
        sites[0] = 0;
        bounds[0] = Double.NEGATIVE_INFINITY;
        bounds[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = intersection(f, q, sites[k]);
            while (s <= bounds[k]) {
                k--;
                s = intersection(f, q, sites[k]);
            }
            k++;
            sites[k] = q;
            bounds[k] = s;
            bounds[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (bounds[k + 1] < q) {
                k++;
            }
            double d = q - sites[k];
            out[q] = d * d + f[sites[k]];
        }
    }

    /** Where the parabola rooted at q overtakes the one rooted at r (r < q). */
    private static double intersection(double[] f, int q, int r) {
        return ((f[q] + (double) q * q) - (f[r] + (double) r * r)) / (2.0 * q - 2.0 * r);
    }
}
