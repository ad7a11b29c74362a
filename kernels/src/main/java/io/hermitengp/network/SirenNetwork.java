package io.hermitengp.network;

import io.hermitengp.field.Channels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A SIREN MLP that carries derivative channels (value, gradient, Laplacian over an axis set S)
 * through every layer, with its exact backward pass.
 *
 * <p>Layer k maps width {@code n_k} to {@code n_{k+1}}: {@code z = W a_prev + b} on the value
 * channel and {@code z_j = W a_prev_j}, {@code z_L = W a_prev_L} on the derivative channels (the
 * bias is constant in x). Hidden layers apply {@code a = sin(w z)} with {@code w = omega_0} on the
 * first layer and {@code omega} on later ones; the output layer is linear. With {@code s = sin(w z)},
 * {@code c = cos(w z)}:
 *
 * <pre>
 *   a_j = w c z_j
 *   a_L = -w^2 s sum_{j in S} z_j^2 + w c z_L
 * </pre>
 *
 * Backward, given the adjoints {@code abar, abar_j, abar_L} of a sine layer's outputs:
 *
 * <pre>
 *   zbar_L = abar_L w c
 *   zbar_j = abar_j w c - [j in S] abar_L 2 w^2 s z_j
 *   zbar   = abar w c - w^2 s sum_j abar_j z_j - abar_L (w^3 c sum_{j in S} z_j^2 + w^2 s z_L)
 * </pre>
 *
 * and for each linear map {@code dW += sum_ch zbar_ch a_prev_ch^T}, {@code db += zbar} (value
 * channel only), {@code abar_prev_ch = W^T zbar_ch}.
 *
 * <p>Parameters live in one flat buffer: per layer the weights {@code (n_{k+1}, n_k)} row-major,
 * then the bias {@code (n_{k+1})}. Initialisation (SIREN): first layer {@code W ~ U(-1/n, 1/n)},
 * later layers {@code W ~ U(-sqrt(6/n)/omega, sqrt(6/n)/omega)}, {@code n} the layer's input
 * width; biases by a {@link BiasInit} rule.
 */
public final class SirenNetwork {
    private final int[] widths;          // n_0 (input) .. n_K (outputs)
    private final double omegaFirst;
    private final double omegaHidden;
    private final int[] weightOffset;    // per layer: offset of W in the network's buffer
    private final int[] biasOffset;      // per layer: offset of b
    private final int parameterCount;

    /**
     * @param inputWidth   width of the encoding fed to the first layer
     * @param hidden       widths of the hidden (sine) layers, at least one
     * @param outputs      number of outputs (linear)
     */
    public SirenNetwork(int inputWidth, int[] hidden, int outputs, double omegaFirst, double omegaHidden) {
        if (hidden.length < 1) {
            throw new IllegalArgumentException("a SIREN needs at least one hidden layer");
        }
        if (inputWidth < 1 || outputs < 1) {
            throw new IllegalArgumentException("input and output widths must be positive");
        }
        widths = new int[hidden.length + 2];
        widths[0] = inputWidth;
        for (int k = 0; k < hidden.length; k++) {
            if (hidden[k] < 1) {
                throw new IllegalArgumentException("hidden width " + k + " must be positive, got " + hidden[k]);
            }
            widths[k + 1] = hidden[k];
        }
        widths[widths.length - 1] = outputs;
        this.omegaFirst = omegaFirst;
        this.omegaHidden = omegaHidden;
        int layers = widths.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        int offset = 0;
        for (int k = 0; k < layers; k++) {
            weightOffset[k] = offset;
            offset += widths[k + 1] * widths[k];
            biasOffset[k] = offset;
            offset += widths[k + 1];
        }
        parameterCount = offset;
    }

    public int layers() {
        return widths.length - 1;
    }

    public int inputWidth() {
        return widths[0];
    }

    public int outputs() {
        return widths[widths.length - 1];
    }

    /** Output width of layer k. */
    public int width(int layer) {
        return widths[layer + 1];
    }

