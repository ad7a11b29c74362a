package io.hermitengp.optim;

/**
 * Learning rate {@code lr(t) = lr_0 * rate^(t / steps)}, smooth (not staircase); rate 1 keeps it
 * constant.
 */
public record ExponentialDecay(double initial, double rate, int steps) {
    public ExponentialDecay {
        if (!(initial > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + initial);
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("decay rate must be in (0, 1], got " + rate);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("decay steps must be >= 1, got " + steps);
        }
    }

    public double at(long step) {
        return initial * Math.pow(rate, (double) step / steps);
    }
}
