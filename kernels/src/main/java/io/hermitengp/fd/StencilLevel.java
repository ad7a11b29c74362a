package io.hermitengp.fd;

import io.hermitengp.backend.WorkerPool;

import java.util.Arrays;

/**
 * One level of the finite-difference operator: an m^3 lattice (index {@code i + m (j + m k)}) with
 * a free mask and the 7-point operator of {@link LaplaceSystem} on it, homogeneous Dirichlet at the
 * other nodes. Vectors span the whole lattice and hold 0 at non-free nodes, so a neighbour's
 * contribution needs no mask test; every kernel writes free nodes only.
 *
 * <pre>
 *   (A v)_P = d_P v_P - sum_a w_a (v_{P + e_a} + v_{P - e_a})
 *   d_P     = sum_a w_a (1 + up_a[i_a])   unless P is listed with its own diagonal (finest level)
 * </pre>
 *
 * {@code up_a[i] = 1/theta} when the box's upper face along a falls inside the cell above node i
 * (a coarse level whose last node lies beyond the face), 1 otherwise: the same symmetric
 * short-arm rule as {@link BoundaryTreatment#SHORTLEY_WELLER}, so a coarse level sees the face
 * where it is. Nodes with any index 0 or m - 1 are never free.
 *
 * <p>Kernels run over planes k in tasks of {@link #GRAIN} planes; each node is computed from
 * values no other task of the same kernel writes (Gauss-Seidel updates one colour from the
 * other), and sums are kept per plane and added in plane order, so every result is the same bits
 * for any thread count.
 */
final class StencilLevel {
    /** Planes per task. */
    static final int GRAIN = 2;

    final int m;
    final double wx;
    final double wy;
    final double wz;
    final byte[] kinds;     // per node: LaplaceSystem.FREE (0) for an unknown, anything else for a boundary node
    final double[] upX;     // per index along x: factor of the + arm in the diagonal
    final double[] upY;
    final double[] upZ;
    // the finest level's boundary-adjacent nodes, as in LaplaceSystem (null on coarser levels)
    private final int[] lineStart;
    private final int[] adjacentI;
    private final double[] adjacentDiagonal;

    StencilLevel(int m, double wx, double wy, double wz, byte[] kinds, double[] upX, double[] upY, double[] upZ,
                 int[] lineStart, int[] adjacentI, double[] adjacentDiagonal) {
        this.m = m;
        this.wx = wx;
        this.wy = wy;
        this.wz = wz;
        this.kinds = kinds;
        this.upX = upX;
        this.upY = upY;
        this.upZ = upZ;
        this.lineStart = lineStart;
        this.adjacentI = adjacentI;
        this.adjacentDiagonal = adjacentDiagonal;
    }

    /** The finest level: the system's own operator. */
    static StencilLevel finest(LaplaceSystem system) {
        Lattice lattice = system.lattice();
        int n = lattice.n();
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return new StencilLevel(n, 1 / sq(lattice.spacing(0)), 1 / sq(lattice.spacing(1)), 1 / sq(lattice.spacing(2)),
                system.kinds(), ones, ones, ones, system.lineStart(), system.adjacentI(), system.adjacentDiagonal());
    }

    /**
     * The next coarser level: node C sits on node 2C of this one (so on finest node
     * {@code C * 2^(level)}), spacing doubled. C is free when node 2C exists here and is free; the
     * last coarse node may lie beyond the box (when m - 1 is odd) and is then a boundary node whose
     * arm is shortened by {@code up}.
     *
     * @param finest  nodes per axis of the finest level
     * @param spacing the coarse level's spacing in finest cells (2^level)
     */
    StencilLevel coarser(int finest, int spacing) {
        int mc = m / 2 + 1;
        byte[] coarseKinds = new byte[mc * mc * mc];
        Arrays.fill(coarseKinds, BOUNDARY);
        for (int k = 1; k < mc - 1; k++) {
            for (int j = 1; j < mc - 1; j++) {
                for (int i = 1; i < mc - 1; i++) {
                    int fi = 2 * i, fj = 2 * j, fk = 2 * k;
                    if (fi < m && fj < m && fk < m && isFree(fi + m * (fj + m * fk))) {
                        coarseKinds[i + mc * (j + mc * k)] = LaplaceSystem.FREE;
                    }
                }
            }
        }
        double[] up = new double[mc];
        for (int i = 0; i < mc; i++) {
            long position = (long) i * spacing;
            long face = finest - 1;
            up[i] = position < face && position + spacing > face ? (double) spacing / (face - position) : 1.0;
        }
        return new StencilLevel(mc, wx / 4, wy / 4, wz / 4, coarseKinds, up, up, up, null, null, null);
    }

    /** The kind of a coarse level's boundary nodes. */
    private static final byte BOUNDARY = 1;

    boolean isFree(int p) {
        return kinds[p] == LaplaceSystem.FREE;
    }

    int nodes() {
        return m * m * m;
    }

