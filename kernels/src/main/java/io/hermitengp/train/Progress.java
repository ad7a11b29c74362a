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

    /** A duration as progress lines print it: {@code 42s}, {@code 3m07s}, {@code 1h05m}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
