package io.hermitengp.backend;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.Encoding;
import io.hermitengp.encoding.LinearHashEncoding;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.encoding.LevelResolutions;
import io.hermitengp.field.NeuralField;
import io.hermitengp.geometry.Box;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole loss against central finite differences in double precision, on the CPU path training
 * takes (the tiled vector path for a Hermite field), for every parameter group: each level's table of each derivative order (dense and hashed levels), each layer's
 * weights and biases. The problems seed the Laplacian channel, so the second-order path of the
 * SIREN and of the encoding is exercised.
 */
class LossGradientCheckTest {
    private static final double STEP = 1e-6;

    private record Group(String name, int from, int to) {
    }

    /** Hermite encodings in either coefficient unit, and the INGP-FD field (linear encoding, stencil derivatives). */
    @ParameterizedTest(name = "{0}D {1} lapAxes={2} {3}")
    @CsvSource({
            "2, helmholtz, 3, CELL",
            "2, helmholtz, 3, PHYSICAL",
            "2, coupling, 3, CELL",
            "3, coupling, 5, CELL",
            "3, coupling, 0, PHYSICAL",
            "2, helmholtz, 3, LINEAR",
            "3, coupling, 5, LINEAR"})
    void lossGradientMatchesFiniteDifferences(int dims, String problemName, int lapAxes, String encodingKind) {
        Box box = dims == 2 ? new Box(new double[]{-1, -0.5}, new double[]{1, 1}) : Box.cube(3, -1, 1);
        Problem problem = problemName.equals("helmholtz") ? new HelmholtzProblem(box, 1.0, 2.0)
                : new ChannelCouplingProblem(box, lapAxes);
        int[] sizes = dims == 2 ? new int[]{8, 8, 6} : new int[]{9, 9, 8, 6};
        boolean linear = encodingKind.equals("LINEAR");
        HermiteGridLayout layout = linear ? HermiteGridLayout.valuesOnly(dims, 3, 2, 3, 24, sizes[0])
                : new HermiteGridLayout(dims, 3, 2, 3, 24, sizes);
        assertTrue(layout.isDense(0, 0) && !layout.isDense(2, 0), "need dense and hashed levels");
        Encoding encoding = linear ? new LinearHashEncoding(layout, box, 0)
                : new HermiteHashEncoding(layout, box, CoefficientUnits.valueOf(encodingKind));
        NeuralField field = new NeuralField(encoding, new SirenNetwork(layout.outputWidth(), new int[]{7, 5}, 1, 4.0, 2.5));
        double[] params = field.initialParameters(99, TableInit.uniform(0.3), BiasInit.FAN_IN_SQRT);
        checkAgainstFiniteDifferences(field, problem, params, 1.0);
    }

    /**
     * The reference code's field: omega 0.5 on every layer (the SIREN is nearly linear there, so
     * the derivative channels are small and a sign or factor error in them would hide behind a loose
     * tolerance), levels from {@code floor(4 * 2^l)} all hashed, value tables N(0, 0.01^2) with
     * derivative tables zero, biases drawn like the weights and the output bias zero. The absolute
     * tolerance is a thousand times tighter than for the fields above.
     */
    @ParameterizedTest(name = "{0}D omega 0.5")
    @CsvSource({"2", "3"})
    void smallOmegaAndTheReferenceInitialisation(int dims) {
        Box box = Box.cube(dims, 0, 1);
        Problem problem = dims == 2 ? new HelmholtzProblem(box, 2.0, 1.0) : new ChannelCouplingProblem(box, 5);
        int[] sizes = dims == 2 ? new int[]{8, 8, 6} : new int[]{9, 9, 8, 6};
        HermiteGridLayout layout = new HermiteGridLayout(dims, 2, new LevelResolutions.Scaled(4, 2.0).of(3), sizes, true);
        assertTrue(!layout.isDense(0, 0), "every level hashed");
        Encoding encoding = new HermiteHashEncoding(layout, box, CoefficientUnits.CELL);
        NeuralField field = new NeuralField(encoding, new SirenNetwork(layout.outputWidth(), new int[]{7, 5}, 1, 0.5, 0.5));
        double[] params = field.initialParameters(17, TableInit.normalValues(0.01), BiasInit.LIKE_WEIGHTS);
        // derivative tables start at zero: move them off it so their own channels are exercised
        SplittableRandom nudge = new SplittableRandom(8);
        for (int i = 0; i < field.networkOffset(); i++) {
            if (params[i] == 0.0) {
                params[i] = 0.01 * nudge.nextGaussian();
            }
        }
        checkAgainstFiniteDifferences(field, problem, params, 1e-3);
    }

