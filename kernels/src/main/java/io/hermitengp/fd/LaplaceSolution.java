package io.hermitengp.fd;

/**
 * A solved finite-difference Laplace problem: the value at every free node of its lattice, NaN at
 * the boundary nodes (the box's faces and the obstacle's inside), the convention of a NaN-masked
 * reference volume.
 *
 * @param values           (n^3) by node index {@code i + n (j + n k)}
 * @param iterations       conjugate-gradient iterations taken
 * @param relativeResidual {@code |b - A u| / |b|} of the returned values, recomputed from them
 * @param converged        whether the iteration met its tolerance within its iteration cap
 */
public record LaplaceSolution(Lattice lattice, double[] values, int iterations, double relativeResidual,
                              boolean converged) {
    public LaplaceSolution {
        if (values.length != lattice.nodes()) {
            throw new IllegalArgumentException("a solution on a " + lattice.n() + "^3 lattice needs " + lattice.nodes()
                    + " values, got " + values.length);
        }
    }

    /** Whether node {@code index} is an unknown of the problem (not a boundary node). */
    public boolean isFree(int index) {
        return !Double.isNaN(values[index]);
    }

    /** Number of unknowns. */
    public int freeCount() {
        int count = 0;
        for (double v : values) {
            count += Double.isNaN(v) ? 0 : 1;
        }
        return count;
    }
}
