package io.hermitengp.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A residual's stated partials against central differences of its value, in double. */
final class ResidualPartials {
    private ResidualPartials() {
    }

    /**
     * Every partial {@code dr_c/du_j} the residual states at the jet {@code u} against
     * {@code (r(u + h e_j) - r(u - h e_j)) / 2h}, within {@code relative * max(1, |difference|)}.
     *
     * @param what names the residual in failure messages
     */
    static void assertMatchDifferences(Residual residual, String what, double[] x, double[] attributes, double[] u,
                                       int jetSize, double h, double relative) {
        int components = residual.components();
        double[] r = new double[components];
        double[] drdu = new double[components * jetSize];
        residual.evaluate(x, 0, attributes, 0, u, 0, r, drdu);
        double[] plus = new double[components];
        double[] minus = new double[components];
        double[] ignored = new double[components * jetSize];
        for (int j = 0; j < jetSize; j++) {
            double[] up = u.clone();
            double[] down = u.clone();
            up[j] += h;
            down[j] -= h;
            residual.evaluate(x, 0, attributes, 0, up, 0, plus, ignored);
            residual.evaluate(x, 0, attributes, 0, down, 0, minus, ignored);
            for (int c = 0; c < components; c++) {
                double difference = (plus[c] - minus[c]) / (2 * h);
                assertEquals(difference, drdu[c * jetSize + j], relative * Math.max(1, Math.abs(difference)),
                        what + ": dr_" + c + "/du_" + j);
            }
        }
    }
}
