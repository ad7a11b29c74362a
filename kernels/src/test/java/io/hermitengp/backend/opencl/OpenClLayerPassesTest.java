package io.hermitengp.backend.opencl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.ShrunkConfigs;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.Precision;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network's two shapes on one device, the POINT pass (one work item per point) and the layer
 * passes (ENCODE, FORWARD, SEED, BACKWARD: one work item per point and block of 8 units), compute
 * the same sums in the same order: ten training steps and an evaluation give the same bits in
 * float64 and in float32, on residual forms with one and three outputs, in 2D and 3D, and on
 * widths that leave partial blocks (hidden 13 and 12, encodings of 12 and 16 numbers).
 */
class OpenClLayerPassesTest {
    private static final int POINTS_PER_TERM = 40;
    private static final int STEPS = 10;

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    /** What a run leaves: every step's term losses, the last gradient, the parameters and an evaluation. */
    private record Run(double[][] losses, double[] gradient, double[] params, double[] evaluation) {
    }

    private static Run run(NeuralField field, Problem problem, double[] initial, Precision precision, boolean layers) {
        int terms = problem.terms().size();
        int[] counts = new int[terms];
        Arrays.fill(counts, POINTS_PER_TERM);
        double[] weights = new double[terms];
        Arrays.fill(weights, 1.5);
        int levels = field.encoding().layout().levels();
        double[][] losses = new double[STEPS][terms];
        Adam adam = new Adam(0.9, 0.99, 1e-15);
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", terms * POINTS_PER_TERM, precision)) {
            cl.useLayerPasses(layers);
            assertEquals(layers, cl.layerPasses());
            cl.setParameters(initial);
            for (int step = 0; step < STEPS; step++) {
                CollocationBatch batch = CollocationBatch.sample(problem, counts, new SplittableRandom(100 + step));
                cl.computeGradient(batch, weights, levels, losses[step]);
                cl.adamUpdate(adam, List.of(new AdamSegment(0, field.parameterCount(), 0.01, step + 1)));
            }
            double[] gradient = cl.gradient();
            int dims = field.dims();
            int n = 3 * terms * POINTS_PER_TERM + 7;   // chunks of the capacity, the last one short
            double[] points = new double[n * dims];
            new UniformBoxSampler(problem.domain()).sample(new SplittableRandom(5), n, points, 0);
            Channels channels = Channels.valueAndGradient(dims);
            double[] out = new double[n * channels.count() * field.outputs()];
            cl.evaluate(points, n, channels, levels, out);
            long[] nanos = cl.passNanos();
            int ran = layers ? HermiteTrainingKernel.FORWARD : HermiteTrainingKernel.POINT;
            int idle = layers ? HermiteTrainingKernel.POINT : HermiteTrainingKernel.FORWARD;
            assertTrue(nanos[ran] > 0 && nanos[idle] == 0, "passes that ran: " + Arrays.toString(nanos));
            return new Run(losses, gradient, cl.parameters(), out);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"helmholtz2d-small.json, FLOAT64, ", "helmholtz2d-small.json, FLOAT32, ",
        "helmholtz2d-small.json, FLOAT64, 13 12", "helmholtz2d-small.json, FLOAT32, 13 12",
        "taylor-green-nu0.01.json, FLOAT64, ", "taylor-green-nu0.01.json, FLOAT32, ",
        "sdf-small.json, FLOAT64, ", "helmholtz3d-a3.json, FLOAT64, ", "helmholtz3d-a3.json, FLOAT32, "})
    void layerPassesGiveThePointPasssBits(String name, Precision precision, String hidden) {
        ObjectNode tree = ShrunkConfigs.shrunk("/configs/" + name, POINTS_PER_TERM);
        if (hidden != null) {
            var widths = ((ObjectNode) tree.get("network")).putArray("hidden");
            Arrays.stream(hidden.split(" ")).mapToInt(Integer::parseInt).forEach(widths::add);
        }
        TrainConfig config = ConfigReader.readTrainConfig(tree.toString(), name);
        Problem problem = config.problem().create(2);
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] initial = FieldArchitecture.initialParameters(config, field);
        Run point = run(field, problem, initial, precision, false);
        Run layers = run(field, problem, initial, precision, true);
        for (int step = 0; step < STEPS; step++) {
            assertArrayEquals(point.losses()[step], layers.losses()[step], name + ": term losses at step " + step);
        }
        assertArrayEquals(point.gradient(), layers.gradient(), name + ": last gradient");
        assertArrayEquals(point.params(), layers.params(), name + ": parameters");
        assertArrayEquals(point.evaluation(), layers.evaluation(), name + ": evaluation");
        assertFalse(Arrays.equals(initial, layers.params()), name + ": did not train");
        assertTrue(Arrays.stream(layers.gradient()).anyMatch(g -> g != 0.0), name + ": no gradient");
    }
}
