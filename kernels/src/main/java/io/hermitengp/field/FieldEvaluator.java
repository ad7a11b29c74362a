package io.hermitengp.field;

import io.hermitengp.network.SirenActivations;

/**
 * Evaluates a field at points, one point at a time, with its own working memory: the plain
 * sequential reference of the forward pass. Not thread-safe; use one per thread.
 */
public final class FieldEvaluator {
    private final NeuralField field;
    private final Channels channels;
    private final double[] encoded;          // (1, C, L*F)
    private final SirenActivations acts;

    public FieldEvaluator(NeuralField field, Channels channels) {
        if (field.stencil() != null && channels.count() > 1) {
            throw new IllegalArgumentException("this field takes derivatives by finite differences; evaluate its "
                    + "derivative channels through a backend");
        }
        field.encoding().requireChannels(channels);
        this.field = field;
        this.channels = channels;
        this.encoded = new double[channels.count() * field.encoding().outputWidth()];
        this.acts = new SirenActivations(field.network(), 1, channels.count());
    }

    public Channels channels() {
        return channels;
    }

    /**
     * Evaluates the field at one point.
     *
     * @param out receives {@code C * outputs} numbers, layout (C, outputs)
     */
    public void evaluate(double[] params, double[] x, int activeLevels, double[] out) {
        field.encoding().forward(params, field.encodingOffset(), x, 0, activeLevels, channels, encoded, 0);
        field.network().forward(params, field.networkOffset(),
                field.network().transposedWeights(params, field.networkOffset()), encoded, 0, channels, acts);
        System.arraycopy(acts.output(), 0, out, 0, channels.count() * field.outputs());
    }
}
