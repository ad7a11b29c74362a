package io.hermitengp.fd;

import io.hermitengp.backend.WorkerPool;

import java.util.ArrayList;
import java.util.List;

/**
 * A geometric multigrid V-cycle used as the preconditioner of conjugate gradients: {@code z = B r}
 * with B symmetric positive definite, so CG stays CG.
 *
 * <p>Levels: the finest is the system's operator; each coarser level doubles the spacing (node C
 * on node 2C), keeps a node free when the finer node under it is free, and rediscretizes the
 * 7-point operator there (the obstacle as a staircase; the box's upper face, when it falls inside
 * a coarse cell, by the short-arm rule of {@link StencilLevel}). Coarsening stops at 5 nodes per
 * axis or fewer.
 *
 * <p>One V-cycle on level l with right-hand side b, from e = 0:
 * <pre>
 *   2 x (red half sweep, black half sweep)                      pre-smoothing, Gauss-Seidel
 *   b_c = (1/8) P^T (b - A e)                                   full weighting
 *   e_c = V-cycle on level l + 1 with b_c
 *   e  += P e_c                                                 trilinear interpolation
 *   2 x (black half sweep, red half sweep)                      post-smoothing, the adjoint order
 * </pre>
 * P interpolates trilinearly from coarse free nodes to fine free nodes (weight 1/2 per axis on
 * which the fine node lies between two coarse ones). With {@code R = P^T / 8} (8 = 2^3: the
 * Galerkin product {@code P^T A_h P} is about {@code 8 A_2h}) and post-smoothing the adjoint of
 * pre-smoothing, the cycle is a symmetric operator; convergent smoothing and an SPD coarse operator
 * make it positive definite. On the coarsest level the cycle is 20 red-black sweeps followed by 20
 * black-red sweeps, symmetric too.
 *
 * <p>Memory: the right-hand side and correction of every coarser level (about 2/7 of one fine
 * vector) and their masks; the fine level works in the caller's vectors. The fine residual is
 * never stored: the restriction recomputes it three planes at a time.
 */
final class MultigridPreconditioner {
    private static final int SMOOTHING_SWEEPS = 2;
    private static final int COARSEST_SWEEPS = 20;
    private static final int COARSEST_NODES_PER_AXIS = 5;

    private final List<StencilLevel> levels = new ArrayList<>();
    private final List<double[]> rhs = new ArrayList<>();         // per level >= 1: b_l
    private final List<double[]> correction = new ArrayList<>();  // per level >= 1: e_l

    MultigridPreconditioner(LaplaceSystem system) {
        StencilLevel level = StencilLevel.finest(system);
        levels.add(level);
        rhs.add(null);
        correction.add(null);
        int spacing = 1;
        while (level.m > COARSEST_NODES_PER_AXIS) {
            spacing *= 2;
            level = level.coarser(system.lattice().n(), spacing);
            levels.add(level);
            rhs.add(new double[level.nodes()]);
            correction.add(new double[level.nodes()]);
        }
    }

    int levels() {
        return levels.size();
    }

    /** {@code z = B r} on the finest level; z is overwritten. */
    void apply(WorkerPool pool, double[] r, double[] z) {
        cycle(pool, 0, r, z);
    }

    private void cycle(WorkerPool pool, int l, double[] b, double[] e) {
        StencilLevel level = levels.get(l);
        level.zero(pool, e);
        if (l == levels.size() - 1) {
            for (int s = 0; s < COARSEST_SWEEPS; s++) {
                level.smooth(pool, b, e, 0);
                level.smooth(pool, b, e, 1);
            }
            for (int s = 0; s < COARSEST_SWEEPS; s++) {
                level.smooth(pool, b, e, 1);
                level.smooth(pool, b, e, 0);
            }
            return;
        }
        for (int s = 0; s < SMOOTHING_SWEEPS; s++) {
            level.smooth(pool, b, e, 0);
            level.smooth(pool, b, e, 1);
        }
        StencilLevel coarse = levels.get(l + 1);
        double[] coarseRhs = rhs.get(l + 1);
        double[] coarseCorrection = correction.get(l + 1);
        restrictResidual(pool, level, b, e, coarse, coarseRhs);
        cycle(pool, l + 1, coarseRhs, coarseCorrection);
        prolongAdd(pool, coarse, coarseCorrection, level, e);
        for (int s = 0; s < SMOOTHING_SWEEPS; s++) {
            level.smooth(pool, b, e, 1);
            level.smooth(pool, b, e, 0);
        }
    }

