package io.hermitengp.problem;

/**
 * One named term of a problem's loss, {@code L_k = mean over its points of sum_c r_c^2}: where its
 * points come from, its residual, and how many points it draws per step unless configured.
 * The name is the key used in configs ({@code training.points}, {@code training.loss_weights})
 * and in reported losses.
 */
public record LossTerm(String name, PointSampler sampler, Residual residual, int defaultPoints) {
    public LossTerm {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a loss term needs a name");
        }
        if (defaultPoints < 1) {
            throw new IllegalArgumentException("loss term '" + name + "' needs a positive default point count");
        }
    }
}
