package io.hermitengp.fd;

import io.hermitengp.backend.WorkerPool;

import java.util.Arrays;

/**
 * Laplace's equation on a {@link Lattice} outside a {@link LatticeObstacle}, discretized with the
 * 7-point stencil and written as a symmetric positive definite system over the free nodes (the
 * nodes off the box's faces and outside the obstacle):
 *
 * <pre>
 *   Lap_h u = 0 at free nodes,   u = g_face on the faces,   u = g_obstacle on the obstacle (see BoundaryTreatment)
 *
 *   (A u)_P = d_P u_P - sum_{a, s = +-1, P + s e_a free} w_a u_{P + s e_a}  =  b_P
 *   w_a = 1 / h_a^2
 *   d_P = sum_{a, s} c_{P,a,s},  c = w_a / theta for a Shortley-Weller arm that meets the surface
 *                                at theta cells, c = w_a for every other arm
 *   b_P = sum over arms that end on a boundary of c g, g the boundary value where the arm ends
 * </pre>
 *
 * A is minus the discrete Laplacian with the boundary values moved to the right-hand side, so it
 * is symmetric with positive diagonal and diagonally dominant (strictly at nodes next to a
 * boundary): positive definite. A free node with no boundary among its six neighbours has the
 * regular diagonal {@code 2 sum_a w_a} and {@code b_P = 0}; the others, the boundary-adjacent
 * nodes, are listed in node order with their own diagonal and right-hand side. That list, a byte
 * per node and nothing else is what the system keeps: about n^3 bytes.
 */
public final class LaplaceSystem {
    static final byte FREE = 0;
    static final byte FACE = 1;
    static final byte OBSTACLE = 2;

    /** How far outside [0, 1] a surface crossing may be reported before it counts as an error, not rounding. */
    private static final double CROSSING_SLACK = 1e-9;
    /** Planes of the lattice per assembly task. */
    private static final int PLANE_GRAIN = 2;

    private final Lattice lattice;
    private final BoundaryTreatment treatment;
    private final byte[] kind;               // per node: FREE, FACE or OBSTACLE
    private final int freeCount;
    private final int[] lineStart;           // per line j + n k: first boundary-adjacent entry; n^2 + 1 entries
    private final int[] adjacentI;           // per boundary-adjacent node, in node order: its index along x
    private final double[] adjacentDiagonal; // per boundary-adjacent node: d_P
    private final double[] adjacentRhs;      // per boundary-adjacent node: b_P

    private LaplaceSystem(Lattice lattice, BoundaryTreatment treatment, byte[] kind, int freeCount, int[] lineStart,
                          int[] adjacentI, double[] adjacentDiagonal, double[] adjacentRhs) {
        this.lattice = lattice;
        this.treatment = treatment;
        this.kind = kind;
        this.freeCount = freeCount;
        this.lineStart = lineStart;
        this.adjacentI = adjacentI;
        this.adjacentDiagonal = adjacentDiagonal;
        this.adjacentRhs = adjacentRhs;
    }

