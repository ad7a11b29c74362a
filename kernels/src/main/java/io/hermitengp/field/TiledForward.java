package io.hermitengp.field;

import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.encoding.HermiteTileEncoder;
import io.hermitengp.encoding.LinearHashEncoding;
import io.hermitengp.encoding.TileEncoder;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.network.TileKernels;

import java.util.Arrays;

/**
 * A field's forward pass over a tile of points, as the tiled CPU path computes it: the encoding of
 * the points ({@link TileEncoder}: {@link HermiteTileEncoder} for a Hermite field, with derivative
 * channels; {@link io.hermitengp.encoding.LinearTileEncoder} for an INGP-FD field, the value alone
 * at each of its stencil's points), then every SIREN layer as one product over
 * the tile's rows and the layer's units, {@code z = b + a_prev W^T} on value rows and
 * {@code z = a_prev W^T} on derivative rows, each sine layer followed by its activations with
 * channels ({@link TileKernels}). A row is one channel of one point, point-major
 * ({@code row = p C + ch}); the last layer's {@code z} is the field's jet, {@code (points, C, outputs)}.
 *
 * <p>The training step ({@link io.hermitengp.backend.cpu.TiledStep}), the CPU backend's
 * evaluation and the one-point {@link FieldEvaluator} all run this, so a field evaluates to the same
 * bits wherever it is evaluated on the CPU. Holds the tile's intermediate values for a backward
 * pass; not thread-safe.
 */
public final class TiledForward {
    /** Indices into {@link #nanos()}. */
    public static final int ENCODING = 0;
    public static final int PRODUCTS = 1;
    public static final int SINE = 2;

    private final NeuralField field;
    private final TileEncoder encoder;
    private final SirenNetwork network;
    private final TileKernels kernels;
    private final int maxRows;
    private final int maxEncodedRows;
    private final double[] encoded;     // (encoded points * C, L*F)
    private final double[][] z;         // per layer: (R, width)
    private final double[][] a;         // per sine layer: (R, width)
    private final double[][] cosine;    // per sine layer: (P, width), cos(w z) of the value rows
    private final long[] nanos = new long[3];

    /**
     * @param maxRows the most rows (points times channels) one {@link #run} or {@link #network} takes
     * @throws IllegalArgumentException for a field the tiled path does not run ({@link #supports})
     */
    public TiledForward(NeuralField field, TileKernels kernels, int maxRows) {
        this(field, kernels, maxRows, maxRows);
    }

    /**
     * @param maxEncodedRows the most rows one {@link #encode} takes: encoding many tiles at once
     *                       gives the encoder's column loops their length
     */
    public TiledForward(NeuralField field, TileKernels kernels, int maxRows, int maxEncodedRows) {
        if (!supports(field)) {
            throw new IllegalArgumentException("the tiled CPU path runs Hermite and linear encodings, not a "
                    + field.encoding().getClass().getSimpleName());
        }
        this.field = field;
        this.encoder = TileEncoder.of(field.encoding(), kernels);
        this.network = field.network();
        this.kernels = kernels;
        this.maxRows = maxRows;
        this.maxEncodedRows = Math.max(maxRows, maxEncodedRows);
        this.encoded = new double[this.maxEncodedRows * encoder.outputWidth()];
        int layers = network.layers();
        this.z = new double[layers][];
        this.a = new double[layers][];
        this.cosine = new double[layers][];
        for (int k = 0; k < layers; k++) {
            z[k] = new double[maxRows * network.width(k)];
            if (network.isSine(k)) {
                a[k] = new double[maxRows * network.width(k)];
                cosine[k] = new double[maxRows * network.width(k)];
            }
        }
    }

    /** The rows {@link #encode} takes at most. */
    public int maxEncodedRows() {
        return maxEncodedRows;
    }

