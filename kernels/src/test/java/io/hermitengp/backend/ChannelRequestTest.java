package io.hermitengp.backend;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.FieldEvaluator;
import io.hermitengp.field.NeuralField;
import io.hermitengp.geometry.Box;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.HelmholtzProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Hermite field evaluated for channels other than its own axes: an IllegalArgumentException
 * naming both, never an index error or numbers in the wrong channel. The value alone is the one
 * exception on the tiled paths, whose encoder writes it without the gradient: the same bits as the
 * value channel of a full evaluation.
 */
class ChannelRequestTest {
    private static final Box BOX = Box.cube(2, -1, 1);

    private static NeuralField field() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 3, 2, 4, 16, new int[]{10, 10, 8});
        return new NeuralField(new HermiteHashEncoding(layout, BOX, CoefficientUnits.CELL),
                new SirenNetwork(layout.outputWidth(), new int[]{8}, 1, 30, 30));
    }

    @Test
    void theBackendRefusesFewerAndMoreGradientAxesThanTheField() {
        NeuralField field = field();
        double[] params = field.initialParameters(1, TableInit.uniform(0.1), BiasInit.FAN_IN_SQRT);
        double[] points = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6};
        // 1 axis (under-allocates), 3 axes with a Laplacian (mis-indexes)
        Channels[] wrong = {Channels.valueAndGradient(1), Channels.withFullLaplacian(3)};
        try (JavaBackend backend = new JavaBackend(field, new HelmholtzProblem(BOX, 1, 1), 2)) {
            for (Channels channels : wrong) {
                double[] out = new double[3 * 6];
                Arrays.fill(out, -5.0);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> backend.evaluate(params, points, 3, channels, 3, out), channels.toString());
                assertTrue(e.getMessage().contains(channels.toString()) && e.getMessage().contains("2D Hermite"),
                        e.getMessage());
                for (double v : out) {
                    assertEquals(-5.0, v, 0.0, channels + ": output written before the refusal");
                }
            }
            double[] out = new double[3 * 4];
            backend.evaluate(params, points, 3, Channels.withFullLaplacian(2), 3, out);   // the field's own axes
            assertTrue(Arrays.stream(out).allMatch(Double::isFinite), Arrays.toString(out));
        }
    }

    @Test
    void theReferencePathRefusesTheValueAloneAndTheTiledPathsGiveTheValueChannelsBits() {
        NeuralField field = field();
        double[] params = field.initialParameters(1, TableInit.uniform(0.1), BiasInit.FAN_IN_SQRT);
        int n = 1000;   // several evaluation tasks and tiles
        double[] points = new double[2 * n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < points.length; i++) {
            points[i] = random.nextDouble(-1, 1);
        }
        try (JavaBackend reference = new JavaBackend(field, new HelmholtzProblem(BOX, 1, 1), 2, CpuPath.REFERENCE)) {
            assertFalse(reference.evaluatesValueOnly());
            double[] out = new double[n];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> reference.evaluate(params, points, n, Channels.valueOnly(), 3, out));
            assertTrue(e.getMessage().contains("2D Hermite"), e.getMessage());
        }
        for (CpuPath path : new CpuPath[]{CpuPath.SCALAR, CpuPath.fastestTiled()}) {
            try (JavaBackend backend = new JavaBackend(field, new HelmholtzProblem(BOX, 1, 1), 2, path)) {
                assertTrue(backend.evaluatesValueOnly(), path.label());
                assertTrue(backend.probe(3).evaluatesValueOnly(), path.label());
                double[] full = new double[3 * n];
                double[] values = new double[n];
                backend.evaluate(params, points, n, Channels.valueAndGradient(2), 3, full);
                backend.evaluate(params, points, n, Channels.valueOnly(), 3, values);
                for (int p = 0; p < n; p++) {
                    assertEquals(full[3 * p + Channels.VALUE], values[p], 0.0, path.label() + ": value of point " + p);
                }
            }
        }
    }

    @Test
    void thePointEvaluatorRefusesThemWhenBuilt() {
        NeuralField field = field();
        for (Channels channels : new Channels[]{Channels.valueOnly(), Channels.valueAndGradient(3)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FieldEvaluator(field, channels));
            assertTrue(e.getMessage().contains("asked for " + channels), e.getMessage());
        }
    }
}
