package io.hermitengp.field;

import io.hermitengp.encoding.Encoding;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.network.SirenNetwork;

import java.util.SplittableRandom;

/**
 * A neural field: a grid encoding followed by a SIREN, with all parameters in one flat buffer:
 * {@code [encoding tables | network]}. With the Hermite encoding it is a Hermite-NGP field
 * (derivative channels analytic); with the linear encoding it is the INGP-FD baseline
 * (derivatives by {@link FiniteDifferenceStencil}). The field is the pair (architecture, buffer);
 * this class is the architecture and the buffer's layout, the buffer itself is passed in.
 */
public final class NeuralField {
    private final Encoding encoding;
    private final SirenNetwork network;
    private final FiniteDifferenceStencil stencil;

    public NeuralField(Encoding encoding, SirenNetwork network) {
        if (network.inputWidth() != encoding.outputWidth()) {
            throw new IllegalArgumentException("network input width " + network.inputWidth()
                    + " differs from encoding width " + encoding.outputWidth());
        }
        this.encoding = encoding;
        this.network = network;
        this.stencil = encoding.analyticDerivatives() ? null
                : new FiniteDifferenceStencil(encoding.box(), encoding.layout());
    }

    public Encoding encoding() {
        return encoding;
    }

    /** The stencil for derivative channels, or null when the encoding yields them analytically. */
    public FiniteDifferenceStencil stencil() {
        return stencil;
    }

    public SirenNetwork network() {
        return network;
    }

    public int dims() {
        return encoding.dims();
    }

    public int outputs() {
        return network.outputs();
    }

    public int encodingOffset() {
        return 0;
    }

    public int networkOffset() {
        return encoding.parameterCount();
    }

    public int parameterCount() {
        return encoding.parameterCount() + network.parameterCount();
    }

    /**
     * A freshly initialised parameter buffer: the tables by their rule, then the SIREN's weights
     * and biases, drawn in that order from one generator seeded with {@code seed}.
     */
    public double[] initialParameters(long seed, TableInit tables, BiasInit biases) {
        double[] params = new double[parameterCount()];
        SplittableRandom rng = new SplittableRandom(seed);
        encoding.initialize(params, encodingOffset(), tables, rng);
        network.initialize(params, networkOffset(), rng, biases);
        return params;
    }
}