    /**
     * Classifies the lattice's nodes (faces first, then the obstacle's inside) and assembles the
     * boundary-adjacent rows.
     *
     * @param obstacle     the solid the problem is posed outside, or null for the bare box
     * @param obstacleData g on the obstacle (read at the surface crossings, or at inside nodes for
     *                     {@link BoundaryTreatment#STAIRCASE})
     * @param faceData     g on the box's faces (read at face nodes)
     * @param threads      threads for the obstacle's queries; the system is the same for any count
     */
    public static LaplaceSystem assemble(Lattice lattice, LatticeObstacle obstacle, BoundaryTreatment treatment,
                                         DirichletData obstacleData, DirichletData faceData, int threads) {
        int n = lattice.n();
        byte[] kind = new byte[lattice.nodes()];
        if (obstacle != null) {
            boolean[] inside = obstacle.inside(lattice, threads);
            if (inside.length != kind.length) {
                throw new IllegalArgumentException("the obstacle classified " + inside.length + " nodes, the lattice has "
                        + kind.length);
            }
            for (int p = 0; p < kind.length; p++) {
                kind[p] = inside[p] ? OBSTACLE : FREE;
            }
        }
        // the faces carry the box's data even where the obstacle reaches them
        for (int p = 0; p < kind.length; p++) {
            if (lattice.onFace(p)) {
                kind[p] = FACE;
            }
        }
        int free = 0;
        for (byte b : kind) {
            free += b == FREE ? 1 : 0;
        }
        if (free == 0) {
            throw new IllegalArgumentException("no lattice node of the " + n + "^3 lattice lies outside the obstacle: "
                    + "the Laplace problem has no unknown");
        }
        // each plane's boundary-adjacent rows, assembled on their own and joined in plane order
        PlaneRows[] planes = new PlaneRows[n];
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forRange(n - 2, PLANE_GRAIN, (from, to) -> {
                for (int k = from + 1; k < to + 1; k++) {
                    planes[k] = assemblePlane(lattice, kind, k, obstacle, treatment, obstacleData, faceData);
                }
            });
        }
        int total = 0;
        for (int k = 1; k < n - 1; k++) {
            total += planes[k].count;
        }
        int[] lineStart = new int[n * n + 1];
        int[] adjacentI = new int[total];
        double[] diagonal = new double[total];
        double[] rhs = new double[total];
        int entry = 0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                lineStart[j + n * k] = entry;
                if (k == 0 || k == n - 1) {
                    continue;
                }
                PlaneRows plane = planes[k];
                for (int e = plane.lineStart[j]; e < plane.lineStart[j + 1]; e++) {
                    adjacentI[entry] = plane.i[e];
                    diagonal[entry] = plane.diagonal[e];
                    rhs[entry] = plane.rhs[e];
                    entry++;
                }
            }
        }
        lineStart[n * n] = entry;
        return new LaplaceSystem(lattice, treatment, kind, free, lineStart, adjacentI, diagonal, rhs);
    }

    /** The boundary-adjacent rows of one plane, line after line. */
    private record PlaneRows(int count, int[] lineStart, int[] i, double[] diagonal, double[] rhs) {
    }

    private static PlaneRows assemblePlane(Lattice lattice, byte[] kind, int k, LatticeObstacle obstacle,
                                           BoundaryTreatment treatment, DirichletData obstacleData,
                                           DirichletData faceData) {
        int n = lattice.n();
        double[] w = {1 / sq(lattice.spacing(0)), 1 / sq(lattice.spacing(1)), 1 / sq(lattice.spacing(2))};
        int[] stride = {1, n, n * n};
        int capacity = 64;
        int[] is = new int[capacity];
        double[] diagonals = new double[capacity];
        double[] rhss = new double[capacity];
        int[] lineStart = new int[n + 1];
        int count = 0;
        double[] here = new double[3];
        double[] there = new double[3];
        for (int j = 0; j < n; j++) {
            lineStart[j] = count;
            if (j == 0 || j == n - 1) {
                continue;
            }
            for (int i = 1; i < n - 1; i++) {
                int p = lattice.index(i, j, k);
                if (kind[p] != FREE || !nextToBoundary(kind, p, stride)) {
                    continue;
                }
                lattice.point(p, here, 0);
                double diagonal = 0;
                double rhs = 0;
                for (int a = 0; a < 3; a++) {
                    for (int s = -1; s <= 1; s += 2) {
                        int q = p + s * stride[a];
                        if (kind[q] == FREE) {
                            diagonal += w[a];
                        } else if (kind[q] == FACE) {
                            lattice.point(q, there, 0);
                            diagonal += w[a];
                            rhs += w[a] * faceData.at(there[0], there[1], there[2]);
                        } else {
                            lattice.point(q, there, 0);
                            if (treatment == BoundaryTreatment.STAIRCASE) {
                                diagonal += w[a];
                                rhs += w[a] * obstacleData.at(there[0], there[1], there[2]);
                            } else {
                                double theta = obstacle.crossing(here, there);
                                // a node on the surface may see its crossing a rounding error behind it
                                if (!(theta >= -CROSSING_SLACK && theta <= 1 + CROSSING_SLACK)) {
                                    throw new IllegalStateException("the obstacle's surface crossing between "
                                            + Arrays.toString(here) + " and " + Arrays.toString(there)
                                            + " is at " + theta + ", not in [0, 1]");
                                }
                                theta = Math.min(1, Math.max(0, theta));
                                double x = here[a] + theta * (there[a] - here[a]);
                                theta = Math.max(theta, BoundaryTreatment.MIN_THETA);
                                double c = w[a] / theta;
                                double[] crossing = here.clone();
                                crossing[a] = x;
                                diagonal += c;
                                rhs += c * obstacleData.at(crossing[0], crossing[1], crossing[2]);
                            }
                        }
                    }
                }
                if (count == capacity) {
                    capacity *= 2;
                    is = Arrays.copyOf(is, capacity);
                    diagonals = Arrays.copyOf(diagonals, capacity);
                    rhss = Arrays.copyOf(rhss, capacity);
                }
                is[count] = i;
                diagonals[count] = diagonal;
                rhss[count] = rhs;
                count++;
            }
        }
        lineStart[n] = count;
        return new PlaneRows(count, lineStart, is, diagonals, rhss);
    }

    private static boolean nextToBoundary(byte[] kind, int p, int[] stride) {
        for (int a = 0; a < 3; a++) {
            if (kind[p + stride[a]] != FREE || kind[p - stride[a]] != FREE) {
                return true;
            }
        }
        return false;
    }

    private static double sq(double x) {
        return x * x;
    }

    public Lattice lattice() {
        return lattice;
    }

    public BoundaryTreatment treatment() {
        return treatment;
    }

    /** Number of unknowns: nodes off the faces and outside the obstacle. */
    public int freeCount() {
        return freeCount;
    }

    /** Whether node {@code index} is an unknown. */
    public boolean isFree(int index) {
        return kind[index] == FREE;
    }

    /** Whether node {@code index} lies inside the obstacle (and off the faces). */
    public boolean isObstacle(int index) {
        return kind[index] == OBSTACLE;
    }

    /** Number of boundary-adjacent nodes (free nodes with a face or obstacle node among their neighbours). */
    public int boundaryAdjacentCount() {
        return adjacentI.length;
    }

    /** Node kinds, n^3, by node index (shared, not copied: read only). */
    byte[] kinds() {
        return kind;
    }

    int[] lineStart() {
        return lineStart;
    }

    int[] adjacentI() {
        return adjacentI;
    }

    double[] adjacentDiagonal() {
        return adjacentDiagonal;
    }

    double[] adjacentRhs() {
        return adjacentRhs;
    }
}
