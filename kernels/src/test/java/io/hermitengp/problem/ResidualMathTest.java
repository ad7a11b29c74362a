package io.hermitengp.problem;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each residual form's stated partials against central differences of its value in double, at
 * random jets, and its values against the equation written out by hand.
 */
class ResidualMathTest {
    private static final double H = 1e-6;

    private static void assertPartialsMatchDifferences(StandardResidual residual, double[] x, double[] attributes,
                                                       double[] u) {
        ResidualPartials.assertMatchDifferences(residual, residual.toString(), x, attributes, u, residual.jetSize(), H,
                1e-7);
    }

    private static double[] randomJet(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = new double[size];
        for (int j = 0; j < size; j++) {
            u[j] = rng.nextDouble(-1.5, 1.5);
        }
        return u;
    }

    @Test
    void linearRowsAreTheirCoefficientsTimesTheJetMinusTheData() {
        double[] rows = {1, 0, 2, -3, 0, 0.5, 0, 4};   // two rows over a jet of 4
        StandardResidual residual = StandardResidual.linearRows(2, rows, (x, xo, a, ao, out, oo) -> {
            out[oo] = x[xo] + 1;
            out[oo + 1] = a[ao];
        });
        double[] x = {0.25};
        double[] attributes = {-0.75};
        double[] u = {0.5, -1, 2, 0.125};
        double[] r = new double[2];
        double[] drdu = new double[8];
        residual.evaluate(x, 0, attributes, 0, u, 0, r, drdu);
        assertEquals(0.5 + 4 - 0.375 - 1.25, r[0], 1e-15);
        assertEquals(-0.5 + 0.5 + 0.75, r[1], 1e-15);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(rows[i], drdu[i], "partial " + i);
        }
        assertPartialsMatchDifferences(residual, x, attributes, u);
    }

    @Test
    void aGradientTargetIsTheGradientMinusTheAttributeVector() {
        Channels channels = Channels.valueAndGradient(3);
        StandardResidual residual = StandardResidual.gradientMinusAttributes(channels, 1, 1);
        double[] attributes = {9, 0.2, -0.4, 0.6};
        double[] u = {7, 1, 2, 3};
        double[] r = new double[3];
        residual.evaluate(new double[3], 0, attributes, 0, u, 0, r, new double[12]);
        assertEquals(0.8, r[0], 1e-15);
        assertEquals(2.4, r[1], 1e-15);
        assertEquals(2.4, r[2], 1e-15);
        assertPartialsMatchDifferences(residual, new double[3], attributes, u);
    }

    @Test
    void pointwiseLinearTakesItsCoefficientsFromThePoint() {
        // r = u_t + (x + y) u_x - x y u_y - 3, over (u, u_x, u_y, u_t)
        StandardResidual residual = StandardResidual.pointwiseLinear(1, 4, (x, xo, a, ao, out, oo) -> {
            out[oo] = 0;
            out[oo + 1] = x[xo] + x[xo + 1];
            out[oo + 2] = -x[xo] * x[xo + 1];
            out[oo + 3] = 1;
            out[oo + 4] = 3;
        });
        double[] x = {0.5, -2, 0.1};
        double[] u = {4, 0.25, -0.5, 2};
        double[] r = new double[1];
        residual.evaluate(x, 0, new double[0], 0, u, 0, r, new double[4]);
        assertEquals(2 + (-1.5) * 0.25 - 0.5 - 3, r[0], 1e-15);
        assertPartialsMatchDifferences(residual, x, new double[0], u);
    }

    @Test
    void eikonalIsTheGradientNormMinusOneAndHasNoPartialsWhereTheGradientVanishes() {
        Channels channels = Channels.valueAndGradient(3);
        StandardResidual residual = StandardResidual.eikonal(channels, 1);
        double[] u = {5, 2, 3, 6};
        double[] r = new double[1];
        double[] drdu = new double[4];
        residual.evaluate(new double[3], 0, new double[0], 0, u, 0, r, drdu);
        assertEquals(6.0, r[0], 1e-15);
        assertEquals(0.0, drdu[0], "the value does not enter");
        assertEquals(3.0 / 7, drdu[2], 1e-15);
        assertPartialsMatchDifferences(residual, new double[3], new double[0], randomJet(4, 3));

        double[] flat = {5, 0, 0, 0};
        java.util.Arrays.fill(drdu, 7.0);
        residual.evaluate(new double[3], 0, new double[0], 0, flat, 0, r, drdu);
        assertEquals(-1.0, r[0]);
        for (double partial : drdu) {
            assertEquals(0.0, partial, "no partials at a zero gradient");
        }
    }

    @Test
    void navierStokesMatchesTheEquationsAndTheirDifferences() {
        Channels channels = new Channels(3, 0b011);
        int jet = channels.count() * 3;
        double nu = 0.07;
        for (double wc : new double[]{1.0, 10.0}) {
            StandardResidual residual = StandardResidual.navierStokes2d(nu, wc, channels);
            double[] u = randomJet(jet, 5);
            double[] r = new double[3];
            double[] drdu = new double[3 * jet];
            residual.evaluate(new double[3], 0, new double[0], 0, u, 0, r, drdu);
            int lap = channels.laplacian();
            double uu = u[0];
            double vv = u[1];
            // layout (C, outputs): channel * 3 + output; channels value, x, y, t, Laplacian
            double expected0 = u[3 * 3] + uu * u[3] + vv * u[2 * 3] + u[3 + 2] - nu * u[lap * 3];
            double expected1 = u[3 * 3 + 1] + uu * u[3 + 1] + vv * u[2 * 3 + 1] + u[2 * 3 + 2] - nu * u[lap * 3 + 1];
            assertEquals(expected0, r[0], 1e-14, "momentum x, w_c " + wc);
            assertEquals(expected1, r[1], 1e-14, "momentum y, w_c " + wc);
            assertEquals(wc * (u[3] + u[2 * 3 + 1]), r[2], 1e-14, "continuity scaled by w_c " + wc);
            assertEquals(wc, drdu[2 * jet + 3], 0.0, "d r_2 / d u_x is w_c");
            assertEquals(wc, drdu[2 * jet + 2 * 3 + 1], 0.0, "d r_2 / d v_y is w_c");
            assertPartialsMatchDifferences(residual, new double[3], new double[0], u);
        }
    }

    @Test
    void taylorGreensResidualVanishesOnItsExactSolution() {
        TaylorGreenProblem problem = new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain());
        Residual residual = problem.terms().get(0).residual();
        assertTrue(residual instanceof StandardResidual, "Taylor-Green's residual runs on every backend");
        int jet = problem.channels().count() * 3;
        double[] exact = new double[jet];
        double[] r = new double[3];
        SplittableRandom rng = new SplittableRandom(2);
        Box box = problem.domain();
        for (int i = 0; i < 20; i++) {
            double[] x = {rng.nextDouble(box.lo(0), box.hi(0)), rng.nextDouble(box.lo(1), box.hi(1)),
                rng.nextDouble(box.lo(2), box.hi(2))};
            problem.exact(x, 0, exact);   // value and gradient; the Laplacian of each velocity is -2 times it
            int lap = problem.channels().laplacian();
            exact[lap * 3] = -2 * exact[0];
            exact[lap * 3 + 1] = -2 * exact[1];
            residual.evaluate(x, 0, new double[0], 0, exact, 0, r, new double[3 * jet]);
            for (int c = 0; c < 3; c++) {
                assertEquals(0.0, r[c], 1e-12, "component " + c + " at point " + i);
            }
        }
    }

    @Test
    void taylorGreensContinuityWeightScalesOnlyTheContinuityComponent() {
        Box domain = TaylorGreenProblem.standardDomain();
        TaylorGreenProblem plain = new TaylorGreenProblem(0.01, domain, TaylorGreenProblem.SpatialBoundary.PERIODIC);
        TaylorGreenProblem weighted = new TaylorGreenProblem(0.01, domain, TaylorGreenProblem.SpatialBoundary.PERIODIC,
                10.0);
        StandardResidual one = (StandardResidual) plain.terms().get(0).residual();
        StandardResidual ten = (StandardResidual) weighted.terms().get(0).residual();
        assertEquals(10.0, ten.constants()[1], 0.0, "the weight travels in the residual's constants");
        int jet = plain.channels().count() * 3;
        double[] u = randomJet(jet, 8);
        double[] x = {1, 2, 0.5};
        double[] r1 = new double[3];
        double[] r10 = new double[3];
        double[] d1 = new double[3 * jet];
        double[] d10 = new double[3 * jet];
        one.evaluate(x, 0, new double[0], 0, u, 0, r1, d1);
        ten.evaluate(x, 0, new double[0], 0, u, 0, r10, d10);
        assertEquals(r1[0], r10[0], 0.0, "momentum x unchanged");
        assertEquals(r1[1], r10[1], 0.0, "momentum y unchanged");
        assertEquals(10 * r1[2], r10[2], 1e-14, "continuity times 10");
        for (int j = 0; j < jet; j++) {
            assertEquals(d1[j], d10[j], 0.0, "d r_0 / d u_" + j);
            assertEquals(d1[jet + j], d10[jet + j], 0.0, "d r_1 / d u_" + j);
            assertEquals(10 * d1[2 * jet + j], d10[2 * jet + j], 0.0, "d r_2 / d u_" + j);
        }
        assertPartialsMatchDifferences(ten, x, new double[0], u);
    }
}
