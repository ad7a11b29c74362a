package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.loss.CollocationBatch;

import java.util.List;

/**
 * When and how a run's loss weights are balanced ({@link LossBalancer} holds the arithmetic):
 * {@code grad_norm} before counted steps 0, N, 2N, ...; {@code grad_ratio} before steps N-1,
 * 2N-1, ... (the reference code updates at the end of every N-th step's forward pass); never
 * with fixed weights. Only the terms in the loss at the step ({@link TermStarts}) are measured and
 * moved; a term not yet in it keeps its configured weight until it joins.
 */
final class Balancing {
    private final String mode;
    private final int every;
    private final int reference;
    private final double[] lo;
    private final double[] hi;

    private Balancing(String mode, int every, int reference, double[] lo, double[] hi) {
        this.mode = mode;
        this.every = every;
        this.reference = reference;
        this.lo = lo;
        this.hi = hi;
    }

    static Balancing of(TrainConfig.LossWeights weights, List<String> termNames) {
        if (!weights.mode().equals(TrainConfig.LossWeights.GRAD_RATIO)) {
            return new Balancing(weights.mode(), weights.updateEvery(), -1, null, null);
        }
        double[] lo = termNames.stream().mapToDouble(n -> weights.minWeights().get(n)).toArray();
        double[] hi = termNames.stream().mapToDouble(n -> weights.maxWeights().get(n)).toArray();
        return new Balancing(weights.mode(), weights.updateEvery(), termNames.indexOf(weights.reference()), lo, hi);
    }

    /**
     * Balances {@code weights} in place if counted step {@code step} is due.
     *
     * @param inLoss per term, whether it is in the loss at this step
     */
    void beforeStep(long step, TrainingBackend backend, CollocationBatch batch, int fedLevels, double[] weights,
                    boolean[] inLoss) {
        switch (mode) {
            case TrainConfig.LossWeights.GRAD_NORM -> {
                if (step % every == 0) {
                    LossBalancer.gradNorm(backend, batch, fedLevels, weights, inLoss);
                }
            }
            case TrainConfig.LossWeights.GRAD_RATIO -> {
                if ((step + 1) % every == 0) {
                    LossBalancer.gradRatio(backend, batch, fedLevels, weights, inLoss, reference, lo, hi);
                }
            }
            default -> {
            }
        }
    }
}
