package io.hermitengp.train;

/**
 * A snapshot of a running training, handed to a {@link ProgressListener}.
 *
 * @param step        steps done
 * @param totalSteps  the step budget
 * @param seconds     training time so far (evaluation excluded)
 * @param loss        the weighted total loss of the last step
 * @param relL2       latest measured relative L2 error (NaN before the first evaluation)
 * @param msPerStep   mean training time per step
 * @param etaSeconds  estimated time left under the step and time budgets
 */
public record Progress(long step, long totalSteps, double seconds, double loss, double relL2, double msPerStep,
                       double etaSeconds, int activeLevels) {
}
