package io.hermitengp.problem;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Manufactured solution: the exact solution's derivatives make every residual vanish. */
class HelmholtzProblemTest {
    private static final double H = 1e-4;

    @ParameterizedTest
    @CsvSource({"2, 10, 1", "2, 1, 3", "3, 3, 1"})
    void exactSolutionSatisfiesTheEquationAndTheBoundaryCondition(int dims, double a, double k) {
        HelmholtzProblem problem = new HelmholtzProblem(Box.cube(dims, -1, 1), a, k);
        Channels channels = problem.channels();
        LossTerm residual = problem.terms().get(0);
        LossTerm boundary = problem.terms().get(1);
        assertEquals("residual", residual.name());
        assertEquals("boundary", boundary.name());
        SplittableRandom random = new SplittableRandom(3);
        double[] points = new double[200 * dims];
        residual.sampler().sample(random, 100, points, 0);
        boundary.sampler().sample(random, 100, points, 100 * dims);
        double[] exact = new double[1 + dims];
        double[] r = new double[1];
        double[] drdu = new double[channels.count()];
        double scale = dims * a * a * Math.PI * Math.PI;
        for (int p = 0; p < 200; p++) {
            double[] jet = jetByFiniteDifferences(problem, points, p * dims, exact);
            if (p < 100) {
                residual.residual().evaluate(points, p * dims, null, 0, jet, 0, r, drdu);
                assertEquals(0.0, r[0], 1e-5 * scale, "interior residual at point " + p);
                assertEquals(k * k, drdu[Channels.VALUE], 0.0);
                assertEquals(1.0, drdu[channels.laplacian()], 0.0);
            } else {
                boundary.residual().evaluate(points, p * dims, null, 0, jet, 0, r, drdu);
                assertEquals(0.0, r[0], 1e-12, "boundary residual at point " + p);
            }
        }
    }

    /**
     * The exact jet (value, gradient, Laplacian) at a point; the gradient is checked against
     * central differences of the value, and the Laplacian is the central difference of the
     * exact gradient, independent of the problem's own formula for the source.
     */
    private static double[] jetByFiniteDifferences(HelmholtzProblem problem, double[] points, int offset, double[] exact) {
        int d = problem.dims();
        double[] jet = new double[problem.channels().count()];
        problem.exact(points, offset, exact);
        System.arraycopy(exact, 0, jet, 0, 1 + d);
        double laplacian = 0;
        double[] shifted = new double[1 + d];
        for (int j = 0; j < d; j++) {
            double[] x = java.util.Arrays.copyOfRange(points, offset, offset + d);
            x[j] += H;
            problem.exact(x, 0, shifted);
            double plusValue = shifted[0];
            double plusSlope = shifted[1 + j];
            x[j] -= 2 * H;
            problem.exact(x, 0, shifted);
            assertEquals((plusValue - shifted[0]) / (2 * H), exact[1 + j], 1e-5 * (1 + Math.abs(exact[1 + j])) * problem.a() * problem.a(),
                    "exact gradient along axis " + j);
            laplacian += (plusSlope - shifted[1 + j]) / (2 * H);
        }
        jet[problem.channels().laplacian()] = laplacian;
        return jet;
    }
}
