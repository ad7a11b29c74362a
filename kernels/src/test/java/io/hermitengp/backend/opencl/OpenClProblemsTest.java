package io.hermitengp.backend.opencl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.backend.JavaBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.ShrunkConfigs;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped config ({@code data/configs}: Helmholtz 2D and 3D, convection, flow mixing,
 * Taylor-Green, SDFs (the sdf job's base config on a stand-in mesh), Poisson in a mesh, Laplace
 * outside a mesh), and the paper rows of Taylor-Green and the SDF, on the OpenCL device against the
 * Java backend, shrunk to a few dozen points per term and small tables:
 * <ul>
 *   <li>one step's term losses and gradient (every table of the active levels, every layer)
 *       within 1e-9 of each quantity's largest magnitude: the two differ only in sin/cos rounding
 *       and in the tiled path's summation order;</li>
 *   <li>50 training steps with the shipped recipe follow the Java loss curve within 1e-6
 *       relative at every step.</li>
 * </ul>
 */
class OpenClProblemsTest {
    private static final int POINTS_PER_TERM = 40;

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    static Stream<String> configs() {
        List<String> names = ShrunkConfigs.names("/configs");
        assertTrue(names.size() >= 10, "shipped configs: " + names);
        // and the paper rows with settings no other config has: a continuity weight in the
        // residual's constants, fixed points, terms that join the loss late, logistic noise
        return Stream.concat(names.stream(), Stream.of("paper/taylor-green-nu0.01.json", "paper/bunny-sdf.json"));
    }

    private static TrainConfig config(String name, String backend, long steps) {
        ObjectNode tree = ShrunkConfigs.shrunk("/configs/" + name, POINTS_PER_TERM);
        ObjectNode training = (ObjectNode) tree.get("training");
        training.put("steps", steps).put("eval_every", 0).put("threads", 2);
        training.putObject("backend").put("type", backend);
        return ConfigReader.readTrainConfig(tree.toString(), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void oneStepsLossesAndGradientMatchTheJavaBackend(String name) {
        TrainConfig config = config(name, "java", 1);
        Problem problem = config.problem().create(2);
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] params = FieldArchitecture.initialParameters(config, field);
        int terms = problem.terms().size();
        int[] counts = new int[terms];
        java.util.Arrays.fill(counts, POINTS_PER_TERM);
        CollocationBatch batch = CollocationBatch.sample(problem, counts, new SplittableRandom(11));
        double[] weights = new double[terms];
        for (int k = 0; k < terms; k++) {
            weights[k] = 0.5 + k;
        }
        int levels = field.encoding().layout().levels();
        double[] javaLosses = new double[terms];
        double[] clLosses = new double[terms];
        double[] expected = new double[params.length];
        try (JavaBackend java = new JavaBackend(field, problem, 2);
             OpenClBackend cl = new OpenClBackend(field, problem, "", batch.size())) {
            cl.setParameters(params);
            java.lossAndGradient(params, batch, weights, levels, javaLosses, expected);
            cl.computeGradient(batch, weights, levels, clLosses);
            for (int k = 0; k < terms; k++) {
                assertTrue(javaLosses[k] > 0, name + ": term " + problem.terms().get(k).name() + " has no loss");
                assertEquals(javaLosses[k], clLosses[k], 1e-9 * javaLosses[k],
                        name + ": loss of term " + problem.terms().get(k).name());
            }
            double[] actual = cl.gradient();
            HermiteGridLayout layout = field.encoding().layout();
            int d = field.dims();
            for (int l = 0; l < levels; l++) {
                for (int k = 0; k <= d; k++) {
                    int end = k < d ? layout.tableOffset(l, k + 1) : layout.levelEnd(l);
                    if (end > layout.tableOffset(l, k)) {
                        OpenClBackendTest.assertClose(expected, actual, layout.tableOffset(l, k), end,
                                name + ": table gradient level " + l + " order " + k);
                    }
                }
            }
            SirenNetwork net = field.network();
            for (int k = 0; k < net.layers(); k++) {
                int w = field.networkOffset() + net.weightOffset(k);
                int b = field.networkOffset() + net.biasOffset(k);
                OpenClBackendTest.assertClose(expected, actual, w, b, name + ": layer " + k + " weight gradient");
                OpenClBackendTest.assertClose(expected, actual, b, b + net.width(k), name + ": layer " + k + " bias");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void fiftyStepsFollowTheJavaLossCurve(String name) {
        TrainingResult java = train(config(name, "java", 50));
        TrainingResult cl = train(config(name, "opencl", 50));
        assertEquals(TrainingStatus.OK, cl.status(), name + ": " + cl.message());
        assertTrue(cl.backend().startsWith("opencl:"), name + " ran on " + cl.backend());
        assertEquals(java.lossCurve().length, cl.lossCurve().length, name);
        for (int step = 0; step < java.lossCurve().length; step++) {
            double expected = java.lossCurve()[step];
            assertEquals(expected, cl.lossCurve()[step], 1e-6 * expected, name + ": loss at step " + step);
        }
    }

    private static TrainingResult train(TrainConfig config) {
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(2))) {
            return fit.train(ProgressListener.NONE);
        }
    }
}
