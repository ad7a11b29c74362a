package io.hermitengp.backend;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.backend.cpu.TiledStep;
import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.Encoding;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.encoding.LinearHashEncoding;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.geometry.Box;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.BiasInit;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.TaylorGreenProblem;
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiled CPU path against the reference path it replaces: losses and every parameter group's
 * gradient to 1e-11 of the group's largest magnitude (they differ in summation order, fused
 * multiply-adds and the sine), the vector and scalar kernels bit for bit, and any thread count bit
 * for bit; float32 against float64 within float rounding, with the same bit-for-bit guarantees.
 * The batches span several chunks and end in partial tiles. The INGP-FD fields ({@code -fd}: the
 * linear encoding, derivatives by the stencil) run the same checks: their interior points are
 * stencils of 5 or 7 rows, their boundary points one row.
 */
class TiledPathTest {
    private static final double TOLERANCE = 1e-11;
    private static final double FLOAT32_TOLERANCE = 1e-4;

    private record Setup(NeuralField field, Problem problem, double[] params, CollocationBatch batch) {
    }

    /** A Hermite field, or an INGP-FD one for a name ending in {@code -fd} (the units then do not apply). */
    private static Setup setup(String name, CoefficientUnits units) {
        boolean finiteDifferences = name.endsWith("-fd");
        String problemName = finiteDifferences ? name.substring(0, name.length() - 3) : name;
        Problem problem = switch (problemName) {
            case "helmholtz2d" -> new HelmholtzProblem(new Box(new double[]{-1, -0.5}, new double[]{1, 1}), 2.0, 1.5);
            case "helmholtz3d" -> new HelmholtzProblem(Box.cube(3, -1, 1), 2.0, 1.5);
            case "coupling3d" -> new ChannelCouplingProblem(Box.cube(3, -1, 1), 5);
            case "taylorgreen" -> new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain());
            default -> new ConvectionProblem(3.0, ConvectionProblem.standardDomain());
        };
        int dims = problem.dims();
        int[] sizes = dims == 2 ? new int[]{8, 8, 6} : new int[]{9, 9, 8, 7};
        HermiteGridLayout layout = finiteDifferences ? HermiteGridLayout.valuesOnly(dims, 4, 2, 3, 40, sizes[0])
                : new HermiteGridLayout(dims, 4, 2, 3, 40, sizes);
        Encoding encoding = finiteDifferences ? new LinearHashEncoding(layout, problem.domain(), problem.periodicAxes())
                : new HermiteHashEncoding(layout, problem.domain(), units, problem.periodicAxes());
        NeuralField field = new NeuralField(encoding,
                new SirenNetwork(layout.outputWidth(), new int[]{16, 13}, problem.outputs(), 30.0, 20.0));
        double[] params = field.initialParameters(5, TableInit.uniform(0.05), BiasInit.FAN_IN_SQRT);
        // more than CHUNK_TILES tiles of each term, the last ones partial
        int rowsPerInteriorPoint = finiteDifferences ? field.stencil().size() : problem.channels().count();
        int interior = 9 * TiledStep.TILE_ROWS / rowsPerInteriorPoint + 7;
        int[] termSizes = new int[problem.terms().size()];   // the interior, then the boundary terms
        java.util.Arrays.fill(termSizes, 2 * TiledStep.TILE_ROWS + 5);
        termSizes[0] = interior;
        CollocationBatch batch = CollocationBatch.sample(problem, termSizes,
                new SplittableRandom(3));
        return new Setup(field, problem, params, batch);
    }

    private record Step(double[] losses, double[] gradient, String description) {
    }

    private static Step step(Setup s, CpuPath path, int threads) {
        return step(s, path, threads, Precision.FLOAT64);
    }

    private static Step step(Setup s, CpuPath path, int threads, Precision precision) {
        double[] weights = java.util.Arrays.copyOf(new double[]{0.3, 2.0, 1.1}, s.problem.terms().size());
        double[] losses = new double[weights.length];
        double[] gradient = new double[s.params.length];
        try (JavaBackend backend = new JavaBackend(s.field, s.problem, threads, path, precision)) {
            backend.lossAndGradient(s.params, s.batch, weights, 3, losses, gradient);
            return new Step(losses, gradient, backend.description());
        }
    }

    private static void assertGroupClose(double[] expected, double[] actual, int from, int to, String what) {
        assertGroupClose(expected, actual, from, to, TOLERANCE, what);
    }

    private static void assertGroupClose(double[] expected, double[] actual, int from, int to, double tolerance,
                                         String what) {
        double scale = 0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0, what + " is all zero");
        for (int i = from; i < to; i++) {
            assertEquals(expected[i], actual[i], tolerance * scale, what + "[" + (i - from) + "]");
        }
    }

    /** Every parameter group's gradient within {@code tolerance} of its largest magnitude. */
    private static void assertGradientClose(Setup s, double[] expected, double[] actual, double tolerance) {
        HermiteGridLayout layout = s.field.encoding().layout();
        for (int l = 0; l < layout.levels(); l++) {
            if (l < 3) {
                assertGroupClose(expected, actual, layout.levelStart(l), layout.levelEnd(l), tolerance,
                        "level " + l + " tables");
            } else {
                for (int i = layout.levelStart(l); i < layout.levelEnd(l); i++) {
                    assertEquals(0.0, actual[i], 0.0, "inactive level " + l + " got a gradient");
                }
            }
        }
        SirenNetwork net = s.field.network();
        for (int k = 0; k < net.layers(); k++) {
            int w = s.field.networkOffset() + net.weightOffset(k);
            int b = s.field.networkOffset() + net.biasOffset(k);
            assertGroupClose(expected, actual, w, b, tolerance, "layer " + k + " weights");
            assertGroupClose(expected, actual, b, b + net.width(k), tolerance, "layer " + k + " biases");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"helmholtz2d, CELL", "helmholtz3d, PHYSICAL", "coupling3d, CELL", "convection, CELL",
            "helmholtz2d-fd, CELL", "helmholtz3d-fd, CELL", "coupling3d-fd, CELL", "convection-fd, CELL",
            "taylorgreen, CELL", "taylorgreen-fd, CELL"})
    void tiledPathsAgreeWithTheReferenceAndWithEachOther(String problemName, CoefficientUnits units) {
        Setup s = setup(problemName, units);
        Step reference = step(s, CpuPath.REFERENCE, 2);
        Step scalar = step(s, CpuPath.SCALAR, 2);
        Step vector = step(s, CpuPath.VECTOR, 2);
        assertEquals("java:threads=2,reference", reference.description);
        assertEquals("java:threads=2,vector", vector.description);
        assertArrayEquals(scalar.losses, vector.losses, "losses, scalar and vector kernels");
        assertArrayEquals(scalar.gradient, vector.gradient, "gradient, scalar and vector kernels");
        for (int k = 0; k < s.problem.terms().size(); k++) {
            assertEquals(reference.losses[k], vector.losses[k], TOLERANCE * reference.losses[k], "loss of term " + k);
        }
        assertGradientClose(s, reference.gradient, vector.gradient, TOLERANCE);
    }

    /**
     * Float32 against float64 on the same batch. A float product over at most 128 terms is within
     * {@code 128 * 2^-24 = 8e-6} of its terms' magnitude, and a step chains six of them (three
     * layers forward and back) through sines whose derivative channels multiply by up to
     * {@code w^2 = 900} and partly cancel again; 1e-4 of a quantity's largest magnitude leaves the
     * cancellation a factor of about two, where a float mistake (a double buffer read as float, a
     * dropped tile) is of the order of the quantity itself.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"helmholtz2d, CELL", "helmholtz3d, PHYSICAL", "coupling3d, CELL", "convection, CELL",
            "helmholtz2d-fd, CELL", "taylorgreen-fd, CELL"})
    void float32AgreesWithFloat64WithinFloatRounding(String problemName, CoefficientUnits units) {
        Setup s = setup(problemName, units);
        Step double64 = step(s, CpuPath.VECTOR, 2);
        Step vector = step(s, CpuPath.VECTOR, 2, Precision.FLOAT32);
        Step scalar = step(s, CpuPath.SCALAR, 2, Precision.FLOAT32);
        assertEquals("java:threads=2,vector,float32", vector.description);
        assertEquals("java:threads=2,scalar,float32", scalar.description);
        assertArrayEquals(scalar.losses, vector.losses, "float32 losses, scalar and vector kernels");
        assertArrayEquals(scalar.gradient, vector.gradient, "float32 gradient, scalar and vector kernels");
        for (int k = 0; k < s.problem.terms().size(); k++) {
            assertEquals(double64.losses[k], vector.losses[k], FLOAT32_TOLERANCE * double64.losses[k],
                    "loss of term " + k);
        }
        assertGradientClose(s, double64.gradient, vector.gradient, FLOAT32_TOLERANCE);
        assertTrue(!java.util.Arrays.equals(double64.gradient, vector.gradient), "float32 ran in double");
    }

    @Test
    void float32GivesTheSameBitsForAnyThreadCount() {
        Setup s = setup("helmholtz3d", CoefficientUnits.CELL);
        Step one = step(s, CpuPath.VECTOR, 1, Precision.FLOAT32);
        for (int threads : new int[]{2, 3}) {
            Step many = step(s, CpuPath.VECTOR, threads, Precision.FLOAT32);
            assertArrayEquals(one.losses, many.losses, "float32 losses, 1 and " + threads + " threads");
            assertArrayEquals(one.gradient, many.gradient, "float32 gradient, 1 and " + threads + " threads");
        }
    }

    @Test
    void theReferencePathRefusesFloat32() {
        Setup s = setup("helmholtz2d", CoefficientUnits.CELL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JavaBackend(s.field, s.problem, 2, CpuPath.REFERENCE, Precision.FLOAT32));
        assertTrue(e.getMessage().contains("training.precision float32") && e.getMessage().contains("reference"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"helmholtz2d", "helmholtz2d-fd", "taylorgreen-fd"})
    void anyThreadCountGivesTheSameBits(String problemName) {
        Setup s = setup(problemName, CoefficientUnits.CELL);
        Step one = step(s, CpuPath.VECTOR, 1);
        for (int threads : new int[]{2, 3}) {
            Step many = step(s, CpuPath.VECTOR, threads);
            assertArrayEquals(one.losses, many.losses, "losses, 1 and " + threads + " threads");
            assertArrayEquals(one.gradient, many.gradient, "gradient, 1 and " + threads + " threads");
        }
    }

    /** An INGP-FD field's derivative channels come from its stencil, on either path. */
    @ParameterizedTest
    @CsvSource({"helmholtz3d", "helmholtz3d-fd"})
    void evaluationAgreesWithTheReference(String problemName) {
        Setup s = setup(problemName, CoefficientUnits.CELL);
        int n = 1000;
        double[] points = new double[n * 3];
        new UniformBoxSampler(s.problem.domain()).sample(new SplittableRandom(9), n, points, 0);
        // the reference path's Hermite encoder writes all the gradients; the linear one the value alone
        Channels[] asked = s.field.stencil() == null
                ? new Channels[]{Channels.valueAndGradient(3), s.problem.channels()}
                : new Channels[]{Channels.valueOnly(), Channels.valueAndGradient(3), s.problem.channels()};
        for (Channels channels : asked) {
            double[][] out = new double[3][n * channels.count()];
            CpuPath[] paths = {CpuPath.REFERENCE, CpuPath.SCALAR, CpuPath.VECTOR};
            for (int i = 0; i < paths.length; i++) {
                try (JavaBackend backend = new JavaBackend(s.field, s.problem, 2, paths[i])) {
                    backend.setParameters(s.params);
                    backend.evaluate(s.params, points, n, channels, 4, out[i]);
                }
            }
            assertArrayEquals(out[1], out[2], channels + ": scalar and vector kernels");
            for (int ch = 0; ch < channels.count(); ch++) {
                double scale = 0;
                for (int p = 0; p < n; p++) {
                    scale = Math.max(scale, Math.abs(out[0][p * channels.count() + ch]));
                }
                for (int p = 0; p < n; p++) {
                    int i = p * channels.count() + ch;
                    assertEquals(out[0][i], out[2][i], TOLERANCE * scale, channels + ": point " + p + " channel " + ch);
                }
            }
        }
    }

    @Test
    void aFiniteDifferenceFieldTakesTheVectorPathLikeAHermiteOne() {
        for (String name : new String[]{"helmholtz2d-fd", "helmholtz2d"}) {
            Setup s = setup(name, CoefficientUnits.CELL);
            try (JavaBackend backend = new JavaBackend(s.field, s.problem, 2)) {
                assertEquals(CpuPath.VECTOR, backend.path(), name + ": the vector path when the JVM has it");
                assertEquals("java:threads=2,vector", backend.description());
            }
        }
    }
}
