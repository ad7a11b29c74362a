package io.hermitengp.encoding;

import io.hermitengp.field.Channels;

/**
 * The linear encoding (the INGP-FD baseline's) for the tiled CPU path: the value channel of a
 * range of points, each point as {@link LinearHashEncoding#forward} encodes it, and one level's
 * table gradients from a level-major adjoint ({@link LinearHashEncoding#backwardLevel(int, double[],
 * int, int, double[], int, int, double[], int)}), so the numbers are the reference path's, bit for
 * bit. A d-linear cell has {@code 2^d} corners and no derivative tables, so per point this is a
 * small fraction of the network's work and needs no column arithmetic.
 */
public final class LinearTileEncoder implements TileEncoder {
    private final LinearHashEncoding encoding;

    public LinearTileEncoder(LinearHashEncoding encoding) {
        this.encoding = encoding;
    }

    @Override
    public int dims() {
        return encoding.dims();
    }

    @Override
    public int outputWidth() {
        return encoding.outputWidth();
    }

    /** The value channel only. */
    @Override
    public void requireChannels(Channels channels) {
        encoding.requireChannels(channels);
    }

    @Override
    public void forward(double[] params, int paramOffset, double[] x, int pointFrom, int pointTo, int activeLevels,
                        Channels channels, double[] out, int outOffset) {
        requireChannels(channels);
        int d = dims();
        int width = outputWidth();
        for (int p = pointFrom; p < pointTo; p++) {
            encoding.forward(params, paramOffset, x, p * d, activeLevels, channels, out,
                    outOffset + (p - pointFrom) * width);
        }
    }

    @Override
    public void backwardLevel(int level, double[] x, int pointFrom, int pointTo, Channels channels,
                              double[] dLdLevel, int dOffset, double[] dLdParams, int paramOffset) {
        requireChannels(channels);
        int features = encoding.layout().features();
        encoding.backwardLevel(level, x, pointFrom, pointTo, dLdLevel, dOffset, features, dLdParams, paramOffset);
    }
}
