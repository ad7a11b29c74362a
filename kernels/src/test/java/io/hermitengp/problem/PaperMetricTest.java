package io.hermitengp.problem;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each PDE problem's paper metric: zero on the exact solution, and on a known perturbation of it
 * the number worked out by hand from the metric's lattice and formula. The hand sums use, for
 * n points x_j = lo + (hi - lo) j / (n - 1) over whole periods of sin(m x) (m a whole number
 * of periods, not a multiple of n - 1),
 *
 * <pre>
 *   sum_j sin^2(m x_j) = (n - 1) / 2,   sum_j cos^2(m x_j) = (n + 1) / 2
 * </pre>
 *
 * (the cosines of j = 0 .. n - 2 cancel over whole periods; j = n - 1 repeats j = 0).
 */
class PaperMetricTest {

    /** The exact solution's values, its gradient channels left zero: what a perfect field evaluates to. */
    private static FieldProbe exactField(Problem problem) {
        return perturbed(problem, (x, o, values) -> {
        });
    }

    /** Changes the exact values of each output at a point, in place. */
    @FunctionalInterface
    private interface Perturbation {
        void apply(double[] point, int offset, double[] values);
    }

    /** A field probe returning the problem's exact values changed by {@code perturbation}. */
    private static FieldProbe perturbed(Problem problem, Perturbation perturbation) {
        int d = problem.dims();
        int outputs = problem.outputs();
        return (points, n, channels, out) -> {
            int c = channels.count();
            double[] exact = new double[(1 + d) * outputs];
            double[] values = new double[outputs];
            Arrays.fill(out, 0, n * c * outputs, 0.0);
            for (int p = 0; p < n; p++) {
                problem.exact(points, p * d, exact);
                System.arraycopy(exact, 0, values, 0, outputs);
                perturbation.apply(points, p * d, values);
                System.arraycopy(values, 0, out, p * c * outputs, outputs);
            }
        };
    }

    private static PaperMetric measured(Problem problem, FieldProbe field) {
        Optional<PaperMetric> metric = problem.paperMetric(field);
        assertTrue(metric.isPresent(), problem.type() + " measures its paper metric");
        return metric.get();
    }