    /**
     * @param absoluteFloor gradients below it are compared to 1e-6 of it (finite differences lose
     *                      about 1e-10 of the loss to rounding), larger ones to 1e-6 relative
     */
    private static void checkAgainstFiniteDifferences(NeuralField field, Problem problem, double[] params,
                                                      double absoluteFloor) {
        HermiteGridLayout layout = field.encoding().layout();
        CollocationBatch batch = CollocationBatch.sample(problem, new int[]{9, 6}, new SplittableRandom(5));
        double[] weights = {0.7, 1.3};
        int active = layout.levels();

        try (JavaBackend backend = new JavaBackend(field, problem, 1)) {
            // the path training takes, for a Hermite field and an INGP-FD one alike
            assertEquals(CpuPath.VECTOR, backend.path(), "the CPU path under test");
            double[] gradient = new double[params.length];
            double[] losses = new double[2];
            backend.lossAndGradient(params, batch, weights, active, losses, gradient);

            List<Group> groups = new ArrayList<>();
            for (int l = 0; l < layout.levels(); l++) {
                for (int k = 0; k < layout.orders(); k++) {
                    int end = k < layout.orders() - 1 ? layout.tableOffset(l, k + 1) : layout.levelEnd(l);
                    groups.add(new Group("level " + l + (layout.isDense(l, k) ? " dense" : " hashed")
                            + " order-" + k + " table", layout.tableOffset(l, k), end));
                }
            }
            SirenNetwork net = field.network();
            for (int k = 0; k < net.layers(); k++) {
                int w = field.networkOffset() + net.weightOffset(k);
                int b = field.networkOffset() + net.biasOffset(k);
                groups.add(new Group("layer " + k + " weights", w, b));
                groups.add(new Group("layer " + k + " bias", b, b + net.width(k)));
            }

            SplittableRandom random = new SplittableRandom(3);
            int checked = 0;
            for (Group g : groups) {
                // the entries with the largest gradients, plus a few at random
                List<Integer> indices = new ArrayList<>(IntStream.range(g.from, g.to).boxed()
                        .sorted(Comparator.comparingDouble(i -> -Math.abs(gradient[i]))).limit(4).toList());
                for (int r = 0; r < 3; r++) {
                    indices.add(g.from + random.nextInt(g.to - g.from));
                }
                double largest = Math.abs(gradient[indices.get(0)]);
                assertTrue(largest > 0, g.name + " receives no gradient at all");
                for (int i : indices) {
                    double saved = params[i];
                    params[i] = saved + STEP;
                    double plus = totalLoss(backend, params, batch, weights, active);
                    params[i] = saved - STEP;
                    double minus = totalLoss(backend, params, batch, weights, active);
                    params[i] = saved;
                    double fd = (plus - minus) / (2 * STEP);
                    assertEquals(fd, gradient[i], 1e-6 * Math.max(absoluteFloor, Math.abs(fd)),
                            g.name + ": dL/dtheta[" + (i - g.from) + "] analytic " + gradient[i] + ", central difference " + fd);
                    checked++;
                }
            }
            assertTrue(checked > 50);
        }
    }

    private static double totalLoss(JavaBackend backend, double[] params, CollocationBatch batch, double[] weights,
                                    int active) {
        double[] losses = new double[weights.length];
        double[] scratch = new double[params.length];
        backend.lossAndGradient(params, batch, weights, active, losses, scratch);
        return weights[0] * losses[0] + weights[1] * losses[1];
    }
}
