package io.hermitengp.problem;

import io.hermitengp.field.Channels;

/** Evaluates the field being trained, as it stands, at any points. */
@FunctionalInterface
public interface FieldProbe {
    /**
     * @param points (n, d) row-major
     * @param out    receives (n, C, outputs) row-major
     */
    void evaluate(double[] points, int n, Channels channels, double[] out);

    /**
     * Whether {@link #evaluate} takes {@link Channels#valueOnly()} for this field. A Hermite
     * encoding's reference evaluation writes the value and every gradient whatever is asked, so
     * only a probe that evaluates through the tiled forward pass (which encodes the value alone
     * in a quarter of the rows) says yes. A caller that needs values alone (a surface's grid)
     * asks for value and gradient when the answer is no, and reads the value channel either way:
     * the value channel is the same bits with or without the gradient beside it.
     */
    default boolean evaluatesValueOnly() {
        return false;
    }

    /** The channels to ask for when only the values are needed, at points of {@code dims} coordinates. */
    default Channels valueChannels(int dims) {
        return evaluatesValueOnly() ? Channels.valueOnly() : Channels.valueAndGradient(dims);
    }
}
