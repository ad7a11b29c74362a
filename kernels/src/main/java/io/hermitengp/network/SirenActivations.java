package io.hermitengp.network;

/**
 * Per-point intermediate values of a {@link SirenNetwork} over a batch, kept from the forward
 * pass for the backward pass. For each layer k with output width {@code n}:
 * pre-activations {@code z (batch, C, n)}, activations {@code a (batch, C, n)} (hidden layers),
 * cosines {@code cos(w z) (batch, n)} of the value channel (hidden layers), and pre-activation
 * adjoints {@code zbar (batch, C, n)}. The last layer's pre-activation is the network output.
 */
public final class SirenActivations {
    private final int capacity;
    private final int channelCount;
    private final double[][] preActivation;
    private final double[][] activation;
    private final double[][] cosine;
    private final double[][] preActivationAdjoint;

    public SirenActivations(SirenNetwork network, int capacity, int channelCount) {
        this.capacity = capacity;
        this.channelCount = channelCount;
        int layers = network.layers();
        preActivation = new double[layers][];
        activation = new double[layers][];
        cosine = new double[layers][];
        preActivationAdjoint = new double[layers][];
        for (int k = 0; k < layers; k++) {
            int size = capacity * channelCount * network.width(k);
            preActivation[k] = new double[size];
            preActivationAdjoint[k] = new double[size];
            if (network.isSine(k)) {
                activation[k] = new double[size];
                cosine[k] = new double[capacity * network.width(k)];
            }
        }
    }

    public int capacity() {
        return capacity;
    }

    public int channelCount() {
        return channelCount;
    }

    /** (batch, C, width) */
    public double[] preActivation(int layer) {
        return preActivation[layer];
    }

    /** (batch, C, width); null for the linear output layer */
    public double[] activation(int layer) {
        return activation[layer];
    }

    /** (batch, width) */
    public double[] cosine(int layer) {
        return cosine[layer];
    }

    /** (batch, C, width) */
    public double[] preActivationAdjoint(int layer) {
        return preActivationAdjoint[layer];
    }

    /** The network outputs, (batch, C, outputs). */
    public double[] output() {
        return preActivation[preActivation.length - 1];
    }
}