    /**
     * Whether the tiled path can run this field: its encoding has a tile encoder, the
     * {@link HermiteHashEncoding} (every channel analytic) or the {@link LinearHashEncoding} (the
     * value alone; derivatives by the field's finite-difference stencil).
     */
    public static boolean supports(NeuralField field) {
        return TileEncoder.exists(field.encoding());
    }

    public TileEncoder encoder() {
        return encoder;
    }

    /**
     * Runs points {@code [from, to)} of {@code x (n, d)} with the given channels: {@link #encode},
     * then {@link #network} over all of them.
     *
     * @param transposed the network's weights as {@link SirenNetwork#transposedWeights} gives them
     * @throws IllegalArgumentException for more rows than the buffers hold
     */
    public void run(double[] params, double[] transposed, double[] x, int from, int to, int activeLevels,
                    Channels channels) {
        encode(params, x, from, to, activeLevels, channels);
        network(params, transposed, 0, to - from, channels);
    }

    /**
     * Encodes points {@code [from, to)} of {@code x (n, d)} into {@link #encoded()}, point
     * {@code from + i} at rows {@code i C ..}.
     */
    public void encode(double[] params, double[] x, int from, int to, int activeLevels, Channels channels) {
        requireRows(to - from, channels, maxEncodedRows);
        long started = System.nanoTime();
        encoder.forward(params, field.encodingOffset(), x, from, to, activeLevels, channels, encoded, 0);
        nanos[ENCODING] += System.nanoTime() - started;
    }

    /**
     * The network over {@code points} encoded points from the {@code first}-th of {@link #encoded()}:
     * the layers' pre-activations, activations and cosines for this tile, and its jet in {@link #output()}.
     */
    public void network(double[] params, double[] transposed, int first, int points, Channels channels) {
        requireRows(points, channels, maxRows);
        int channelCount = channels.count();
        int rows = points * channelCount;
        int networkOffset = field.networkOffset();
        double[] previous = encoded;
        int previousOffset = first * channelCount * encoder.outputWidth();
        for (int layer = 0; layer < network.layers(); layer++) {
            int units = network.width(layer);
            double[] zk = z[layer];
            int bias = networkOffset + network.biasOffset(layer);
            for (int p = 0; p < points; p++) {
                int row = p * channelCount * units;
                System.arraycopy(params, bias, zk, row, units);
                Arrays.fill(zk, row + units, row + channelCount * units, 0.0);
            }
            long productStart = System.nanoTime();
            kernels.multiplyAdd(previous, previousOffset, transposed, network.weightOffset(layer), zk, 0, rows,
                    network.inputWidth(layer), units);
            long productEnd = System.nanoTime();
            nanos[PRODUCTS] += productEnd - productStart;
            if (network.isSine(layer)) {
                kernels.sineForward(zk, a[layer], cosine[layer], points, channels, units, network.omega(layer));
                previous = a[layer];
                previousOffset = 0;
                nanos[SINE] += System.nanoTime() - productEnd;
            }
        }
    }

    private static void requireRows(int points, Channels channels, int most) {
        if (points * channels.count() > most) {
            throw new IllegalArgumentException(points + " points of " + channels.count() + " channels are "
                    + points * channels.count() + " rows; the buffers hold " + most);
        }
    }

    /** The encoded points of the last {@link #encode}, (points C, L*F). */
    public double[] encoded() {
        return encoded;
    }

    /** Layer k's pre-activations of the last run, (R, width). */
    public double[] preActivation(int layer) {
        return z[layer];
    }

    /** Sine layer k's activations of the last run, (R, width); null for the output layer. */
    public double[] activation(int layer) {
        return a[layer];
    }

    /** Sine layer k's {@code cos(w z)} of the value rows of the last run, (P, width). */
    public double[] cosine(int layer) {
        return cosine[layer];
    }

    /** The field's jet at the points of the last run, (P, C, outputs). */
    public double[] output() {
        return z[network.layers() - 1];
    }

    /** Thread nanoseconds spent so far in the encoding, the products and the sine activations. */
    public long[] nanos() {
        return nanos;
    }
}