    @Test
    void helmholtz2dMeasuresRelativeL2OnThe200GridOverTheDefaultUnitSquare() {
        Problem problem = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"}}", "test")
                .problem().create();
        assertEquals(HelmholtzProblem.defaultDomain(2).toString(), problem.domain().toString(), "default box");
        PaperMetric exact = measured(problem, exactField(problem));
        assertEquals("rel_l2_grid200", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "exact solution");
        // u = u* + 0.1, u* = sin(10 pi x) sin(10 pi y) on [0, 1]^2: sum (u - u*)^2 = 200^2 * 0.01,
        // sum u*^2 = (sum_j sin^2(10 pi x_j))^2 = (199 / 2)^2
        double expected = Math.sqrt(200 * 200 * 0.01 / Math.pow(199 / 2.0, 2));
        assertEquals(expected, measured(problem, perturbed(problem, (x, o, u) -> u[0] += 0.1)).value(), 1e-12);
    }

    @Test
    void helmholtz3dMeasuresRelativeL2OnThe34Grid() {
        Problem problem = new HelmholtzProblem(HelmholtzProblem.defaultDomain(3), 3, 1);
        PaperMetric exact = measured(problem, exactField(problem));
        assertEquals("rel_l2_grid34", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "exact solution");
        // sum u*^2 = (sum_j sin^2(3 pi x_j))^3 = (33 / 2)^3 over 34 points per axis
        double expected = Math.sqrt(34 * 34 * 34 * 0.01 / Math.pow(33 / 2.0, 3));
        assertEquals(expected, measured(problem, perturbed(problem, (x, o, u) -> u[0] += 0.1)).value(), 1e-12);
    }

    @Test
    void convectionMeasuresRelativeL2OnThe200By200Grid() {
        Problem problem = new ConvectionProblem(30, ConvectionProblem.standardDomain());
        PaperMetric exact = measured(problem, exactField(problem));
        assertEquals("rel_l2_grid200", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "exact solution");
        // u* = sin(x - 30 t): at each t_j, sum_i sin^2(x_i - 30 t_j) = 100 - cos(60 t_j) / 2 over the
        // 200 points x_i in [0, 2 pi] (the cosines of 2 x_i - 60 t_j cancel but for the repeated end);
        // sum_j cos(theta j), theta = 60 / 199, j = 0..199, is the Dirichlet sum below
        double theta = 60.0 / 199;
        double cosines = Math.sin(100 * theta) * Math.cos(99.5 * theta) / Math.sin(theta / 2);
        double exactSquares = 200 * 100 - cosines / 2;
        double expected = Math.sqrt(200 * 200 * 0.01 / exactSquares);
        assertEquals(expected, measured(problem, perturbed(problem, (x, o, u) -> u[0] += 0.1)).value(), 1e-12);
    }

    @Test
    void taylorGreenMeasuresTheAbsoluteSpeedErrorAtTimeHalf() {
        TaylorGreenProblem problem = new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain());
        PaperMetric exact = measured(problem, exactField(problem));
        assertEquals("speed_rmse_t0.5", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "exact solution");
        // velocity scaled by 1 + 0.2 t (0.1 at t = 0.5), pressure off by 5 (not measured): the speed
        // error is 0.1 |(u*, v*)|, |(u*, v*)|^2 = e^{-4 nu t} (cos^2 x sin^2 y + sin^2 x cos^2 y),
        // summed over the 100^2 grid of [0, 2 pi]^2: 2 * (101 / 2) * (99 / 2)
        FieldProbe field = perturbed(problem, (x, o, u) -> {
            double scale = 1 + 0.2 * x[o + 2];
            u[0] *= scale;
            u[1] *= scale;
            u[2] += 5;
        });
        double meanSpeedSquared = Math.exp(-4 * 0.01 * 0.5) * 2 * (101 / 2.0) * (99 / 2.0) / (100 * 100);
        assertEquals(0.1 * Math.sqrt(meanSpeedSquared), measured(problem, field).value(), 1e-12);
    }

    @Test
    void taylorGreenWithoutTimeHalfInItsRangeHasNoPaperMetric() {
        Box late = new Box(new double[]{0, 0, 0.6}, new double[]{2 * Math.PI, 2 * Math.PI, 1});
        TaylorGreenProblem problem = new TaylorGreenProblem(0.01, late);
        assertTrue(problem.paperMetric(exactField(problem)).isEmpty(), "t = 0.5 is outside [0.6, 1]");
    }

    @Test
    void flowMixingAveragesTheRelativeL2OfFiveTimeSlices() {
        Problem problem = new FlowMixingProblem(0.385, FlowMixingProblem.standardDomain());
        PaperMetric exact = measured(problem, exactField(problem));
        assertEquals("mean_rel_l2_5_slices", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "exact solution");
        // u = u* (1 + 0.1 t^2): relative L2 0.1 t_s^2 on slice s; mean over t = 0, 1, 2, 3, 4
        double slices = 0.1 * (0 + 1 + 4 + 9 + 16) / 5;
        assertEquals(slices, measured(problem, perturbed(problem, (x, o, u) -> u[0] *= 1 + 0.1 * x[o + 2] * x[o + 2]))
                .value(), 1e-12);
        // u = u* + 0.1 at t = 0 only, where u* = -tanh(y / 2): one slice of five with error
        // sqrt(50^2 * 0.01 / (50 sum_j tanh^2(y_j / 2))), y_j the 50 points of [-4, 4]
        double tanhSquares = 0;
        for (int j = 0; j < 50; j++) {
            double y = -4 + 8.0 * j / 49;
            tanhSquares += Math.pow(Math.tanh(y / 2), 2);
        }
        double expected = Math.sqrt(50 * 50 * 0.01 / (50 * tanhSquares)) / 5;
        assertEquals(expected, measured(problem, perturbed(problem, (x, o, u) -> u[0] += x[o + 2] == 0 ? 0.1 : 0))
                .value(), 1e-12);
    }

    @Test
    void aDivergedFieldHasNoPaperMetricRatherThanNaN() {
        Problem problem = new HelmholtzProblem(HelmholtzProblem.defaultDomain(2), 10, 1);
        assertTrue(problem.paperMetric(perturbed(problem, (x, o, u) -> u[0] = Double.NaN)).isEmpty());
    }
}
