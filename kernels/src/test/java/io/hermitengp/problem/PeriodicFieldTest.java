package io.hermitengp.problem;

import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.field.FieldEvaluator;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fields built periodic: convection's in x, and Taylor-Green's in x and y with
 * {@code spatial_boundary: periodic}; value and every derivative agree on opposite faces.
 */
class PeriodicFieldTest {

    @Test
    void convectionFieldIsPeriodicInXForAnyParameters() {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"convection\"},"
                + "\"encoding\": {\"levels\": 6, \"n_max\": 300, \"log2_table_sizes\": [10, 10, 8]}}", "test");
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] params = field.initialParameters(4, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);   // far from zero: a real test
        Channels channels = Channels.valueAndGradient(2);
        FieldEvaluator evaluator = new FieldEvaluator(field, channels);
        double[] left = new double[channels.count()];
        double[] right = new double[channels.count()];
        SplittableRandom random = new SplittableRandom(2);
        for (int trial = 0; trial < 20; trial++) {
            double t = random.nextDouble();
            evaluator.evaluate(params, new double[]{0, t}, 6, left);
            evaluator.evaluate(params, new double[]{2 * Math.PI, t}, 6, right);
            for (int ch = 0; ch < channels.count(); ch++) {
                assertEquals(left[ch], right[ch], 1e-9 * (1 + Math.abs(left[ch])), "channel " + ch + " at t = " + t);
            }
        }
    }

    @Test
    void taylorGreenFieldWithPeriodicSpatialBoundaryIsPeriodicInXAndY() {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"taylor_green\","
                + " \"spatial_boundary\": \"periodic\"}, \"encoding\": {\"levels\": 4, \"n_min\": 4, \"n_max\": 40,"
                + " \"log2_table_sizes\": [10, 10, 10, 8]}}", "test");
        Problem problem = config.problem().create();
        assertEquals(0b011, problem.periodicAxes());
        assertEquals(List.of("residual", "initial"), problem.terms().stream().map(LossTerm::name).toList(),
                "no boundary term: the field holds the condition");
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        double[] params = field.initialParameters(4, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);
        Channels channels = Channels.valueAndGradient(3);
        int size = channels.count() * problem.outputs();
        FieldEvaluator evaluator = new FieldEvaluator(field, channels);
        double[] first = new double[size];
        double[] second = new double[size];
        double period = 2 * Math.PI;
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            double s = period * random.nextDouble();
            double t = random.nextDouble();
            evaluator.evaluate(params, new double[]{0, s, t}, 4, first);
            evaluator.evaluate(params, new double[]{period, s, t}, 4, second);
            for (int k = 0; k < size; k++) {
                assertEquals(first[k], second[k], 1e-9 * (1 + Math.abs(first[k])), "x faces, entry " + k + " at y = " + s);
            }
            evaluator.evaluate(params, new double[]{s, 0, t}, 4, first);
            evaluator.evaluate(params, new double[]{s, period, t}, 4, second);
            for (int k = 0; k < size; k++) {
                assertEquals(first[k], second[k], 1e-9 * (1 + Math.abs(first[k])), "y faces, entry " + k + " at x = " + s);
            }
        }
        evaluator.evaluate(params, new double[]{0, 0.3, 0}, 4, first);
        evaluator.evaluate(params, new double[]{0, 0.3, 1}, 4, second);
        assertTrue(Math.abs(first[0] - second[0]) > 1e-6, "time is not periodic: " + first[0] + " vs " + second[0]);
    }
}
