package io.hermitengp.fd;

import io.hermitengp.fd.LaplaceFiniteDifference.Preconditioner;
import io.hermitengp.fd.LaplaceFiniteDifference.Settings;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The finite-difference Laplace solver on harmonic functions with known values: exact for
 * quadratics, second order around a sphere with Shortley-Weller arms, first order as a staircase,
 * the same bits for any thread count, and both preconditioners agreeing.
 */
class LaplaceFiniteDifferenceTest {
    private static final Box UNIT = Box.cube(3, 0, 1);
    private static final double[] CENTRE = {0.5, 0.5, 0.5};
    private static final double RADIUS = 0.3;
    private static final SphereObstacle SPHERE = new SphereObstacle(CENTRE, RADIUS);
    private static final Settings MULTIGRID = new Settings(1e-12, 200, Preconditioner.MULTIGRID);
    private static final Settings JACOBI = new Settings(1e-12, 5000, Preconditioner.JACOBI);

    /** {@code R / |x - c|}: harmonic off the centre, 1 on the sphere. */
    private static double point(double x, double y, double z) {
        double dx = x - CENTRE[0], dy = y - CENTRE[1], dz = z - CENTRE[2];
        return RADIUS / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** {@code x^2 + 2 y^2 - 3 z^2 + xy - yz}: harmonic, and the 7-point stencil is exact on it. */
    private static double quadratic(double x, double y, double z) {
        return x * x + 2 * y * y - 3 * z * z + x * y - y * z;
    }

    /** Largest and mean |u - exact| over the free nodes. */
    private static double[] errors(LaplaceSolution solution, DirichletData exact) {
        Lattice lattice = solution.lattice();
        double[] x = new double[3];
        double max = 0;
        double sum = 0;
        int count = 0;
        for (int p = 0; p < lattice.nodes(); p++) {
            if (solution.isFree(p)) {
                lattice.point(p, x, 0);
                double e = Math.abs(solution.values()[p] - exact.at(x[0], x[1], x[2]));
                max = Math.max(max, e);
                sum += e;
                count++;
            }
        }
        return new double[]{max, sum / count};
    }

    private static LaplaceSolution solve(int n, LatticeObstacle obstacle, BoundaryTreatment treatment,
                                         DirichletData obstacleData, DirichletData faceData, Settings settings,
                                         int threads) {
        LaplaceSystem system = LaplaceSystem.assemble(new Lattice(UNIT, n), obstacle, treatment, obstacleData, faceData,
                threads);
        LaplaceSolution solution = LaplaceFiniteDifference.solve(system, settings, threads,
                LaplaceFiniteDifference.Listener.NONE);
        assertTrue(solution.converged(), "converged within " + settings.maxIterations() + ": residual "
                + solution.relativeResidual());
        return solution;
    }

    @Test
    void aQuadraticHarmonicIsReproducedOnABoxWithUnequalSpacings() {
        Box box = new Box(new double[]{0, -1, 0.5}, new double[]{1, 1, 2});
        for (Settings settings : List.of(MULTIGRID, JACOBI)) {
            LaplaceSystem system = LaplaceSystem.assemble(new Lattice(box, 21), null, BoundaryTreatment.STAIRCASE,
                    (x, y, z) -> Double.NaN, LaplaceFiniteDifferenceTest::quadratic, 2);
            LaplaceSolution solution = LaplaceFiniteDifference.solve(system, settings, 2,
                    LaplaceFiniteDifference.Listener.NONE);
            assertTrue(solution.converged());
            assertTrue(solution.relativeResidual() <= 1e-11, "recomputed residual " + solution.relativeResidual());
            assertEquals(19 * 19 * 19, solution.freeCount());
            double[] e = errors(solution, LaplaceFiniteDifferenceTest::quadratic);
            assertTrue(e[0] < 1e-9, settings.preconditioner() + ": largest error " + e[0]);
        }
    }

    @Test
    void aQuadraticHarmonicIsReproducedAroundAStaircaseSphereHoldingItsValues() {
        // staircase with the function's own values at the inside nodes: every stencil sees exact values
        LaplaceSolution solution = solve(25, SPHERE, BoundaryTreatment.STAIRCASE, LaplaceFiniteDifferenceTest::quadratic,
                LaplaceFiniteDifferenceTest::quadratic, MULTIGRID, 2);
        assertTrue(solution.freeCount() < 23 * 23 * 23 - 1000, "the sphere holds nodes: " + solution.freeCount()
                + " unknowns of " + 23 * 23 * 23);
        double[] e = errors(solution, LaplaceFiniteDifferenceTest::quadratic);
        assertTrue(e[0] < 1e-9, "largest error " + e[0]);
    }

    /** Mean errors at n = 17, 33, 65 (h = 1/16, 1/32, 1/64), and the largest at 65. */
    private static double[] meanErrorsAndLastMax(BoundaryTreatment treatment, DirichletData obstacleData) {
        double[] out = new double[4];
        int[] sizes = {17, 33, 65};
        for (int s = 0; s < sizes.length; s++) {
            LaplaceSolution solution = solve(sizes[s], SPHERE, treatment, obstacleData,
                    LaplaceFiniteDifferenceTest::point, MULTIGRID, 2);
            double[] e = errors(solution, LaplaceFiniteDifferenceTest::point);
            out[s] = e[1];
            out[3] = e[0];
        }
        return out;
    }

    @Test
    void shortleyWellerConvergesAtSecondOrderAroundASphere() {
        // measured: mean 1.15e-3, 2.28e-4, 5.24e-5; largest 4.35e-4 at n = 65
        double[] e = meanErrorsAndLastMax(BoundaryTreatment.SHORTLEY_WELLER, LaplaceFiniteDifferenceTest::point);
        for (int s = 0; s < 2; s++) {
            assertTrue(e[s] / e[s + 1] > 3.2, "halving h divides the mean error by about 4: " + e[s] + " -> " + e[s + 1]);
        }
        double order = Math.log(e[0] / e[2]) / Math.log(4);
        assertTrue(order > 1.8, "observed order " + order);
        assertTrue(e[2] < 1e-4 && e[3] < 1e-3, "at h = 1/64: mean " + e[2] + ", largest " + e[3]
                + " against values 0.42..1");
    }

    @Test
    void aStaircaseHoldingTheSurfaceValueConvergesAtFirstOrder() {
        // the benchmark's setting: the inside nodes hold u = 1, the surface moves to the lattice
        double[] staircase = meanErrorsAndLastMax(BoundaryTreatment.STAIRCASE, DirichletData.constant(1));
        double order = Math.log(staircase[0] / staircase[2]) / Math.log(4);
        assertTrue(order > 0.7 && order < 1.5, "observed order " + order + " from mean errors " + staircase[0] + ", "
                + staircase[2]);
        double[] shortleyWeller = meanErrorsAndLastMax(BoundaryTreatment.SHORTLEY_WELLER, DirichletData.constant(1));
        assertTrue(shortleyWeller[2] * 20 < staircase[2], "at h = 1/64 the surface's true position pays: mean error "
                + shortleyWeller[2] + " against the staircase's " + staircase[2]);
    }

    @Test
    void theSolutionIsTheSameBitsForAnyThreadCount() {
        for (Settings settings : List.of(MULTIGRID, new Settings(1e-10, 5000, Preconditioner.JACOBI))) {
            LaplaceSolution one = solve(30, SPHERE, BoundaryTreatment.SHORTLEY_WELLER, LaplaceFiniteDifferenceTest::point,
                    LaplaceFiniteDifferenceTest::point, settings, 1);
            for (int threads : new int[]{2, 3}) {
                LaplaceSolution more = solve(30, SPHERE, BoundaryTreatment.SHORTLEY_WELLER,
                        LaplaceFiniteDifferenceTest::point, LaplaceFiniteDifferenceTest::point, settings, threads);
                assertEquals(one.iterations(), more.iterations(), settings.preconditioner() + " on " + threads);
                assertArrayEquals(one.values(), more.values(), settings.preconditioner() + " on " + threads + " threads");
            }
        }
    }

    @Test
    void bothPreconditionersReachTheSameSolutionMultigridInFarFewerIterations() {
        LaplaceSolution multigrid = solve(41, SPHERE, BoundaryTreatment.SHORTLEY_WELLER, DirichletData.constant(1),
                DirichletData.constant(0), MULTIGRID, 2);
        LaplaceSolution jacobi = solve(41, SPHERE, BoundaryTreatment.SHORTLEY_WELLER, DirichletData.constant(1),
                DirichletData.constant(0), JACOBI, 2);
        double largest = 0;
        for (int p = 0; p < multigrid.values().length; p++) {
            assertEquals(multigrid.isFree(p), jacobi.isFree(p));
            if (multigrid.isFree(p)) {
                largest = Math.max(largest, Math.abs(multigrid.values()[p] - jacobi.values()[p]));
            }
        }
        assertTrue(largest < 1e-9, "largest difference " + largest);
        assertTrue(multigrid.iterations() * 5 < jacobi.iterations(), "multigrid " + multigrid.iterations()
                + " iterations, Jacobi " + jacobi.iterations());
        assertTrue(multigrid.iterations() <= 15, "multigrid iterations " + multigrid.iterations());
    }

    @Test
    void progressIsReportedEveryIterationAndTheCapStopsAnUnfinishedSolve() {
        LaplaceSystem system = LaplaceSystem.assemble(new Lattice(UNIT, 33), SPHERE, BoundaryTreatment.SHORTLEY_WELLER,
                DirichletData.constant(1), DirichletData.constant(0), 2);
        List<double[]> reports = new ArrayList<>();
        LaplaceSolution solution = LaplaceFiniteDifference.solve(system, MULTIGRID, 2,
                (iteration, residual) -> reports.add(new double[]{iteration, residual}));
        assertEquals(solution.iterations(), reports.size());
        for (int k = 0; k < reports.size(); k++) {
            assertEquals(k + 1, (int) reports.get(k)[0]);
        }
        assertTrue(reports.get(reports.size() - 1)[1] <= 1e-12);
        assertTrue(reports.get(0)[1] > reports.get(reports.size() - 1)[1] * 1e6, "the residual falls");

        LaplaceSolution capped = LaplaceFiniteDifference.solve(system, new Settings(1e-12, 2, Preconditioner.JACOBI), 2,
                LaplaceFiniteDifference.Listener.NONE);
        assertFalse(capped.converged());
        assertEquals(2, capped.iterations());
        assertTrue(capped.relativeResidual() > 1e-12, "unfinished: " + capped.relativeResidual());
    }

    @Test
    void zeroBoundaryDataGivesZeroWithoutIterating() {
        LaplaceSolution solution = solve(9, SPHERE, BoundaryTreatment.SHORTLEY_WELLER, DirichletData.constant(0),
                DirichletData.constant(0), MULTIGRID, 1);
        assertEquals(0, solution.iterations());
        for (int p = 0; p < solution.values().length; p++) {
            if (solution.isFree(p)) {
                assertEquals(0.0, solution.values()[p]);
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new Lattice(UNIT, 2));
        assertTrue(small.getMessage().contains("3..1290") && small.getMessage().contains("got 2"), small.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> new Lattice(Box.cube(2, 0, 1), 9));
        assertTrue(flat.getMessage().contains("3D"), flat.getMessage());
        IllegalArgumentException tolerance = assertThrows(IllegalArgumentException.class,
                () -> new Settings(0, 10, Preconditioner.JACOBI));
        assertTrue(tolerance.getMessage().contains("tolerance"), tolerance.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> new Settings(1e-8, 0, Preconditioner.JACOBI));
        assertTrue(cap.getMessage().contains("iteration cap"), cap.getMessage());
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> LaplaceSystem.assemble(new Lattice(UNIT, 9), new SphereObstacle(CENTRE, 2.0),
                        BoundaryTreatment.STAIRCASE, DirichletData.constant(1), DirichletData.constant(0), 1));
        assertTrue(full.getMessage().contains("no unknown"), full.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> BoundaryTreatment.fromConfigName("stairs"));
        assertTrue(name.getMessage().contains("staircase, shortley_weller"), name.getMessage());
    }
}
