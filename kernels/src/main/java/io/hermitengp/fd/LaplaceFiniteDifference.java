package io.hermitengp.fd;

import io.hermitengp.backend.WorkerPool;

import java.util.Arrays;

/**
 * Solves an assembled {@link LaplaceSystem} {@code A u = b} by preconditioned conjugate gradients
 * in double precision:
 *
 * <pre>
 *   u = 0, r = b, z = M r, p = z
 *   repeat:  q = A p;  alpha = (r . z) / (p . q);  u += alpha p;  r -= alpha q
 *            stop when |r| <= tolerance |b|
 *            z = M r;  beta = (r . z)_new / (r . z)_old;  p = z + beta p
 * </pre>
 *
 * with M the {@link Preconditioner#MULTIGRID multigrid V-cycle} (a few tens of iterations, nearly
 * independent of the lattice size) or the {@link Preconditioner#JACOBI diagonal} (iterations
 * growing with n). The stopping test uses the recursively updated residual; the residual reported
 * with the solution is recomputed as {@code |b - A u| / |b|}.
 *
 * <p>Deterministic: every kernel computes each node from values no other task writes at the same
 * time, and every dot product is summed per lattice plane, then over planes in plane order; the
 * planes are cut into the same tasks whatever the thread count. The result is therefore the same
 * bits on 1 thread or 16.
 *
 * <p>Memory: four vectors of n^3 doubles (u, r, p, and one shared by z and q: z is consumed into
 * p before q is formed), the system's byte per node, and for multigrid the coarse levels'
 * right-hand sides, corrections and kinds (17/7 bytes per fine node): about 36 n^3 bytes in all,
 * 600 MB at n = 256, where the JVM needs a heap of at least 800 MB (each vector is one 134 MB
 * array, which the collector places in contiguous regions). The returned solution reuses u's
 * array.
 */
public final class LaplaceFiniteDifference {
    /**
     * Version of the discretization and solver. It enters the key of cached references, so a
     * change that alters the bits of a solution must increase it.
     */
    public static final int VERSION = 1;

    private LaplaceFiniteDifference() {
    }

    /** The preconditioner M of conjugate gradients. */
    public enum Preconditioner {
        /** {@code M = diag(A)^-1}. */
        JACOBI("jacobi"),
        /** One symmetric V-cycle of {@link MultigridPreconditioner}. */
        MULTIGRID("multigrid");

        private final String configName;

        Preconditioner(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static String[] configNames() {
            return Arrays.stream(values()).map(Preconditioner::configName).toArray(String[]::new);
        }

        public static Preconditioner fromConfigName(String name) {
            for (Preconditioner p : values()) {
                if (p.configName.equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown preconditioner '" + name + "'; allowed: "
                    + String.join(", ", configNames()));
        }
    }

    /**
     * @param tolerance     stop when {@code |r| <= tolerance |b|}, in (0, 1)
     * @param maxIterations iteration cap, at least 1
     */
    public record Settings(double tolerance, int maxIterations, Preconditioner preconditioner) {
        public Settings {
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("the CG tolerance must be in (0, 1), got " + tolerance);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("the CG iteration cap must be at least 1, got " + maxIterations);
            }
            if (preconditioner == null) {
                throw new IllegalArgumentException("a preconditioner is required: " + String.join(", ",
                        Preconditioner.configNames()));
            }
        }
    }

    /** Progress of a solve, called after every iteration on the solving thread. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (iteration, relativeResidual) -> {
        };

        void iteration(int iteration, double relativeResidual);
    }

    /**
     * Solves the system. A solution that did not reach the tolerance within the cap is returned
     * with {@code converged = false}; the caller decides whether that is an error.
     *
     * @param threads threads of the kernels; the result does not depend on them
     */
    public static LaplaceSolution solve(LaplaceSystem system, Settings settings, int threads, Listener listener) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        StencilLevel level = StencilLevel.finest(system);
        int size = level.nodes();
        double[] u = new double[size];
        double[] r = new double[size];
        double[] p = new double[size];
        double[] zq = new double[size];
        try (WorkerPool pool = new WorkerPool(threads)) {
            MultigridPreconditioner multigrid = settings.preconditioner() == Preconditioner.MULTIGRID
                    ? new MultigridPreconditioner(system) : null;
            writeRightHandSide(system, r);
            double bNorm = Math.sqrt(dot(pool, level, r, r));
            if (bNorm == 0) {
                // zero boundary data: the solution is zero
                return finish(system, u, 0, 0.0, true);
            }
            precondition(pool, level, multigrid, r, zq);
            double rz = dot(pool, level, r, zq);
            System.arraycopy(zq, 0, p, 0, size);
            int iteration = 0;
            boolean converged = false;
            while (iteration < settings.maxIterations()) {
                iteration++;
                double pq = level.apply(pool, p, zq);
                double alpha = rz / pq;
                double rr = update(pool, level, alpha, p, zq, u, r);
                double relative = Math.sqrt(rr) / bNorm;
                listener.iteration(iteration, relative);
                if (relative <= settings.tolerance()) {
                    converged = true;
                    break;
                }
                precondition(pool, level, multigrid, r, zq);
                double rzNext = dot(pool, level, r, zq);
                double beta = rzNext / rz;
                rz = rzNext;
                combine(pool, level, zq, beta, p);
            }
            // the reported residual, recomputed from u: b - A u into r
            writeRightHandSide(system, r);
            level.apply(pool, u, zq);
            double trueResidual = Math.sqrt(difference(pool, level, r, zq)) / bNorm;
            return finish(system, u, iteration, trueResidual, converged);
        }
    }

