package io.hermitengp.backend.opencl;

import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.backend.JavaBackend;
import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.geometry.Box;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each part of the OpenCL step against the Java backend on the same inputs. Tolerances: the two
 * differ only in sin/cos (OpenCL built-ins versus {@link Math}, a few ulps), so values and
 * gradients must agree to 1e-9 of each quantity's largest magnitude.
 */
class OpenClBackendTest {
    private static final double TOLERANCE = 1e-9;

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    private record Setup(NeuralField field, Problem problem, double[] params, CollocationBatch batch) {
    }

    private static Setup setup(int dims, CoefficientUnits units) {
        Box box = dims == 2 ? new Box(new double[]{-1, -0.5}, new double[]{1, 1}) : Box.cube(3, -1, 1);
        return setup(new HelmholtzProblem(box, 2.0, 1.5), units);
    }

    private static Setup setup(Problem problem, CoefficientUnits units) {
        int dims = problem.dims();
        Box box = problem.domain();
        int[] sizes = dims == 2 ? new int[]{8, 8, 6} : new int[]{9, 9, 8, 7};
        HermiteGridLayout layout = new HermiteGridLayout(dims, 4, 2, 3, 40, sizes);
        NeuralField field = new NeuralField(new HermiteHashEncoding(layout, box, units, problem.periodicAxes()),
                new SirenNetwork(layout.outputWidth(), new int[]{16, 12}, 1, 30.0, 20.0));
        double[] params = field.initialParameters(5, TableInit.uniform(0.05), BiasInit.FAN_IN_SQRT);
        CollocationBatch batch = CollocationBatch.sample(problem, new int[]{150, 60}, new SplittableRandom(3));
        return new Setup(field, problem, params, batch);
    }