    public int inputWidth(int layer) {
        return widths[layer];
    }

    public int maxWidth() {
        return Arrays.stream(widths).max().orElseThrow();
    }

    public boolean isSine(int layer) {
        return layer < layers() - 1;
    }

    public double omega(int layer) {
        return layer == 0 ? omegaFirst : omegaHidden;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public int weightOffset(int layer) {
        return weightOffset[layer];
    }

    public int biasOffset(int layer) {
        return biasOffset[layer];
    }

    /**
     * SIREN initialisation, layer by layer in buffer order: weights {@code U(-1/n, 1/n)} on the
     * first layer and {@code U(-sqrt(6/n)/omega, sqrt(6/n)/omega)} later, biases by the rule.
     */
    public void initialize(double[] params, int offset, SplittableRandom rng, BiasInit biasInit) {
        for (int k = 0; k < layers(); k++) {
            int in = widths[k];
            double bound = k == 0 ? 1.0 / in : Math.sqrt(6.0 / in) / omegaHidden;
            for (int i = 0; i < widths[k + 1] * in; i++) {
                params[offset + weightOffset[k] + i] = (2 * rng.nextDouble() - 1) * bound;
            }
            boolean outputLayer = k == layers() - 1;
            double biasBound = biasInit == BiasInit.FAN_IN_SQRT ? 1.0 / Math.sqrt(in) : outputLayer ? 0.0 : bound;
            for (int o = 0; o < widths[k + 1]; o++) {
                params[offset + biasOffset[k] + o] = biasBound == 0.0 ? 0.0 : (2 * rng.nextDouble() - 1) * biasBound;
            }
        }
    }

    /**
     * The weights of every layer transposed to {@code (n_k, n_{k+1})} row-major, at the same offsets
     * as in the buffer: the forward pass then accumulates {@code z += W[:, i] a_i} along contiguous
     * rows, a loop the JIT vectorizes, instead of strided dot products. Each weight moves by
     * {@link SirenMath#transposeWeight}, as in the OpenCL kernel's transpose pass.
     */
    public double[] transposedWeights(double[] params, int paramOffset) {
        double[] transposed = new double[parameterCount];
        for (int k = 0; k < layers(); k++) {
            int in = widths[k];
            int out = widths[k + 1];
            for (int index = 0; index < in * out; index++) {
                SirenMath.transposeWeight(params, paramOffset + weightOffset[k], transposed, weightOffset[k], in, out,
                        index);
            }
        }
        return transposed;
    }

    /**
     * Forward pass of point p. Reads {@code input (n, C, n_0)}, writes every layer's pre-activation,
     * activation and cosine into {@code acts}, and the outputs into {@code acts.output()}.
     *
     * @param transposed the weights as {@link #transposedWeights} returns them for these params
     */
    public void forward(double[] params, int paramOffset, double[] transposed, double[] input, int p,
                        Channels channels, SirenActivations acts) {
        int channelCount = channels.count();
        double[] previous = input;
        int previousBase = p * channelCount * widths[0];
        for (int k = 0; k < layers(); k++) {
            int out = widths[k + 1];
            int zBase = p * channelCount * out;
            SirenMath.linearForward(params, paramOffset + biasOffset[k], transposed, weightOffset[k], widths[k], out,
                    channelCount, previous, previousBase, acts.preActivation(k), zBase);
            if (isSine(k)) {
                double w = omega(k);
                double[] z = acts.preActivation(k);
                double[] cosines = acts.cosine(k);
                for (int o = 0; o < out; o++) {
                    double s = Math.sin(w * z[zBase + o]);
                    double c = Math.cos(w * z[zBase + o]);
                    cosines[p * out + o] = c;
                    SirenMath.sineForwardUnit(z, zBase, acts.activation(k), zBase, out, o, channels.dims(),
                            channels.laplacianAxes(), w, s, c);
                }
                previous = acts.activation(k);
                previousBase = zBase;
            }
        }
    }

    /**
     * Backward pass of point p through every layer: from {@code dLdOutput (n, C, n_K)} stores each
     * layer's pre-activation adjoint in {@code acts.preActivationAdjoint(k)} and writes the
     * adjoint of the input into {@code dLdInput (n, C, n_0)}. Weight gradients are accumulated
     * separately by {@link #accumulateWeightGradient}, so that their sums over points run in a
     * fixed order.
     */
    public void backward(double[] params, int paramOffset, int p, Channels channels, SirenActivations acts,
                         double[] dLdOutput, double[] dLdInput, double[] scratch) {
        int channelCount = channels.count();
        int last = layers() - 1;
        int outputs = widths[last + 1];
        System.arraycopy(dLdOutput, p * channelCount * outputs, acts.preActivationAdjoint(last),
                p * channelCount * outputs, channelCount * outputs);
        for (int k = last; k >= 0; k--) {
            int in = widths[k];
            int out = widths[k + 1];
            int zBase = p * channelCount * out;
            if (k == 0) {
                SirenMath.linearBackward(params, paramOffset + weightOffset[k], in, out, channelCount,
                        acts.preActivationAdjoint(k), zBase, dLdInput, p * channelCount * in);
                continue;
            }
            // abar of layer k-1's outputs, then its zbar
            SirenMath.linearBackward(params, paramOffset + weightOffset[k], in, out, channelCount,
                    acts.preActivationAdjoint(k), zBase, scratch, 0);
            int previousBase = p * channelCount * in;
            double w = omega(k - 1);
            double[] a = acts.activation(k - 1);
            double[] cosines = acts.cosine(k - 1);
            for (int o = 0; o < in; o++) {
                SirenMath.sineBackwardUnit(acts.preActivation(k - 1), previousBase, scratch, 0,
                        acts.preActivationAdjoint(k - 1), previousBase, in, o, channels.dims(),
                        channels.laplacianAxes(), w, a[previousBase + o], cosines[p * in + o]);
            }
        }
    }

    /**
     * Weight and bias gradients of layer k for output rows {@code [rowFrom, rowTo)}:
     * {@code dW[o, i] += sum_p sum_ch zbar[p, ch, o] a_prev[p, ch, i]}, {@code db[o] += sum_p zbar[p, 0, o]},
     * summed over points 0..n-1 in order.
     *
     * @param input the network input (n, C, n_0), used as {@code a_prev} of layer 0
     */
    public void accumulateWeightGradient(int k, int rowFrom, int rowTo, int n, Channels channels,
                                         SirenActivations acts, double[] input, double[] dLdParams,
                                         int paramOffset) {
        int channelCount = channels.count();
        int in = widths[k];
        int out = widths[k + 1];
        double[] previous = k == 0 ? input : acts.activation(k - 1);
        double[] zbar = acts.preActivationAdjoint(k);
        int w = paramOffset + weightOffset[k];
        int b = paramOffset + biasOffset[k];
        // Rows of the block are updated together so that each activation row is read once per
        // block rather than once per output row; every dW[o, i] still sums points in order.
        double[] biasSum = new double[rowTo - rowFrom];
        for (int p = 0; p < n; p++) {
            int zBase = p * channelCount * out;
            int aBase = p * channelCount * in;
            for (int o = rowFrom; o < rowTo; o++) {
                biasSum[o - rowFrom] += zbar[zBase + o];
            }
            for (int ch = 0; ch < channelCount; ch++) {
                int a = aBase + ch * in;
                int zRow = zBase + ch * out;
                for (int o = rowFrom; o < rowTo; o++) {
                    double g = zbar[zRow + o];
                    if (g == 0.0) {
                        continue;
                    }
                    int row = w + o * in;
                    for (int i = 0; i < in; i++) {
                        dLdParams[row + i] += g * previous[a + i];
                    }
                }
            }
        }
        for (int o = rowFrom; o < rowTo; o++) {
            dLdParams[b + o] += biasSum[o - rowFrom];
        }
    }
}