    /** Writes d_P for every node of line (j, k) into {@code out[0 .. m)} (values at non-free nodes are unused). */
    void lineDiagonal(int j, int k, double[] out) {
        double base = wy * (1 + upY[j]) + wz * (1 + upZ[k]);
        for (int i = 0; i < m; i++) {
            out[i] = base + wx * (1 + upX[i]);
        }
        if (lineStart != null) {
            int line = j + m * k;
            for (int e = lineStart[line]; e < lineStart[line + 1]; e++) {
                out[adjacentI[e]] = adjacentDiagonal[e];
            }
        }
    }

    /** Calls {@code body} on tasks of planes, {@code k} in [1, m - 1). */
    void forPlanes(WorkerPool pool, WorkerPool.RangeTask body) {
        pool.forRange(m - 2, GRAIN, (from, to) -> body.run(from + 1, to + 1));
    }

    /** {@code out = A v} at free nodes (0 elsewhere); returns {@code v . out}. */
    double apply(WorkerPool pool, double[] v, double[] out) {
        double[] planeSums = new double[m];
        forPlanes(pool, (from, to) -> {
            double[] diagonal = new double[m];
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int j = 1; j < m - 1; j++) {
                    lineDiagonal(j, k, diagonal);
                    int base = m * (j + m * k);
                    for (int i = 1; i < m - 1; i++) {
                        int p = base + i;
                        if (kinds[p] != LaplaceSystem.FREE) {
                            continue;
                        }
                        double av = diagonal[i] * v[p] - wx * (v[p - 1] + v[p + 1]) - wy * (v[p - m] + v[p + m])
                                - wz * (v[p - m * m] + v[p + m * m]);
                        out[p] = av;
                        sum += v[p] * av;
                    }
                }
                planeSums[k] = sum;
            }
        });
        return inPlaneOrder(planeSums);
    }

    /**
     * One Gauss-Seidel half sweep over the nodes of one colour ({@code (i + j + k) mod 2}):
     * {@code e_P = (b_P + sum_a w_a (e_{P+e_a} + e_{P-e_a})) / d_P}. A node's neighbours all have
     * the other colour, so the nodes of a colour are independent.
     */
    void smooth(WorkerPool pool, double[] b, double[] e, int colour) {
        forPlanes(pool, (from, to) -> {
            double[] diagonal = new double[m];
            for (int k = from; k < to; k++) {
                for (int j = 1; j < m - 1; j++) {
                    lineDiagonal(j, k, diagonal);
                    int base = m * (j + m * k);
                    int first = 1 + ((1 + j + k + colour) & 1);
                    for (int i = first; i < m - 1; i += 2) {
                        int p = base + i;
                        if (kinds[p] != LaplaceSystem.FREE) {
                            continue;
                        }
                        e[p] = (b[p] + wx * (e[p - 1] + e[p + 1]) + wy * (e[p - m] + e[p + m])
                                + wz * (e[p - m * m] + e[p + m * m])) / diagonal[i];
                    }
                }
            }
        });
    }

    /** The residual {@code b - A e} of plane k into {@code out} (m^2, index i + m j), 0 at non-free nodes. */
    void residualPlane(double[] b, double[] e, int k, double[] out, double[] diagonal) {
        Arrays.fill(out, 0.0);
        if (k < 1 || k > m - 2) {
            return;
        }
        for (int j = 1; j < m - 1; j++) {
            lineDiagonal(j, k, diagonal);
            int base = m * (j + m * k);
            for (int i = 1; i < m - 1; i++) {
                int p = base + i;
                if (kinds[p] == LaplaceSystem.FREE) {
                    out[i + m * j] = b[p] - (diagonal[i] * e[p] - wx * (e[p - 1] + e[p + 1]) - wy * (e[p - m] + e[p + m])
                            - wz * (e[p - m * m] + e[p + m * m]));
                }
            }
        }
    }

    /** {@code z = r / d} at free nodes (the Jacobi preconditioner). */
    void divideByDiagonal(WorkerPool pool, double[] r, double[] z) {
        forPlanes(pool, (from, to) -> {
            double[] diagonal = new double[m];
            for (int k = from; k < to; k++) {
                for (int j = 1; j < m - 1; j++) {
                    lineDiagonal(j, k, diagonal);
                    int base = m * (j + m * k);
                    for (int i = 1; i < m - 1; i++) {
                        int p = base + i;
                        if (kinds[p] == LaplaceSystem.FREE) {
                            z[p] = r[p] / diagonal[i];
                        }
                    }
                }
            }
        });
    }

    /** Sets every entry to 0 (free or not). */
    void zero(WorkerPool pool, double[] v) {
        pool.forRange(m, GRAIN, (from, to) -> Arrays.fill(v, from * m * m, to * m * m, 0.0));
    }

    /** The sum of per-plane partial sums, in plane order. */
    static double inPlaneOrder(double[] planeSums) {
        double total = 0;
        for (double s : planeSums) {
            total += s;
        }
        return total;
    }

    private static double sq(double x) {
        return x * x;
    }
}
