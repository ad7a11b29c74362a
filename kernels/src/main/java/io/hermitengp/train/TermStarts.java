package io.hermitengp.train;

import io.hermitengp.config.TrainConfig;

import java.util.List;

/**
 * When each loss term joins the loss ({@code loss_weights.start_steps}): term k is in the loss at
 * counted step t when {@code t >= start_k}. Before that its weight in the step is 0, so it adds
 * nothing to the loss or the gradient, and balancing leaves its weight alone, so it joins with its
 * configured weight. The warm-up steps come before counted step 0, so only the terms that start
 * at 0 are in their loss.
 *
 * <p>The weights a step applies are {@code w_k} for the terms in the loss and 0 for the others;
 * the backends see only these, and the run's state keeps {@code w_k} itself. Which terms are in
 * follows from the step alone, so a resumed run applies the same weights as the uninterrupted one.
 */
final class TermStarts {
    private final long[] start;   // per term: the first counted step it is in the loss

    private TermStarts(long[] start) {
        this.start = start;
    }

    static TermStarts of(TrainConfig.LossWeights weights, List<String> termNames) {
        return new TermStarts(termNames.stream().mapToLong(weights::startStep).toArray());
    }

    /**
     * Which terms are in the loss at counted step {@code step} (a warm-up step is step 0).
     *
     * @param out receives one flag per term
     */
    void inLoss(long step, boolean[] out) {
        for (int k = 0; k < start.length; k++) {
            out[k] = step >= start[k];
        }
    }

    /** {@code out_k = weights_k} for the terms in the loss, 0 for the others. */
    static void applied(double[] weights, boolean[] inLoss, double[] out) {
        for (int k = 0; k < weights.length; k++) {
            out[k] = inLoss[k] ? weights[k] : 0.0;
        }
    }
}
