package io.hermitengp.train;

import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.field.FieldEvaluator;
import io.hermitengp.field.FiniteDifferenceStencil;
import io.hermitengp.field.NeuralField;
import io.hermitengp.field.TiledForward;
import io.hermitengp.network.ScalarTileKernels;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.problem.FieldProbe;

/**
 * A trained field rebuilt from what a run stores (its resolved config, its parameter buffer and
 * its active levels), evaluated at single points: the value and gradient of every output.
 * Hermite fields give their analytic gradient; a finite-difference (INGP-FD) field gives the
 * central differences of its own stencil, as in training. As a {@link FieldProbe} it evaluates
 * value and gradient channels, a Hermite field in tiles of {@value #TILE} points through the same
 * tiled forward pass as the one-point evaluation (so with the same bits), any other point after
 * point; a Hermite field also the value alone (a surface's grid), the same bits again. The parameters are fixed: the network's transposed weights are made from them once. Not
 * thread-safe; one per thread.
 */
public final class FittedField implements FieldProbe {
    private final NeuralField field;
    private final double[] parameters;
    private final int activeLevels;
    private final FieldEvaluator evaluator;
    /** The network's weights transposed, made once: the parameters never change. */
    private final double[] transposed;
    private final double[] jet;
    /** Points per tile of a batch evaluation. */
    static final int TILE = 256;
    private TiledForward tiles;   // made on the first batch

    public FittedField(TrainConfig config, double[] parameters, int activeLevels) {
        this(FieldArchitecture.of(config), parameters, activeLevels);
    }

    /**
     * @param field the architecture ({@link FieldArchitecture#of}), which several fitted fields of one
     *              config may share
     */
    public FittedField(NeuralField field, double[] parameters, int activeLevels) {
        this.field = field;
        if (parameters.length != field.parameterCount()) {
            throw new IllegalArgumentException("the field has " + field.parameterCount()
                    + " parameters; " + parameters.length + " were given");
        }
        int levels = field.encoding().layout().levels();
        if (activeLevels < 1 || activeLevels > levels) {
            throw new IllegalArgumentException("active levels " + activeLevels + " outside 1.." + levels);
        }
        this.parameters = parameters;
        this.activeLevels = activeLevels;
        Channels channels = field.stencil() == null ? Channels.valueAndGradient(field.dims()) : Channels.valueOnly();
        this.evaluator = new FieldEvaluator(field, channels);
        this.transposed = field.network().transposedWeights(parameters, field.networkOffset());
        this.jet = new double[channels.count() * field.outputs()];
    }

    public int dims() {
        return field.dims();
    }

    public int outputs() {
        return field.outputs();
    }

    /**
     * @param out receives {@code (1 + d, outputs)}: the values, then the gradient along each axis
     */
    public void evaluate(double[] x, double[] out) {
        if (x.length != field.dims()) {
            throw new IllegalArgumentException("the field has " + field.dims() + " inputs; the point has " + x.length);
        }
        int m = field.outputs();
        evaluator.evaluate(parameters, transposed, x, activeLevels, jet);
        System.arraycopy(jet, 0, out, 0, m);
        FiniteDifferenceStencil stencil = field.stencil();
        if (stencil == null) {
            System.arraycopy(jet, m, out, m, field.dims() * m);
            return;
        }
        double[] shifted = x.clone();
        double[] plus = new double[m];
        for (int i = 0; i < field.dims(); i++) {
            double h = stencil.step(i, activeLevels);
            shifted[i] = x[i] + h;
            evaluator.evaluate(parameters, transposed, shifted, activeLevels, plus);
            shifted[i] = x[i] - h;
            evaluator.evaluate(parameters, transposed, shifted, activeLevels, jet);
            shifted[i] = x[i];
            for (int o = 0; o < m; o++) {
                out[(1 + i) * m + o] = (plus[o] - jet[o]) / (2 * h);
            }
        }
    }

    /**
     * Value and gradient channels (a Laplacian channel is not offered), or the value alone where
     * {@link #evaluatesValueOnly()}.
     */
    @Override
    public void evaluate(double[] points, int n, Channels channels, double[] out) {
        int d = field.dims();
        boolean valueOnly = channels.equals(Channels.valueOnly()) && evaluatesValueOnly();
        if (!valueOnly && (channels.dims() != d || channels.hasLaplacian())) {
            throw new IllegalArgumentException("a fitted field is evaluated with value and gradient channels"
                    + (evaluatesValueOnly() ? " or the value alone" : "") + "; asked for " + channels);
        }
        int m = field.outputs();
        if (tiled()) {
            if (tiles == null) {   // rows for the full jet, which the value alone fits too
                tiles = new TiledForward(field, new ScalarTileKernels(), TILE * (1 + d));
            }
            int width = channels.count() * m;
            for (int from = 0; from < n; from += TILE) {
                int to = Math.min(n, from + TILE);
                tiles.run(parameters, transposed, points, from, to, activeLevels, channels);
                System.arraycopy(tiles.output(), 0, out, from * width, (to - from) * width);
            }
            return;
        }
        int width = (1 + d) * m;
        double[] x = new double[d];
        double[] one = new double[width];
        for (int p = 0; p < n; p++) {
            System.arraycopy(points, p * d, x, 0, d);
            evaluate(x, one);
            System.arraycopy(one, 0, out, p * (1 + d) * m, (1 + d) * m);
        }
    }

    /** A Hermite field: its tiled forward pass encodes the value alone, the same bits as with the gradient. */
    @Override
    public boolean evaluatesValueOnly() {
        return tiled();
    }

    private boolean tiled() {
        return field.stencil() == null && TiledForward.supports(field);
    }
}
