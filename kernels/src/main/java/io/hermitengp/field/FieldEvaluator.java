package io.hermitengp.field;

import io.hermitengp.network.ScalarTileKernels;
import io.hermitengp.network.SirenActivations;

/**
 * Evaluates a field at points, one point at a time, with its own working memory. Not thread-safe;
 * use one per thread.
 *
 * <p>It computes what the CPU backend computes for the field: a field the tiled path runs
 * (Hermite, or an INGP-FD field's value) through {@link TiledForward} (with the scalar kernels,
 * which give the vector kernels' bits), any other through the reference forward pass
 * ({@link io.hermitengp.encoding.Encoding#forward}, {@link io.hermitengp.network.SirenNetwork#forward}).
 * So a stored field evaluates to the numbers its training measured, wherever it is evaluated.
 */
public final class FieldEvaluator {
    private final NeuralField field;
    private final Channels channels;
    private final TiledForward tiled;        // null for a field the tiled path does not run
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
        this.tiled = TiledForward.supports(field) ? new TiledForward(field, new ScalarTileKernels(), channels.count())
                : null;
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
        evaluate(params, field.network().transposedWeights(params, field.networkOffset()), x, activeLevels, out);
    }

    /**
     * Evaluates the field at one point with the network's transposed weights already made
     * ({@code field.network().transposedWeights(params, field.networkOffset())}): a caller that
     * evaluates many points of fixed parameters makes them once, not once per point.
     *
     * @param out receives {@code C * outputs} numbers, layout (C, outputs)
     */
    public void evaluate(double[] params, double[] transposed, double[] x, int activeLevels, double[] out) {
        if (tiled != null) {
            tiled.run(params, transposed, x, 0, 1, activeLevels, channels);
            System.arraycopy(tiled.output(), 0, out, 0, channels.count() * field.outputs());
            return;
        }
        field.encoding().forward(params, field.encodingOffset(), x, 0, activeLevels, channels, encoded, 0);
        field.network().forward(params, field.networkOffset(), transposed, encoded, 0, channels, acts);
        System.arraycopy(acts.output(), 0, out, 0, channels.count() * field.outputs());
    }
}
