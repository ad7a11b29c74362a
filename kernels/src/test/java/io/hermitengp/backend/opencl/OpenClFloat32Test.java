package io.hermitengp.backend.opencl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.ShrunkConfigs;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code training.precision: float32} on the OpenCL device:
 * <ul>
 *   <li>one step of every shipped config (shrunk, as in {@link OpenClProblemsTest}) against the
 *       device's float64 step: term losses and every parameter group's gradient within
 *       {@link #TOLERANCE} of the group's largest magnitude, the bound the CPU's float32 path is
 *       held to; and not equal to it, so the step ran in float;</li>
 *   <li>300 steps of the small Helmholtz config reach float64's final loss and error within 50%,
 *       as on the CPU ({@code Float32TrainingTest});</li>
 *   <li>two float32 runs give the same bits;</li>
 *   <li>evaluation is double: a float32 backend evaluates given parameters to the float64
 *       backend's bits.</li>
 * </ul>
 * A batch of float32 fields against each trained alone is in {@link OpenClFieldBatchTest}.
 */
class OpenClFloat32Test {
    private static final int POINTS_PER_TERM = 40;
    private static final double TOLERANCE = 1e-4;

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    private record Step(double[] losses, double[] gradient, String description) {
    }

    private static Step step(NeuralField field, Problem problem, double[] params, CollocationBatch batch,
                             double[] weights, Precision precision) {
        int terms = problem.terms().size();
        double[] losses = new double[terms];
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", batch.size(), precision)) {
            cl.setParameters(params);
            cl.computeGradient(batch, weights, field.encoding().layout().levels(), losses);
            return new Step(losses, cl.gradient(), cl.description());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hermitengp.backend.opencl.OpenClProblemsTest#configs")
    void oneStepAgreesWithFloat64WithinFloatRounding(String name) {
        ObjectNode tree = ShrunkConfigs.shrunk("/configs/" + name, POINTS_PER_TERM);
        TrainConfig config = ConfigReader.readTrainConfig(tree.toString(), name);
        Problem problem = config.problem().create(2);
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] params = FieldArchitecture.initialParameters(config, field);
        int terms = problem.terms().size();
        int[] counts = new int[terms];
        Arrays.fill(counts, POINTS_PER_TERM);
        CollocationBatch batch = CollocationBatch.sample(problem, counts, new SplittableRandom(11));
        double[] weights = new double[terms];
        for (int k = 0; k < terms; k++) {
            weights[k] = 0.5 + k;
        }
        Step double64 = step(field, problem, params, batch, weights, Precision.FLOAT64);
        Step single = step(field, problem, params, batch, weights, Precision.FLOAT32);
        assertTrue(single.description().startsWith("opencl:") && single.description().endsWith(",float32"),
                single.description());
        assertFalse(double64.description().contains("float32"), double64.description());
        for (int k = 0; k < terms; k++) {
            assertEquals(double64.losses()[k], single.losses()[k], TOLERANCE * double64.losses()[k],
                    name + ": loss of term " + problem.terms().get(k).name());
        }
        HermiteGridLayout layout = field.encoding().layout();
        for (int l = 0; l < layout.levels(); l++) {
            assertGroupClose(double64.gradient(), single.gradient(), field.encodingOffset() + layout.levelStart(l),
                    field.encodingOffset() + layout.levelEnd(l), name + ": level " + l + " tables");
        }
        SirenNetwork net = field.network();
        for (int k = 0; k < net.layers(); k++) {
            int w = field.networkOffset() + net.weightOffset(k);
            int b = field.networkOffset() + net.biasOffset(k);
            assertGroupClose(double64.gradient(), single.gradient(), w, b, name + ": layer " + k + " weights");
            assertGroupClose(double64.gradient(), single.gradient(), b, b + net.width(k),
                    name + ": layer " + k + " biases");
        }
        assertFalse(Arrays.equals(double64.gradient(), single.gradient()), name + ": float32 ran in double");
    }

    /** {@code actual[from, to)} within {@link #TOLERANCE} of the largest magnitude of {@code expected[from, to)}. */
    private static void assertGroupClose(double[] expected, double[] actual, int from, int to, String what) {
        double scale = 0.0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        for (int i = from; i < to; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * scale)) {
                fail(what + "[" + (i - from) + "]: float64 " + expected[i] + ", float32 " + actual[i]
                        + " (group's largest " + scale + ")");
            }
        }
    }

    @Test
    void float32EvaluatesInDouble() {
        TrainConfig config = small("opencl", Precision.FLOAT32, 1);
        Problem problem = config.problem().create(2);
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] params = FieldArchitecture.initialParameters(config, field);
        int n = 1000;
        double[] points = new double[n * 2];
        new UniformBoxSampler(problem.domain()).sample(new SplittableRandom(3), n, points, 0);
        Channels channels = Channels.valueAndGradient(2);
        double[][] out = new double[2][n * channels.count()];
        Precision[] precisions = {Precision.FLOAT64, Precision.FLOAT32};
        for (int i = 0; i < 2; i++) {
            try (OpenClBackend cl = new OpenClBackend(field, problem, "", 64, precisions[i])) {
                cl.setParameters(params);
                cl.evaluate(points, n, channels, field.encoding().layout().levels(), out[i]);
            }
        }
        assertArrayEquals(out[0], out[1], "float32's evaluation against float64's");
        assertTrue(Arrays.stream(out[1]).anyMatch(v -> v != 0.0), "nothing evaluated");
    }

    private static TrainConfig small(String backend, Precision precision, long steps) {
        TrainConfig c;
        try (InputStream in = OpenClFloat32Test.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            c = ConfigReader.readTrainConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8), "small");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.withTraining(c.training().withSteps(steps).withThreads(2).withPrecision(precision)
                .withBackend(new TrainConfig.Backend(backend, "")));
    }

    private static TrainingResult train(TrainConfig config) {
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(2))) {
            return fit.train(ProgressListener.NONE);
        }
    }

    @Test
    void float32ReachesFloat64sLossAndError() {
        TrainingResult double64 = train(small("java", Precision.FLOAT64, 300));
        TrainingResult single = train(small("opencl", Precision.FLOAT32, 300));
        assertEquals(TrainingStatus.OK, single.status(), single.message());
        assertTrue(single.backend().startsWith("opencl:") && single.backend().endsWith(",float32"),
                single.backend());
        assertTrue(double64.finalLoss() < 0.2 * double64.lossCurve()[0], "float64 did not train");
        assertEquals(1.0, single.finalLoss() / double64.finalLoss(), 0.5,
                "final loss, float32 " + single.finalLoss() + " against float64 " + double64.finalLoss());
        assertEquals(1.0, single.relL2() / double64.relL2(), 0.5,
                "rel L2, float32 " + single.relL2() + " against float64 " + double64.relL2());
    }

    @Test
    void twoFloat32RunsGiveIdenticalBits() {
        TrainingResult first = train(small("opencl", Precision.FLOAT32, 30));
        TrainingResult second = train(small("opencl", Precision.FLOAT32, 30));
        assertArrayEquals(first.lossCurve(), second.lossCurve(), "loss curve");
        assertArrayEquals(first.parameters(), second.parameters(), "parameters");
    }
}
