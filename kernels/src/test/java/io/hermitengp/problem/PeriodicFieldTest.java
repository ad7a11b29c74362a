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

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Convection's field is built periodic in x: value and every derivative agree at x = 0 and x = 2 pi. */
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
}
