package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.field.Channels;
import io.hermitengp.loss.CollocationBatch;
import org.junit.jupiter.api.Test;

import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GradNormBalancerTest {

    /** A backend whose term k has the gradient (3, 4) * (k == 0 ? 1 : 0.2): norms 5 and 1. */
    private static final class FixedGradients implements TrainingBackend {
        private double norm;

        @Override
        public String description() {
            return "fixed";
        }

        @Override
        public void setParameters(double[] params) {
        }

        @Override
        public double[] parameters() {
            return new double[0];
        }

        @Override
        public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels,
                                    double[] termLosses) {
            double scale = termWeights[0] * 1.0 + termWeights[1] * 0.2;
            norm = Math.hypot(3 * scale, 4 * scale);
        }

        @Override
        public double gradientNorm() {
            return norm;
        }

        @Override
        public void adamUpdate(Adam adam, List<AdamSegment> segments) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void evaluate(double[] points, int n, Channels channels, int activeLevels, double[] out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void weightsMoveATenthOfTheWayToMeanNormOverTermNorm() {
        CollocationBatch batch = new CollocationBatch(2, new double[4], new int[]{0, 1, 2});
        double[] weights = {1.0, 2.0};
        GradNormBalancer.update(new FixedGradients(), batch, 1, weights);
        // norms 5 and 1, mean 3: targets 0.6 and 3
        assertEquals(0.9 * 1.0 + 0.1 * 0.6, weights[0], 1e-15);
        assertEquals(0.9 * 2.0 + 0.1 * 3.0, weights[1], 1e-15);
    }
}
