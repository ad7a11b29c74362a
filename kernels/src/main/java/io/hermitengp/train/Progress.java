package io.hermitengp.train;

import java.util.List;
import java.util.Locale;

/**
 * A snapshot of a running training, handed to a {@link ProgressListener}.
 *
 * @param step        steps done
 * @param totalSteps  the step budget
 * @param seconds     training time so far (evaluation excluded)
 * @param loss        the weighted total loss of the last step
 * @param relL2       latest measured relative L2 error (NaN before the first evaluation)
 * @param msPerStep   the run's pace: mean training time of its last steps in this process (at most
 *                    {@value StepPace#WINDOW}; the run's whole mean is in its result)
 * @param etaSeconds  time left under the step and time budgets, at that pace
 * @param activeLevels the levels trained at the last step (the curriculum's active levels)
 * @param termNames   the loss terms, in the problem's order
 * @param termLosses  each term's unweighted loss at the last step
 * @param termWeights each term's weight in the last step's loss (0 for a term not yet in it), so that
 *                    {@code loss} is the sum of their products: how a balancing rule moves the
 *                    weights shows here while a long run goes on
 */
public record Progress(long step, long totalSteps, double seconds, double loss, double relL2, double msPerStep,
                       double etaSeconds, int activeLevels, List<String> termNames, double[] termLosses,
                       double[] termWeights) {

    /**
     * The loss by term as progress lines print it, each term's unweighted loss and its weight:
     * {@code residual 1.234e-02 x 1, boundary 5.678e-06 x 2.47e+04} (a whole weight below 10^4 as
     * it is: {@code x 5000}).
     */
    public String terms() {
        StringBuilder line = new StringBuilder();
        for (int k = 0; k < termNames.size(); k++) {
            line.append(k == 0 ? "" : ", ").append(termNames.get(k))
                    .append(String.format(Locale.ROOT, " %.3e x %s", termLosses[k], weight(termWeights[k])));
        }
        return line.toString();
    }

    private static String weight(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e4 ? String.valueOf((long) w) : String.format(Locale.ROOT, "%.2e", w);
    }

    /** A duration as progress lines print it: {@code 42s}, {@code 3m07s}, {@code 1h05m}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
