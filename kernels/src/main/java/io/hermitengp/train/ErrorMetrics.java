package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.field.Channels;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.ReferenceSamples;

import java.util.Arrays;
import java.util.Optional;

/**
 * The error of a field against its problem's exact solution on the problem's uniform evaluation
 * grid (endpoints included, {@code n_i} points on axis i):
 *
 * <pre>
 *   rel_l2      = sqrt( sum_p sum_o (u_o - u*_o)^2 / sum_p sum_o u*_o^2 )
 *   grad_rel_l2 = sqrt( sum_p sum_o |grad u_o - grad u*_o|^2 / sum_p sum_o |grad u*_o|^2 )
 * </pre>
 *
 * summed over grid points p and outputs o, in grid order (deterministic). Problems with {@link
 * Problem#referenceSamples() reference samples} are measured the same way over those points.
 */
public record ErrorMetrics(double relL2, double gradRelL2) {
    private static final int CHUNK = 16384;

    public static ErrorMetrics measure(TrainingBackend backend, Problem problem, int activeLevels) {
        Optional<ReferenceSamples> reference = problem.referenceSamples();
        if (reference.isPresent()) {
            return onSamples(backend, reference.get(), activeLevels);
        }
        int d = problem.dims();
        int outputs = problem.outputs();
        int[] grid = problem.evaluationGrid();
        long total = 1;
        for (int n : grid) {
            total *= n;
        }
        Channels channels = Channels.valueAndGradient(d);
        int c = channels.count();
        double[] points = new double[CHUNK * d];
        double[] field = new double[CHUNK * c * outputs];
        double[] exact = new double[(1 + d) * outputs];
        Sums sums = new Sums(d, outputs);
        for (long start = 0; start < total; start += CHUNK) {
            int n = (int) Math.min(CHUNK, total - start);
            for (int p = 0; p < n; p++) {
                problem.domain().latticePoint(grid, start + p, points, p * d);
            }
            backend.evaluate(points, n, channels, activeLevels, field);
            for (int p = 0; p < n; p++) {
                problem.exact(points, p * d, exact);
                sums.add(field, p * c * outputs, exact, 0);
            }
        }
        return sums.metrics();
    }

    private static ErrorMetrics onSamples(TrainingBackend backend, ReferenceSamples samples, int activeLevels) {
        int d = samples.dims();
        int outputs = samples.outputs();
        Channels channels = Channels.valueAndGradient(d);
        int c = channels.count();
        Sums sums = new Sums(d, outputs);
        double[] field = new double[CHUNK * c * outputs];
        for (int start = 0; start < samples.count(); start += CHUNK) {
            int n = Math.min(CHUNK, samples.count() - start);
            double[] points = Arrays.copyOfRange(samples.points(), start * d, (start + n) * d);
            backend.evaluate(points, n, channels, activeLevels, field);
            for (int p = 0; p < n; p++) {
                sums.add(field, p * c * outputs, samples.exact(), (start + p) * (1 + d) * outputs);
            }
        }
        return sums.metrics();
    }

    /** Running sums of squared errors and squared exact values, in point order. */
    private static final class Sums {
        private final int d;
        private final int outputs;
        private double errorSquares;
        private double exactSquares;
        private double gradErrorSquares;
        private double gradExactSquares;

        Sums(int d, int outputs) {
            this.d = d;
            this.outputs = outputs;
        }

        /** One point: the field's jet (C, outputs) and the exact (1 + d, outputs). */
        void add(double[] field, int base, double[] exact, int exactBase) {
            for (int o = 0; o < outputs; o++) {
                double e = field[base + o] - exact[exactBase + o];
                errorSquares += e * e;
                exactSquares += exact[exactBase + o] * exact[exactBase + o];
                for (int j = 0; j < d; j++) {
                    double gx = exact[exactBase + (1 + j) * outputs + o];
                    double ge = field[base + Channels.gradient(j) * outputs + o] - gx;
                    gradErrorSquares += ge * ge;
                    gradExactSquares += gx * gx;
                }
            }
        }

        ErrorMetrics metrics() {
            return new ErrorMetrics(Math.sqrt(errorSquares / exactSquares), Math.sqrt(gradErrorSquares / gradExactSquares));
        }
    }
}
