package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.network.TileKernels;

/**
 * An encoding as the tiled CPU path runs it: over ranges of points at once, the backward pass
 * reading one level's adjoint at a time (level-major, so that a level's scatter into its tables
 * reads its adjoints in one sweep and no two threads add into one table).
 *
 * <p>Layouts: a range of points encodes to {@code (points, C, L*F)}, C the channels asked for;
 * the backward pass reads one level's adjoint, {@code (points, C, F)}. Working memory is per
 * instance: one encoder per thread.
 */
public interface TileEncoder {
    /**
     * The tile encoder of an encoding: {@link HermiteTileEncoder} for the Hermite encoding,
     * {@link LinearTileEncoder} for the linear one (value channel only).
     *
     * @param kernels the column arithmetic, for encoders that have any
     * @throws IllegalArgumentException for an encoding with no tile encoder
     */
    static TileEncoder of(Encoding encoding, TileKernels kernels) {
        if (encoding instanceof HermiteHashEncoding hermite) {
            return new HermiteTileEncoder(hermite, kernels);
        }
        if (encoding instanceof LinearHashEncoding linear) {
            return new LinearTileEncoder(linear);
        }
        throw new IllegalArgumentException("no tile encoder for a " + encoding.getClass().getSimpleName());
    }

    /** Whether {@link #of} has a tile encoder for this encoding. */
    static boolean exists(Encoding encoding) {
        return encoding instanceof HermiteHashEncoding || encoding instanceof LinearHashEncoding;
    }

    int dims();

    /** Encoding width per channel: L*F. */
    int outputWidth();

    /**
     * Checks that the encoder writes these channels.
     *
     * @throws IllegalArgumentException naming the channels asked and those the encoder writes
     */
    void requireChannels(Channels channels);

    /**
     * Encodes points {@code [pointFrom, pointTo)} of {@code x (n, d)} into
     * {@code out (pointTo - pointFrom, C, L*F)} at outOffset; levels at or above activeLevels are zero.
     */
    void forward(double[] params, int paramOffset, double[] x, int pointFrom, int pointTo, int activeLevels,
                 Channels channels, double[] out, int outOffset);

    /**
     * Accumulates level l's table gradients from points {@code [pointFrom, pointTo)}, points in order.
     *
     * @param dLdLevel this level's part of the encoding's adjoint, {@code (pointTo - pointFrom, C, F)} at dOffset
     */
    void backwardLevel(int level, double[] x, int pointFrom, int pointTo, Channels channels, double[] dLdLevel,
                       int dOffset, double[] dLdParams, int paramOffset);
}
