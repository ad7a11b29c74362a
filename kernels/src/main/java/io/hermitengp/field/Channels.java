package io.hermitengp.field;

/**
 * The derivative channels carried with every field value: the value itself, its gradient with
 * respect to each of the d input axes, and optionally {@code Lap_S u = sum_{i in S} d2u/dx_i2}
 * over an axis set S (a bit mask). When S is empty the Laplacian channel does not exist at all,
 * so problems that need no second derivatives (SDF, convection) pay nothing for it.
 *
 * <p>Channel order: {@code 0} value, {@code 1..d} gradient, {@code d+1} Laplacian (if present).
 *
 * <p>An encoding with analytic derivatives writes the value and every one of its d gradients, so
 * it accepts only channels with {@code dims = d}: fewer would leave a point's buffer too short
 * for what is written, more would put the Laplacian where the channels expect a gradient
 * ({@link io.hermitengp.encoding.Encoding#requireChannels}).
 *
 * @param dims           number of gradient channels: the input dimension d, or 0 for the value alone
 * @param laplacianAxes  bit mask of the axes summed in the Laplacian channel; 0 for none
 */
public record Channels(int dims, int laplacianAxes) {
    public static final int VALUE = 0;

    public Channels {
        if (dims < 0 || dims > 3) {
            throw new IllegalArgumentException("dims must be 0..3, got " + dims);
        }
        if ((laplacianAxes & ~((1 << dims) - 1)) != 0) {
            throw new IllegalArgumentException("laplacian axes mask " + laplacianAxes + " names axes beyond " + dims);
        }
    }

    /** The value alone, no derivative channel (what a finite-difference field evaluates per stencil point). */
    public static Channels valueOnly() {
        return new Channels(0, 0);
    }

    /** Value and gradient only. */
    public static Channels valueAndGradient(int dims) {
        return new Channels(dims, 0);
    }

    /** Value, gradient and the Laplacian over every axis. */
    public static Channels withFullLaplacian(int dims) {
        return new Channels(dims, (1 << dims) - 1);
    }

    public boolean hasLaplacian() {
        return laplacianAxes != 0;
    }

    public boolean inLaplacian(int axis) {
        return (laplacianAxes >> axis & 1) != 0;
    }

    /** Number of channels C. */
    public int count() {
        return 1 + dims + (hasLaplacian() ? 1 : 0);
    }

    public static int gradient(int axis) {
        return 1 + axis;
    }

    /** Index of the Laplacian channel (only meaningful when {@link #hasLaplacian()}). */
    public int laplacian() {
        return 1 + dims;
    }

    /** What the channels hold, for messages: e.g. {@code value + 3 gradients + Laplacian over x,z (5 channels)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("value");
        if (dims > 0) {
            s.append(" + ").append(dims).append(dims == 1 ? " gradient" : " gradients");
        }
        if (hasLaplacian()) {
            s.append(" + Laplacian over ");
            String separator = "";
            for (int axis = 0; axis < dims; axis++) {
                if (inLaplacian(axis)) {
                    s.append(separator).append("xyz".charAt(axis));
                    separator = ",";
                }
            }
        }
        return s.append(" (").append(count()).append(count() == 1 ? " channel)" : " channels)").toString();
    }
}
