package io.hermitengp.optim;

/**
 * A range {@code [from, to)} of the parameter buffer updated by one Adam step with its own
 * learning rate and its own 1-based update count (for bias correction).
 */
public record AdamSegment(int from, int to, double learningRate, long step) {
    public AdamSegment {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad parameter range [" + from + ", " + to + ")");
        }
        if (step < 1) {
            throw new IllegalArgumentException("Adam step counts start at 1, got " + step);
        }
    }
}
