package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.field.Channels;
import io.hermitengp.loss.CollocationBatch;
import org.junit.jupiter.api.Test;

import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LossBalancerTest {
    private static final boolean[] BOTH = {true, true};

    /** A backend whose term k has the gradient (3, 4) * (k == 0 ? 1 : 0.2): norms 5 and 1. */
    private static final class FixedGradients implements TrainingBackend {
        private double norm;
        private int gradientPasses;

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
        public void loadParameters(double[] params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[][] optimizerMoments() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restore(double[] params, double[] firstMoment, double[] secondMoment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void startAverage(double decay, double[] initial) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateAverage() {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] average() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels,
                                    double[] termLosses) {
            gradientPasses++;
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
        LossBalancer.gradNorm(new FixedGradients(), batch, 1, weights, BOTH);
        // norms 5 and 1, mean 3: targets 0.6 and 3
        assertEquals(0.9 * 1.0 + 0.1 * 0.6, weights[0], 1e-15);
        assertEquals(0.9 * 2.0 + 0.1 * 3.0, weights[1], 1e-15);
    }

    @Test
    void gradRatioMovesEveryTermButTheReferenceTowardsTheNormRatioWithinItsBounds() {
        CollocationBatch batch = new CollocationBatch(2, new double[4], new int[]{0, 1, 2});
        // norms 5 (reference) and 1: target 5 for term 1
        double[] weights = {1.0, 2.0};
        LossBalancer.gradRatio(new FixedGradients(), batch, 1, weights, BOTH, 0, new double[]{1, 1}, new double[]{1e4, 1e4});
        assertEquals(1.0, weights[0], 0.0, "the reference keeps its weight");
        assertEquals(0.9 * 2.0 + 0.1 * 5.0, weights[1], 1e-15);

        double[] capped = {1.0, 5000.0};
        LossBalancer.gradRatio(new FixedGradients(), batch, 1, capped, BOTH, 0, new double[]{1, 1}, new double[]{1e4, 4000});
        assertEquals(4000.0, capped[1], 0.0, "clamped to the cap");

        double[] floored = {1.0, 0.5};
        LossBalancer.gradRatio(new FixedGradients(), batch, 1, floored, BOTH, 0, new double[]{1, 1}, new double[]{1e4, 1e4});
        assertEquals(1.0, floored[1], 0.0, "0.9 * 0.5 + 0.5 = 0.95, raised to the floor 1");

        // the reference may be any term: term 1 (norm 1) against term 0 (norm 5): target 0.2
        double[] reversed = {3.0, 1.0};
        LossBalancer.gradRatio(new FixedGradients(), batch, 1, reversed, BOTH, 1, new double[]{0, 0}, new double[]{10, 10});
        assertEquals(0.9 * 3.0 + 0.1 * 0.2, reversed[0], 1e-15);
    }

    @Test
    void aTermNotYetInTheLossIsNeitherMeasuredNorMoved() {
        CollocationBatch batch = new CollocationBatch(2, new double[4], new int[]{0, 1, 2});
        boolean[] firstOnly = {true, false};
        FixedGradients backend = new FixedGradients();
        double[] weights = {1.0, 2.0};
        LossBalancer.gradNorm(backend, batch, 1, weights, firstOnly);
        // the mean is over the terms in the loss: norm 5 alone, target 5 / 5
        assertEquals(0.9 * 1.0 + 0.1 * 1.0, weights[0], 1e-15);
        assertEquals(2.0, weights[1], 0.0, "the waiting term keeps its configured weight");
        assertEquals(1, backend.gradientPasses, "only the term in the loss is measured");

        double[] ratio = {1.0, 2.0};
        LossBalancer.gradRatio(backend, batch, 1, ratio, firstOnly, 0, new double[]{1, 1}, new double[]{1e4, 1e4});
        assertEquals(2.0, ratio[1], 0.0, "grad_ratio leaves the waiting term alone");
        assertEquals(2, backend.gradientPasses);
    }
}