    /** Writes b (nonzero only at boundary-adjacent nodes) over the whole lattice. */
    private static void writeRightHandSide(LaplaceSystem system, double[] b) {
        Arrays.fill(b, 0.0);
        int n = system.lattice().n();
        int[] lineStart = system.lineStart();
        int[] adjacentI = system.adjacentI();
        double[] rhs = system.adjacentRhs();
        for (int line = 0; line < n * n; line++) {
            for (int e = lineStart[line]; e < lineStart[line + 1]; e++) {
                b[adjacentI[e] + n * line] = rhs[e];
            }
        }
    }

    private static void precondition(WorkerPool pool, StencilLevel level, MultigridPreconditioner multigrid, double[] r,
                                     double[] z) {
        if (multigrid != null) {
            multigrid.apply(pool, r, z);
        } else {
            level.divideByDiagonal(pool, r, z);
        }
    }

    /** {@code a . b} over free nodes, summed per plane and then in plane order. */
    private static double dot(WorkerPool pool, StencilLevel level, double[] a, double[] b) {
        int m = level.m;
        double[] planeSums = new double[m];
        level.forPlanes(pool, (from, to) -> {
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int p = m * m * k; p < m * m * (k + 1); p++) {
                    sum += a[p] * b[p];
                }
                planeSums[k] = sum;
            }
        });
        return StencilLevel.inPlaneOrder(planeSums);
    }

    /** {@code |a - b|^2} over free nodes, a and b holding 0 elsewhere. */
    private static double difference(WorkerPool pool, StencilLevel level, double[] a, double[] b) {
        int m = level.m;
        double[] planeSums = new double[m];
        level.forPlanes(pool, (from, to) -> {
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int p = m * m * k; p < m * m * (k + 1); p++) {
                    double d = a[p] - b[p];
                    sum += d * d;
                }
                planeSums[k] = sum;
            }
        });
        return StencilLevel.inPlaneOrder(planeSums);
    }

    /** {@code u += alpha p; r -= alpha q}; returns {@code r . r}. */
    private static double update(WorkerPool pool, StencilLevel level, double alpha, double[] p, double[] q, double[] u,
                                 double[] r) {
        int m = level.m;
        double[] planeSums = new double[m];
        level.forPlanes(pool, (from, to) -> {
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int x = m * m * k; x < m * m * (k + 1); x++) {
                    u[x] += alpha * p[x];
                    double rx = r[x] - alpha * q[x];
                    r[x] = rx;
                    sum += rx * rx;
                }
                planeSums[k] = sum;
            }
        });
        return StencilLevel.inPlaneOrder(planeSums);
    }

    /** {@code p = z + beta p}. */
    private static void combine(WorkerPool pool, StencilLevel level, double[] z, double beta, double[] p) {
        int m = level.m;
        level.forPlanes(pool, (from, to) -> {
            for (int x = m * m * from; x < m * m * to; x++) {
                p[x] = z[x] + beta * p[x];
            }
        });
    }

    /** The solution in u's array, NaN at boundary nodes. */
    private static LaplaceSolution finish(LaplaceSystem system, double[] u, int iterations, double residual,
                                          boolean converged) {
        for (int x = 0; x < u.length; x++) {
            if (!system.isFree(x)) {
                u[x] = Double.NaN;
            }
        }
        return new LaplaceSolution(system.lattice(), u, iterations, residual, converged);
    }
}
