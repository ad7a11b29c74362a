package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.field.Channels;
import io.hermitengp.problem.Problem;

/**
 * The error of a field against its problem's exact solution on the problem's uniform evaluation
 * grid (endpoints included, {@code n_i} points on axis i):
 *
 * <pre>
 *   rel_l2      = sqrt( sum_p sum_o (u_o - u*_o)^2 / sum_p sum_o u*_o^2 )
 *   grad_rel_l2 = sqrt( sum_p sum_o |grad u_o - grad u*_o|^2 / sum_p sum_o |grad u*_o|^2 )
 * </pre>
 *
 * summed over grid points p and outputs o, in grid order (deterministic).
 */
public record ErrorMetrics(double relL2, double gradRelL2) {
    private static final int CHUNK = 16384;

    public static ErrorMetrics measure(TrainingBackend backend, Problem problem, int activeLevels) {
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
        double errorSquares = 0;
        double exactSquares = 0;
        double gradErrorSquares = 0;
        double gradExactSquares = 0;
        for (long start = 0; start < total; start += CHUNK) {
            int n = (int) Math.min(CHUNK, total - start);
            for (int p = 0; p < n; p++) {
                long index = start + p;
                for (int i = 0; i < d; i++) {
                    int j = (int) (index % grid[i]);
                    index /= grid[i];
                    double lo = problem.domain().lo(i);
                    double hi = problem.domain().hi(i);
                    points[p * d + i] = grid[i] == 1 ? lo : lo + (hi - lo) * j / (grid[i] - 1);
                }
            }
            backend.evaluate(points, n, channels, activeLevels, field);
            for (int p = 0; p < n; p++) {
                problem.exact(points, p * d, exact);
                int base = p * c * outputs;
                for (int o = 0; o < outputs; o++) {
                    double e = field[base + o] - exact[o];
                    errorSquares += e * e;
                    exactSquares += exact[o] * exact[o];
                    for (int j = 0; j < d; j++) {
                        double ge = field[base + Channels.gradient(j) * outputs + o] - exact[(1 + j) * outputs + o];
                        gradErrorSquares += ge * ge;
                        double gx = exact[(1 + j) * outputs + o];
                        gradExactSquares += gx * gx;
                    }
                }
            }
        }
        return new ErrorMetrics(Math.sqrt(errorSquares / exactSquares), Math.sqrt(gradErrorSquares / gradExactSquares));
    }
}