    static void assertClose(double[] expected, double[] actual, int from, int to, String what) {
        double scale = 0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0, what + " is all zero");
        for (int i = from; i < to; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * scale, what + "[" + (i - from) + "]");
        }
    }

    /**
     * The passes split their work into blocks: the setup must give several of each, or a wrong
     * block boundary would go unseen.
     */
    private static void assertSetupSpansSeveralBlocks(Setup s, int active) {
        int n = s.batch.size();
        assertTrue(n > HermiteTrainingKernel.GRADIENT_TILE && n % HermiteTrainingKernel.GRADIENT_TILE != 0,
                n + " points must fill more than one weight-gradient tile and end in a short one");
        HermiteGridLayout layout = s.field.encoding().layout();
        int dims = s.field.dims();
        int entries = 0;
        for (int l = 0; l < active; l++) {
            for (int k = 0; k <= dims; k++) {
                entries += layout.entries(l, k);
            }
        }
        // (the 2D setups' 816 entries also end in a short block; the 3D setup's 3072 fill six)
        assertTrue(entries > HermiteTrainingKernel.SCAN_BLOCK, entries + " active entries must span several scan blocks");
        // n * 2^d contributions over the coarsest table's entries: some slice is longer than the limit
        assertTrue(layout.entries(0, 0) * HermiteTrainingKernel.INSERTION_SORT_LIMIT < n << dims,
                "the coarsest level must give some entry a slice long enough for the heapsort");
    }

    @ParameterizedTest(name = "{0}D {1} {2}")
    @CsvSource({"2, CELL, helmholtz", "3, PHYSICAL, helmholtz", "2, CELL, convection"})
    void lossGradientAndAdamMatchTheJavaBackend(int dims, CoefficientUnits units, String problemName) {
        Setup s = problemName.equals("convection")
                ? setup(new io.hermitengp.problem.ConvectionProblem(3.0, io.hermitengp.problem.ConvectionProblem.standardDomain()), units)
                : setup(dims, units);
        double[] weights = {0.3, 2.0};
        int active = 3;
        assertSetupSpansSeveralBlocks(s, active);
        double[] javaLosses = new double[2];
        double[] clLosses = new double[2];
        try (JavaBackend java = new JavaBackend(s.field, s.problem, 2);
             OpenClBackend cl = new OpenClBackend(s.field, s.problem, "", s.batch.size())) {
            java.setParameters(s.params);
            cl.setParameters(s.params);
            java.computeGradient(s.batch, weights, active, javaLosses);
            cl.computeGradient(s.batch, weights, active, clLosses);
            for (int k = 0; k < 2; k++) {
                assertEquals(javaLosses[k], clLosses[k], TOLERANCE * javaLosses[k], "loss of term " + k);
            }
            double[] expected = new double[s.params.length];
            java.lossAndGradient(s.params, s.batch, weights, active, new double[2], expected);
            double[] actual = cl.gradient();
            HermiteGridLayout layout = s.field.encoding().layout();
            for (int l = 0; l < layout.levels(); l++) {
                for (int k = 0; k <= dims; k++) {
                    int end = k < dims ? layout.tableOffset(l, k + 1) : layout.levelEnd(l);
                    if (end == layout.tableOffset(l, k)) {
                        continue;
                    }
                    if (l < active) {
                        assertClose(expected, actual, layout.tableOffset(l, k), end,
                                "table gradient level " + l + " order " + k);
                    } else {
                        for (int i = layout.tableOffset(l, k); i < end; i++) {
                            assertEquals(0.0, actual[i], "inactive level " + l + " must get no gradient");
                        }
                    }
                }
            }
            SirenNetwork net = s.field.network();
            for (int k = 0; k < net.layers(); k++) {
                int w = s.field.networkOffset() + net.weightOffset(k);
                int b = s.field.networkOffset() + net.biasOffset(k);
                assertClose(expected, actual, w, b, "layer " + k + " weight gradient");
                assertClose(expected, actual, b, b + net.width(k), "layer " + k + " bias gradient");
            }
            assertEquals(java.gradientNorm(), cl.gradientNorm(), TOLERANCE * java.gradientNorm(), "gradient norm");

            Adam adam = new Adam(0.9, 0.99, 1e-15);
            List<AdamSegment> segments = new ArrayList<>();
            for (int l = 0; l < active; l++) {
                segments.add(new AdamSegment(layout.levelStart(l), layout.levelEnd(l), 0.01, 3 + l));
            }
            segments.add(new AdamSegment(s.field.networkOffset(), s.field.parameterCount(), 0.001, 7));
            java.adamUpdate(adam, segments);
            cl.adamUpdate(adam, segments);
            double[] javaParams = java.parameters();
            double[] clParams = cl.parameters();
            for (int i = 0; i < javaParams.length; i++) {
                // an Adam step is about lr * sign(g): tiny gradient differences move it by far less than lr
                assertEquals(javaParams[i], clParams[i], 1e-6 * 0.01, "parameter " + i + " after one Adam step");
            }
        }
    }

    /**
     * The device keeps a transposed copy of the network weights for the forward pass: Adam updates
     * it, and parameters written by the host replace it. A stale copy would evaluate the old field.
     */
    @Test
    void evaluationSeesTheWeightsOfTheLastAdamUpdateAndOfTheLastLoad() {
        Setup s = setup(2, CoefficientUnits.CELL);
        int n = 50;
        double[] points = new double[n * 2];
        new UniformBoxSampler(s.problem.domain()).sample(new SplittableRandom(2), n, points, 0);
        Channels channels = Channels.valueAndGradient(2);
        double[] before = new double[n * channels.count()];
        double[] expected = new double[n * channels.count()];
        double[] actual = new double[n * channels.count()];
        List<AdamSegment> network = List.of(new AdamSegment(s.field.networkOffset(), s.field.parameterCount(), 0.05,
                1));
        try (JavaBackend java = new JavaBackend(s.field, s.problem, 2);
             OpenClBackend cl = new OpenClBackend(s.field, s.problem, "", s.batch.size())) {
            java.setParameters(s.params);
            cl.setParameters(s.params);
            cl.evaluate(points, n, channels, 3, before);
            java.computeGradient(s.batch, new double[]{1, 1}, 3, new double[2]);
            cl.computeGradient(s.batch, new double[]{1, 1}, 3, new double[2]);
            java.adamUpdate(new Adam(0.9, 0.99, 1e-15), network);
            cl.adamUpdate(new Adam(0.9, 0.99, 1e-15), network);
            java.evaluate(points, n, channels, 3, expected);
            cl.evaluate(points, n, channels, 3, actual);
            assertTrue(Math.abs(expected[0] - before[0]) > 1e-3 * Math.abs(before[0]),
                    "the Adam step must move the field");
            assertClose(expected, actual, 0, expected.length, "field after an Adam step");

            double[] loaded = s.params.clone();
            for (int i = s.field.networkOffset(); i < loaded.length; i++) {
                loaded[i] *= 0.5;
            }
            java.loadParameters(loaded);
            cl.loadParameters(loaded);
            java.evaluate(points, n, channels, 3, expected);
            cl.evaluate(points, n, channels, 3, actual);
            assertClose(expected, actual, 0, expected.length, "field after loading parameters");
        }
    }

    @ParameterizedTest(name = "{0}D")
    @CsvSource({"2", "3"})
    void evaluationMatchesTheJavaBackend(int dims) {
        Setup s = setup(dims, CoefficientUnits.CELL);
        int n = 700;   // more than the capacity: evaluation runs in chunks
        double[] points = new double[n * dims];
        new UniformBoxSampler(s.problem.domain()).sample(new SplittableRandom(9), n, points, 0);
        for (Channels channels : new Channels[]{Channels.valueAndGradient(dims), s.problem.channels()}) {
            double[] expected = new double[n * channels.count()];
            double[] actual = new double[n * channels.count()];
            try (JavaBackend java = new JavaBackend(s.field, s.problem, 2);
                 OpenClBackend cl = new OpenClBackend(s.field, s.problem, "", s.batch.size())) {
                java.setParameters(s.params);
                cl.setParameters(s.params);
                java.evaluate(points, n, channels, 4, expected);
                cl.evaluate(points, n, channels, 4, actual);
            }
            for (int ch = 0; ch < channels.count(); ch++) {
                double scale = 0;
                for (int p = 0; p < n; p++) {
                    scale = Math.max(scale, Math.abs(expected[p * channels.count() + ch]));
                }
                for (int p = 0; p < n; p++) {
                    int i = p * channels.count() + ch;
                    assertEquals(expected[i], actual[i], TOLERANCE * scale, "point " + p + " channel " + ch);
                }
            }
        }
    }

    /** A device overruns its buffers without a word, so the host refuses channels they cannot hold. */
    @Test
    void evaluationRefusesChannelsTheFieldOrTheBuffersCannotHold() {
        Setup s = setup(new io.hermitengp.problem.ConvectionProblem(3.0,
                io.hermitengp.problem.ConvectionProblem.standardDomain()), CoefficientUnits.CELL);
        double[] points = {0.5, 0.1, 1.0, 0.2};
        try (OpenClBackend cl = new OpenClBackend(s.field, s.problem, "", s.batch.size())) {
            cl.setParameters(s.params);
            // the encoding writes value and both gradients: a value-only request is too short for it
            IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points, 2, Channels.valueOnly(), 4, new double[2]));
            assertTrue(fewer.getMessage().contains("asked for " + Channels.valueOnly()), fewer.getMessage());
            // convection needs no Laplacian, so the buffers hold 3 channels per point, not 4
            IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points, 2, Channels.withFullLaplacian(2), 4, new double[8]));
            assertTrue(more.getMessage().contains("asked for 4 channels") && more.getMessage().contains("buffers hold 3"),
                    more.getMessage());
            double[] out = new double[6];
            cl.evaluate(points, 2, Channels.valueAndGradient(2), 4, out);
            assertTrue(java.util.Arrays.stream(out).allMatch(Double::isFinite), java.util.Arrays.toString(out));
        }
    }
}
