package io.hermitengp.backend;

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
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batched, multithreaded evaluation equals the plain one-point evaluator bit for bit. */
class EvaluationAgreementTest {

    @Test
    void batchedEvaluationEqualsThePointEvaluator() {
        Box box = Box.cube(2, -1, 1);
        HermiteGridLayout layout = new HermiteGridLayout(2, 6, 2, 4, 128, new int[]{10, 10, 8});
        NeuralField field = new NeuralField(new HermiteHashEncoding(layout, box, CoefficientUnits.CELL),
                new SirenNetwork(layout.outputWidth(), new int[]{16, 16}, 1, 30, 30));
        double[] params = field.initialParameters(3, TableInit.uniform(0.1), BiasInit.FAN_IN_SQRT);
        int n = 1000;
        double[] points = new double[n * 2];
        new UniformBoxSampler(box).sample(new SplittableRandom(8), n, points, 0);
        Channels channels = Channels.withFullLaplacian(2);
        double[] batched = new double[n * channels.count()];
        try (JavaBackend backend = new JavaBackend(field, new HelmholtzProblem(box, 1, 1), 2)) {
            backend.evaluate(params, points, n, channels, 5, batched);
        }
        FieldEvaluator evaluator = new FieldEvaluator(field, channels);
        double[] single = new double[channels.count()];
        for (int p = 0; p < n; p++) {
            evaluator.evaluate(params, new double[]{points[2 * p], points[2 * p + 1]}, 5, single);
            for (int ch = 0; ch < channels.count(); ch++) {
                assertEquals(single[ch], batched[p * channels.count() + ch], 0.0, "point " + p + " channel " + ch);
            }
        }
    }
}
