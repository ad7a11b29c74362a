package io.hermitengp.fd;

/**
 * A solid region inside the lattice's box (a closed mesh, a sphere): which lattice nodes lie in it,
 * and where an edge from an outside node to an inside neighbour crosses its surface. The
 * finite-difference Laplace problem is posed outside it.
 */
public interface LatticeObstacle {
    /**
     * Whether each node of the lattice lies inside the obstacle, by node index.
     *
     * @param threads threads for the queries; the answer does not depend on them
     */
    boolean[] inside(Lattice lattice, int threads);

    /**
     * The fraction {@code theta in [0, 1]} of the way from {@code outside} (a node classified
     * outside) to {@code inside} (a neighbour classified inside) at which the segment between them
     * first meets the surface. Called only for such pairs; must be thread-safe.
     *
     * @param outside (3) the outside node's coordinates
     * @param inside  (3) the inside node's coordinates
     */
    double crossing(double[] outside, double[] inside);
}
