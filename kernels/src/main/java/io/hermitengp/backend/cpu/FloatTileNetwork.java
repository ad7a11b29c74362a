package io.hermitengp.backend.cpu;

import io.hermitengp.field.Channels;
import io.hermitengp.network.FloatTileKernels;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenNetwork;

import java.util.Arrays;

/**
 * The SIREN part of a training tile in float ({@link Precision#FLOAT32}): forward from the
 * tile's encoded rows to its jet, and backward from the jet's seeds to the weight gradients and
 * the encoding's adjoint, the same steps as the double tile of {@link TiledStep} and
 * {@link io.hermitengp.field.TiledForward} with {@link FloatTileKernels}:
 * <pre>
 *   forward,  layer k:  z_k = [value row] b_k + a_{k-1} W_k^T,   a_k = sine(z_k)        (R, width_k)
 *   backward, layer k:  dW_k += zbar_k^T a_{k-1},   db_k += sum_{value rows} zbar_k,
 *                       abar_{k-1} = zbar_k W_k,    zbar_{k-1} = sine'(abar_{k-1})
 * </pre>
 * with {@code a_{-1}} the encoded rows. What crosses the tile's edge is double and converted at
 * the edge: the encoded rows (rounded to float on the way in), the jet (widened for the
 * residuals), its seeds (rounded), the encoding's adjoint (widened). A weight gradient
 * {@code zbar_k^T a_{k-1}} is summed in float over the tile's rows (at most
 * {@link TiledStep#TILE_ROWS}), then added to the chunk's double partial; a bias gradient is
 * summed in double from the start. So float rounding stays within sums of at most 128 terms, and
 * the sums across tiles, chunks and steps are double as in float64.
 *
 * <p>Holds one thread's tile buffers; not thread-safe.
 */
final class FloatTileNetwork {
    private final SirenNetwork network;
    private final FloatTileKernels kernels;
    private final int encodedWidth;          // L*F
    private final float[] encoded;           // (R, L*F): the tile's encoded rows
    private final float[][] z;               // per layer: (R, width)
    private final float[][] a;               // per sine layer: (R, width)
    private final float[][] cosine;          // per sine layer: (P, width), cos(w z) of the value rows
    private final double[] output;           // (P, C, outputs): the jet, widened
    private final float[][] zbar;            // per layer: (R, width)
    private final float[] abar;              // (R, width) of one layer
    private final float[] weightGradient;    // (width, input width) of one layer: one tile's dW

    /** The network's parameters rounded to float, once per step: both layouts the products read. */
    record Weights(float[] params, float[] transposed) {
        /**
         * @param params     every parameter; the network's from {@code networkOffset}, in
         *                   {@link SirenNetwork}'s layout
         * @param transposed the network's weights as {@link SirenNetwork#transposedWeights} gives them
         */
        static Weights of(SirenNetwork network, double[] params, int networkOffset, double[] transposed) {
            float[] rounded = new float[network.parameterCount()];
            for (int i = 0; i < rounded.length; i++) {
                rounded[i] = (float) params[networkOffset + i];
            }
            float[] roundedTransposed = new float[transposed.length];
            for (int i = 0; i < transposed.length; i++) {
                roundedTransposed[i] = (float) transposed[i];
            }
            return new Weights(rounded, roundedTransposed);
        }
    }

    FloatTileNetwork(SirenNetwork network, FloatTileKernels kernels, int encodedWidth, int maxRows) {
        this.network = network;
        this.kernels = kernels;
        this.encodedWidth = encodedWidth;
        int layers = network.layers();
        this.encoded = new float[maxRows * encodedWidth];
        this.z = new float[layers][];
        this.a = new float[layers][];
        this.cosine = new float[layers][];
        this.zbar = new float[layers][];
        int widestInput = encodedWidth;
        for (int k = 0; k < layers; k++) {
            z[k] = new float[maxRows * network.width(k)];
            zbar[k] = new float[maxRows * network.width(k)];
            if (network.isSine(k)) {
                a[k] = new float[maxRows * network.width(k)];
                cosine[k] = new float[maxRows * network.width(k)];
            }
            widestInput = Math.max(widestInput, network.inputWidth(k));
        }
        this.output = new double[maxRows * network.width(layers - 1)];
        this.abar = new float[maxRows * Math.max(widestInput, network.maxWidth())];
        this.weightGradient = new float[network.maxWidth() * widestInput];
    }

