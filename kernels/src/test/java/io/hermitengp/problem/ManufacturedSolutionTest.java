package io.hermitengp.problem;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.shape.MeshDomain;
import io.hermitengp.shape.MeshPoissonProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For every problem: the exact solution's gradient matches central differences of its value; its
 * jet (value, gradient, and the Laplacian over the problem's axes by differences of the exact
 * gradient) makes every loss term's residual vanish at that term's points; and each residual's
 * stated partials match central differences of the residual with respect to the jet.
 */
class ManufacturedSolutionTest {
    private static final double H = 1e-5;

    static Stream<Problem> problems() {
        return Stream.of(
                new HelmholtzProblem(Box.cube(2, -1, 1), 3, 1),
                new HelmholtzProblem(Box.cube(3, -1, 1), 2, 1.5),
                new HelmholtzProblem(HelmholtzProblem.defaultDomain(2), 10, 1),
                new HelmholtzProblem(HelmholtzProblem.defaultDomain(3), 3, 1),
                new ConvectionProblem(30, ConvectionProblem.standardDomain()),
                new ConvectionProblem(-2.5, ConvectionProblem.standardDomain()),
                new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain()),
                new TaylorGreenProblem(0.3, TaylorGreenProblem.standardDomain()),
                new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain(),
                        TaylorGreenProblem.SpatialBoundary.PERIODIC),
                // the benchmark's continuity weight: the exact field still zeroes every component
                new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain(),
                        TaylorGreenProblem.SpatialBoundary.PERIODIC, 10.0),
                new FlowMixingProblem(0.385, FlowMixingProblem.standardDomain()),
                new MeshPoissonProblem(new MeshDomain(ShapeMeshes.torus(1.0, 0.4, 32, 16), Box.cube(3, -1, 1), 0.1),
                        1.5, 3, 2000, 12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void exactSolutionSatisfiesEveryTermAndThePartialsAreRight(Problem problem) {
        int d = problem.dims();
        int m = problem.outputs();
        Channels channels = problem.channels();
        int jetSize = channels.count() * m;
        SplittableRandom random = new SplittableRandom(11);
        for (LossTerm term : problem.terms()) {
            int n = 60;
            double[] points = new double[n * d];
            term.sampler().sample(random, n, points, 0);
            int components = term.residual().components();
            double[] r = new double[components];
            double[] drdu = new double[components * jetSize];
            for (int p = 0; p < n; p++) {
                double[] x = Arrays.copyOfRange(points, p * d, p * d + d);
                double[] jet = exactJet(problem, x);
                term.residual().evaluate(x, 0, null, 0, jet, 0, r, drdu);
                double scale = 1;
                for (double v : jet) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int c = 0; c < components; c++) {
                    assertEquals(0.0, r[c], 1e-6 * scale, problem.type() + " term " + term.name() + " component " + c
                            + " at " + Arrays.toString(x));
                }
                ResidualPartials.assertMatchDifferences(term.residual(), problem.type() + " term " + term.name(), x,
                        null, jet, jetSize, H, 1e-6);
            }
        }
    }

    /** The jet (C, outputs) of the exact solution at x. */
    private static double[] exactJet(Problem problem, double[] x) {
        int d = problem.dims();
        int m = problem.outputs();
        Channels channels = problem.channels();
        double[] jet = new double[channels.count() * m];
        double[] exact = new double[(1 + d) * m];
        problem.exact(x, 0, exact);
        System.arraycopy(exact, 0, jet, 0, (1 + d) * m);
        double[] plus = new double[(1 + d) * m];
        double[] minus = new double[(1 + d) * m];
        for (int j = 0; j < d; j++) {
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[j] += H;
            xm[j] -= H;
            problem.exact(xp, 0, plus);
            problem.exact(xm, 0, minus);
            for (int o = 0; o < m; o++) {
                double fd = (plus[o] - minus[o]) / (2 * H);
                double stated = exact[(1 + j) * m + o];
                assertEquals(fd, stated, 1e-6 * (1 + Math.abs(stated)),
                        problem.type() + " exact d/dx" + j + " of output " + o + " at " + Arrays.toString(x));
                if (channels.inLaplacian(j)) {
                    jet[channels.laplacian() * m + o] += (plus[(1 + j) * m + o] - minus[(1 + j) * m + o]) / (2 * H);
                }
            }
        }
        return jet;
    }
}