    /**
     * {@code b_c[C] = (1/8) sum_{d in {-1,0,1}^3} prod_a omega(d_a) res[2C + d]}, omega(0) = 1,
     * omega(+-1) = 1/2, at free coarse nodes, res = b - A e on the fine level (0 at non-free fine
     * nodes). Each task computes the fine residual of the three planes under its coarse plane,
     * keeping the shared one for the next.
     */
    private static void restrictResidual(WorkerPool pool, StencilLevel fine, double[] b, double[] e,
                                         StencilLevel coarse, double[] bc) {
        int m = fine.m;
        int mc = coarse.m;
        coarse.forPlanes(pool, (from, to) -> {
            double[][] planes = new double[3][m * m];
            int[] planeIndex = {-1, -1, -1};
            double[] diagonal = new double[m];
            for (int kc = from; kc < to; kc++) {
                double[][] below = new double[3][];
                for (int d = -1; d <= 1; d++) {
                    int kf = 2 * kc + d;
                    int slot = Math.floorMod(kf, 3);
                    if (planeIndex[slot] != kf) {
                        fine.residualPlane(b, e, kf, planes[slot], diagonal);
                        planeIndex[slot] = kf;
                    }
                    below[d + 1] = planes[slot];
                }
                for (int jc = 1; jc < mc - 1; jc++) {
                    for (int ic = 1; ic < mc - 1; ic++) {
                        int pc = ic + mc * (jc + mc * kc);
                        if (!coarse.isFree(pc)) {
                            continue;
                        }
                        double sum = 0;
                        for (int dz = 0; dz < 3; dz++) {
                            double[] plane = below[dz];
                            double wz = dz == 1 ? 1.0 : 0.5;
                            for (int dy = 0; dy < 3; dy++) {
                                double wzy = wz * (dy == 1 ? 1.0 : 0.5);
                                int row = m * (2 * jc + dy - 1) + 2 * ic;
                                sum += wzy * (0.5 * plane[row - 1] + plane[row] + 0.5 * plane[row + 1]);
                            }
                        }
                        bc[pc] = sum / 8;
                    }
                }
            }
        });
    }

    /** {@code e += P e_c} at free fine nodes: trilinear interpolation from the coarse nodes around each. */
    private static void prolongAdd(WorkerPool pool, StencilLevel coarse, double[] ec, StencilLevel fine, double[] e) {
        int m = fine.m;
        int mc = coarse.m;
        fine.forPlanes(pool, (from, to) -> {
            for (int k = from; k < to; k++) {
                int kc = k >> 1;
                boolean oddK = (k & 1) == 1;
                for (int j = 1; j < m - 1; j++) {
                    int jc = j >> 1;
                    boolean oddJ = (j & 1) == 1;
                    for (int i = 1; i < m - 1; i++) {
                        int p = i + m * (j + m * k);
                        if (!fine.isFree(p)) {
                            continue;
                        }
                        int ic = i >> 1;
                        boolean oddI = (i & 1) == 1;
                        double sum = 0;
                        for (int dz = 0; dz <= (oddK ? 1 : 0); dz++) {
                            for (int dy = 0; dy <= (oddJ ? 1 : 0); dy++) {
                                int row = mc * ((jc + dy) + mc * (kc + dz)) + ic;
                                double line = oddI ? 0.5 * (ec[row] + ec[row + 1]) : ec[row];
                                sum += (oddK ? 0.5 : 1.0) * (oddJ ? 0.5 : 1.0) * line;
                            }
                        }
                        e[p] += sum;
                    }
                }
            }
        });
    }
}
