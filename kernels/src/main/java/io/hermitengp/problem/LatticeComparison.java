package io.hermitengp.problem;

import io.hermitengp.field.Channels;

/**
 * A field's values against its problem's exact values at every point of a {@link UniformLattice},
 * in lattice order, evaluated {@value #CHUNK} points at a time (memory stays bounded whatever the
 * lattice's size). The paper metrics of the PDE problems are sums over such a walk.
 */
public final class LatticeComparison {
    /** Points evaluated at once. */
    static final int CHUNK = 16384;

    private LatticeComparison() {
    }

    /** What one lattice point adds to a running sum. */
    @FunctionalInterface
    public interface PointSum {
        /**
         * @param field   (outputs) the field's value of each output at the point
         * @param exact   (outputs) the exact solution's value of each output there
         * @param outputs number of outputs
         */
        void add(double[] field, double[] exact, int outputs);
    }

    /** Walks the lattice, handing each point's field and exact values to {@code sum}. */
    public static void visit(Problem problem, FieldProbe field, UniformLattice lattice, PointSum sum) {
        int d = problem.dims();
        if (lattice.dims() != d) {
            throw new IllegalArgumentException(problem.type() + " has " + d + " axes, the " + lattice + " has "
                    + lattice.dims());
        }
        int outputs = problem.outputs();
        // value and gradient: an encoding with analytic derivatives writes its gradient channels with every value
        Channels channels = Channels.valueAndGradient(d);
        int c = channels.count();
        double[] jets = new double[(int) Math.min(CHUNK, lattice.size()) * c * outputs];   // (n, C, outputs)
        double[] exactJet = new double[(1 + d) * outputs];                                  // (1 + d, outputs)
        double[] fieldValues = new double[outputs];
        double[] exactValues = new double[outputs];
        lattice.forEachChunk(CHUNK, (points, n, first) -> {
            field.evaluate(points, n, channels, jets);
            for (int p = 0; p < n; p++) {
                problem.exact(points, p * d, exactJet);
                for (int o = 0; o < outputs; o++) {
                    fieldValues[o] = jets[p * c * outputs + Channels.VALUE * outputs + o];
                    exactValues[o] = exactJet[Channels.VALUE * outputs + o];
                }
                sum.add(fieldValues, exactValues, outputs);
            }
        });
    }

    /**
     * The relative L2 error over the lattice, every output pooled:
     * {@code sqrt( sum_x sum_o (u_o(x) - u*_o(x))^2 / sum_x sum_o u*_o(x)^2 )}.
     */
    public static double relativeL2(Problem problem, FieldProbe field, UniformLattice lattice) {
        double[] squares = new double[2];   // error, exact
        visit(problem, field, lattice, (u, exact, outputs) -> {
            for (int o = 0; o < outputs; o++) {
                double e = u[o] - exact[o];
                squares[0] += e * e;
                squares[1] += exact[o] * exact[o];
            }
        });
        return Math.sqrt(squares[0] / squares[1]);
    }
}