    /**
     * The tile forward from its encoded rows {@code encoded (R, L*F)} at {@code encodedOffset}:
     * every layer's pre-activations, activations and cosines, and the jet in {@link #output()}.
     * Adds thread time to {@code nanos} ({@link TiledStep#PHASES}).
     */
    void forward(Weights weights, double[] encodedRows, int encodedOffset, int points, Channels channels,
                 long[] nanos) {
        int channelCount = channels.count();
        int rows = points * channelCount;
        long started = System.nanoTime();
        for (int i = 0; i < rows * encodedWidth; i++) {
            encoded[i] = (float) encodedRows[encodedOffset + i];
        }
        long converted = System.nanoTime();
        nanos[TiledStep.ENCODING_FORWARD] += converted - started;
        float[] previous = encoded;
        for (int layer = 0; layer < network.layers(); layer++) {
            int units = network.width(layer);
            float[] zk = z[layer];
            int bias = network.biasOffset(layer);
            for (int p = 0; p < points; p++) {
                int row = p * channelCount * units;
                System.arraycopy(weights.params(), bias, zk, row, units);
                Arrays.fill(zk, row + units, row + channelCount * units, 0f);
            }
            long productStart = System.nanoTime();
            kernels.multiplyAdd(previous, 0, weights.transposed(), network.weightOffset(layer), zk, 0, rows,
                    network.inputWidth(layer), units);
            long productEnd = System.nanoTime();
            nanos[TiledStep.FORWARD_PRODUCTS] += productEnd - productStart;
            if (network.isSine(layer)) {
                kernels.sineForward(zk, a[layer], cosine[layer], points, channels, units, network.omega(layer));
                previous = a[layer];
                nanos[TiledStep.SINE_FORWARD] += System.nanoTime() - productEnd;
            }
        }
        float[] jet = z[network.layers() - 1];
        for (int i = 0; i < rows * network.width(network.layers() - 1); i++) {
            output[i] = jet[i];
        }
    }

    /** The jet of the last {@link #forward}, (P, C, outputs), widened to double. */
    double[] output() {
        return output;
    }

    /**
     * The tile backward from the jet's seeds {@code outputSeed (P, C, outputs)}: adds the weight
     * and bias gradients into {@code partial} (the network's layout) and writes the encoding's
     * adjoint into {@code encodingAdjoint (R, L*F)}, widened. Adds thread time to {@code nanos}.
     */
    void backward(Weights weights, double[] outputSeed, int points, Channels channels, double[] partial,
                  double[] encodingAdjoint, long[] nanos) {
        int channelCount = channels.count();
        int rows = points * channelCount;
        int layers = network.layers();
        float[] seed = zbar[layers - 1];
        for (int i = 0; i < rows * network.width(layers - 1); i++) {
            seed[i] = (float) outputSeed[i];
        }
        for (int layer = layers - 1; layer >= 0; layer--) {
            int in = network.inputWidth(layer);
            int out = network.width(layer);
            float[] zbarK = zbar[layer];
            float[] input = layer == 0 ? encoded : a[layer - 1];
            long s = System.nanoTime();
            Arrays.fill(weightGradient, 0, out * in, 0f);
            kernels.multiplyAddTransposed(zbarK, 0, input, 0, weightGradient, 0, rows, out, in);
            int weightOffset = network.weightOffset(layer);
            for (int i = 0; i < out * in; i++) {
                partial[weightOffset + i] += weightGradient[i];
            }
            int biasOffset = network.biasOffset(layer);
            for (int p = 0; p < points; p++) {
                int row = p * channelCount * out;
                for (int j = 0; j < out; j++) {
                    partial[biasOffset + j] += zbarK[row + j];
                }
            }
            long e = System.nanoTime();
            nanos[TiledStep.WEIGHT_GRADIENT] += e - s;
            Arrays.fill(abar, 0, rows * in, 0f);
            kernels.multiplyAdd(zbarK, 0, weights.params(), weightOffset, abar, 0, rows, out, in);
            long e2 = System.nanoTime();
            nanos[TiledStep.BACKWARD_PRODUCTS] += e2 - e;
            if (layer > 0) {
                kernels.sineBackward(z[layer - 1], a[layer - 1], cosine[layer - 1], abar, zbar[layer - 1], points,
                        channels, in, network.omega(layer - 1));
                nanos[TiledStep.SINE_BACKWARD] += System.nanoTime() - e2;
            }
        }
        for (int i = 0; i < rows * encodedWidth; i++) {
            encodingAdjoint[i] = abar[i];
        }
    }
}
