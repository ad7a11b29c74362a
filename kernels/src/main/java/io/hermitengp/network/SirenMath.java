package io.hermitengp.network;

/**
 * The SIREN's per-point arithmetic with derivative channels, written once for the Java backend
 * and the OpenCL kernels: static methods over (array, offset) pairs, with no allocation and no
 * library calls, so Aparapi translates them as they are. The sines and cosines are computed by
 * the caller ({@link Math} in Java, the OpenCL built-ins on a device) and passed in.
 *
 * <p>Per point, a layer's channels are laid out {@code (C, width)}: value, d gradients, and the
 * Laplacian channel when the axis mask S is nonzero. See {@link SirenNetwork} for the equations.
 */
public final class SirenMath {
    private SirenMath() {
    }

    /**
     * Moves one weight of a layer to its transposed place: {@code W[o, i]}, at {@code index = o in + i}
     * of the {@code (out, in)} row-major block at {@code weightsOffset}, goes to {@code i out + o} of
     * the {@code (in, out)} row-major block at {@code transposedOffset} (the layout
     * {@link #linearForward} reads).
     */
    public static void transposeWeight(double[] params, int weightsOffset, double[] transposed, int transposedOffset,
                                       int in, int out, int index) {
        int o = index / in;
        int i = index - o * in;
        transposed[transposedOffset + i * out + o] = params[weightsOffset + index];
    }

    /**
     * {@code z[ch, o] = [ch = 0] b[o] + sum_i W[o, i] a[ch, i]}, summed in ascending i from the bias.
     *
     * @param transposed the weights as {@code (in, out)} row-major at {@code transposedOffset}
     */
    public static void linearForward(double[] params, int biasOffset, double[] transposed, int transposedOffset,
                                     int in, int out, int channelCount, double[] previous, int previousOffset,
                                     double[] z, int zOffset) {
        for (int ch = 0; ch < channelCount; ch++) {
            int zRow = zOffset + ch * out;
            for (int o = 0; o < out; o++) {
                z[zRow + o] = ch == 0 ? params[biasOffset + o] : 0.0;
            }
            int aRow = previousOffset + ch * in;
            for (int i = 0; i < in; i++) {
                double ai = previous[aRow + i];
                if (ai != 0.0) {
                    int column = transposedOffset + i * out;
                    for (int o = 0; o < out; o++) {
                        z[zRow + o] += transposed[column + o] * ai;
                    }
                }
            }
        }
    }

    /** Outputs of a layer that {@link #linearForwardBlock} and inputs that {@link #linearBackwardBlock} compute side by side. */
    public static final int UNIT_BLOCK = 8;

    /**
     * {@link #linearForward} for the outputs {@code o0 .. o0 + UNIT_BLOCK - 1} below {@code out},
     * every channel: each output's sum is the same chain (bias, then i ascending, zero activations
     * skipped), so in Java the same bits. The shape for a device that gives each (point, block) a
     * work item of its own (the OpenCL layer passes on a GPU): a full block keeps its sums in eight
     * registers, so each activation read serves eight products and no sum goes through memory.
     * {@link #linearForward}'s loop over a row of outputs in memory suits a CPU, whose compiler
     * vectorises it.
     */
    public static void linearForwardBlock(double[] params, int biasOffset, double[] transposed, int transposedOffset,
                                          int in, int out, int channelCount, double[] previous, int previousOffset,
                                          double[] z, int zOffset, int o0) {
        if (o0 + UNIT_BLOCK > out) {   // a partial block, the layer's last: each output its own chain
            for (int ch = 0; ch < channelCount; ch++) {
                int zRow = zOffset + ch * out + o0;
                int aRow = previousOffset + ch * in;
                for (int o = o0; o < out; o++) {
                    double sum = ch == 0 ? params[biasOffset + o] : 0.0;
                    for (int i = 0; i < in; i++) {
                        double ai = previous[aRow + i];
                        if (ai != 0.0) {
                            sum += transposed[transposedOffset + i * out + o] * ai;
                        }
                    }
                    z[zRow + o - o0] = sum;
                }
            }
            return;
        }
        for (int ch = 0; ch < channelCount; ch++) {
            int zRow = zOffset + ch * out + o0;
            int aRow = previousOffset + ch * in;
            int b = biasOffset + o0;
            double z0 = ch == 0 ? params[b] : 0.0;
            double z1 = ch == 0 ? params[b + 1] : 0.0;
            double z2 = ch == 0 ? params[b + 2] : 0.0;
            double z3 = ch == 0 ? params[b + 3] : 0.0;
            double z4 = ch == 0 ? params[b + 4] : 0.0;
            double z5 = ch == 0 ? params[b + 5] : 0.0;
            double z6 = ch == 0 ? params[b + 6] : 0.0;
            double z7 = ch == 0 ? params[b + 7] : 0.0;
            for (int i = 0; i < in; i++) {
                double ai = previous[aRow + i];
                if (ai != 0.0) {
                    int column = transposedOffset + i * out + o0;
                    z0 += transposed[column] * ai;
                    z1 += transposed[column + 1] * ai;
                    z2 += transposed[column + 2] * ai;
                    z3 += transposed[column + 3] * ai;
                    z4 += transposed[column + 4] * ai;
                    z5 += transposed[column + 5] * ai;
                    z6 += transposed[column + 6] * ai;
                    z7 += transposed[column + 7] * ai;
                }
            }
            z[zRow] = z0;
            z[zRow + 1] = z1;
            z[zRow + 2] = z2;
            z[zRow + 3] = z3;
            z[zRow + 4] = z4;
            z[zRow + 5] = z5;
            z[zRow + 6] = z6;
            z[zRow + 7] = z7;
        }
    }

    /**
     * Sine activation of unit o with its channels, given {@code s = sin(w z)} and {@code c = cos(w z)}:
     * {@code a = s}, {@code a_j = w c z_j}, {@code a_L = -w^2 s sum_{j in S} z_j^2 + w c z_L}.
     */
    public static void sineForwardUnit(double[] z, int zOffset, double[] a, int aOffset, int out, int o, int dims,
                                       int laplacianAxes, double w, double s, double c) {
        a[aOffset + o] = s;
        double squares = 0.0;
        for (int j = 0; j < dims; j++) {
            double zj = z[zOffset + (1 + j) * out + o];
            a[aOffset + (1 + j) * out + o] = w * c * zj;
            if ((laplacianAxes >> j & 1) != 0) {
                squares += zj * zj;
            }
        }
        if (laplacianAxes != 0) {
            int lap = (1 + dims) * out + o;
            a[aOffset + lap] = -w * w * s * squares + w * c * z[zOffset + lap];
        }
    }

    /**
     * Pre-activation adjoint of sine unit o from its activation adjoint:
     * <pre>
     *   zbar_L = abar_L w c
     *   zbar_j = abar_j w c - [j in S] abar_L 2 w^2 s z_j
     *   zbar   = abar w c - w^2 s sum_j abar_j z_j - abar_L (w^3 c sum_{j in S} z_j^2 + w^2 s z_L)
     * </pre>
     */
    public static void sineBackwardUnit(double[] z, int zOffset, double[] abar, int abarOffset, double[] zbar,
                                        int zbarOffset, int out, int o, int dims, int laplacianAxes, double w, double s,
                                        double c) {
        double w2 = w * w;
        int lap = (1 + dims) * out + o;
        double abarL = laplacianAxes != 0 ? abar[abarOffset + lap] : 0.0;
        double value = abar[abarOffset + o] * w * c;
        double squares = 0.0;
        for (int j = 0; j < dims; j++) {
            int gj = (1 + j) * out + o;
            double zj = z[zOffset + gj];
            double abarJ = abar[abarOffset + gj];
            value -= w2 * s * abarJ * zj;
            double zbarJ = abarJ * w * c;
            if ((laplacianAxes >> j & 1) != 0) {
                zbarJ -= abarL * 2.0 * w2 * s * zj;
                squares += zj * zj;
            }
            zbar[zbarOffset + gj] = zbarJ;
        }
        if (laplacianAxes != 0) {
            value -= abarL * (w2 * w * c * squares + w2 * s * z[zOffset + lap]);
            zbar[zbarOffset + lap] = abarL * w * c;
        }
        zbar[zbarOffset + o] = value;
    }

    /** {@code target[ch, i] = sum_o W[o, i] zbar[ch, o]}, summed in ascending o. */
    public static void linearBackward(double[] params, int weightOffset, int in, int out, int channelCount,
                                      double[] zbar, int zbarOffset, double[] target, int targetOffset) {
        for (int ch = 0; ch < channelCount; ch++) {
            int t = targetOffset + ch * in;
            for (int i = 0; i < in; i++) {
                target[t + i] = 0.0;
            }
            for (int o = 0; o < out; o++) {
                double g = zbar[zbarOffset + ch * out + o];
                if (g != 0.0) {
                    int row = weightOffset + o * in;
                    for (int i = 0; i < in; i++) {
                        target[t + i] += g * params[row + i];
                    }
                }
            }
        }
    }

    /**
     * {@link #linearBackward} for the inputs {@code i0 .. i0 + UNIT_BLOCK - 1} below {@code in},
     * every channel, each sum the same chain (o ascending from zero, zero adjoints skipped), the
     * block's sums in registers: {@link #linearForwardBlock}'s shape.
     */
    public static void linearBackwardBlock(double[] params, int weightOffset, int in, int out, int channelCount,
                                           double[] zbar, int zbarOffset, double[] target, int targetOffset, int i0) {
        if (i0 + UNIT_BLOCK > in) {   // a partial block, the layer's last: each input its own chain
            for (int ch = 0; ch < channelCount; ch++) {
                int t = targetOffset + ch * in + i0;
                int gRow = zbarOffset + ch * out;
                for (int i = i0; i < in; i++) {
                    double sum = 0.0;
                    for (int o = 0; o < out; o++) {
                        double g = zbar[gRow + o];
                        if (g != 0.0) {
                            sum += g * params[weightOffset + o * in + i];
                        }
                    }
                    target[t + i - i0] = sum;
                }
            }
            return;
        }
        for (int ch = 0; ch < channelCount; ch++) {
            int t = targetOffset + ch * in + i0;
            int gRow = zbarOffset + ch * out;
            double t0 = 0.0;
            double t1 = 0.0;
            double t2 = 0.0;
            double t3 = 0.0;
            double t4 = 0.0;
            double t5 = 0.0;
            double t6 = 0.0;
            double t7 = 0.0;
            for (int o = 0; o < out; o++) {
                double g = zbar[gRow + o];
                if (g != 0.0) {
                    int row = weightOffset + o * in + i0;
                    t0 += g * params[row];
                    t1 += g * params[row + 1];
                    t2 += g * params[row + 2];
                    t3 += g * params[row + 3];
                    t4 += g * params[row + 4];
                    t5 += g * params[row + 5];
                    t6 += g * params[row + 6];
                    t7 += g * params[row + 7];
                }
            }
            target[t] = t0;
            target[t + 1] = t1;
            target[t + 2] = t2;
            target[t + 3] = t3;
            target[t + 4] = t4;
            target[t + 5] = t5;
            target[t + 6] = t6;
            target[t + 7] = t7;
        }
    }

    /** Columns of the weight blocks {@link #weightGradientBlock} sums side by side. */
    public static final int GRADIENT_BLOCK = 8;
    /** Rows of the weight blocks {@link #weightGradientBlock} sums side by side. */
    public static final int GRADIENT_BLOCK_ROWS = 2;

    /**
     * The gradients of a block of weights, rows {@code o, o + 1} by columns {@code i0 ..
     * i0 + GRADIENT_BLOCK - 1}, over the points {@code [from, to)} of a batch:
     * {@code dW[o, i] = sum_p sum_ch zbar[p, ch, o] a_prev[p, ch, i]}, each sum over points
     * ascending, then channels. Written to {@code target[targetOffset + (o' - o) in + j]} for the
     * rows below {@code out} and the columns {@code i0 + j} below {@code in} (the layout of the
     * {@code (out, in)} weights). The sums run side by side so that each load of zbar and of the
     * activations serves several of them and the products can share vector lanes; each sum still
     * adds in its own fixed order.
     *
     * <p>A point's channel whose zbar is zero in both rows adds nothing (a zero product leaves a
     * sum of finite products as it is, since such a sum is never -0), so it is skipped: on
     * boundary points most channels' zbar are zero.
     *
     * <p>A block that reaches past the row's end reads (and discards) the numbers after it, so
     * {@code previous} must hold {@code GRADIENT_BLOCK - 1} numbers beyond the last row it reads.
     * A block whose second row is past {@code out} reads row {@code o} twice and writes it once.
     */
    public static void weightGradientBlock(int from, int to, int channelCount, int in, int out, int o, int i0,
                                           double[] zbar, int zbarOffset, double[] previous, int previousOffset,
                                           double[] target, int targetOffset) {
        int o1 = o + 1 < out ? o + 1 : o;
        double sum00 = 0.0;
        double sum01 = 0.0;
        double sum02 = 0.0;
        double sum03 = 0.0;
        double sum04 = 0.0;
        double sum05 = 0.0;
        double sum06 = 0.0;
        double sum07 = 0.0;
        double sum10 = 0.0;
        double sum11 = 0.0;
        double sum12 = 0.0;
        double sum13 = 0.0;
        double sum14 = 0.0;
        double sum15 = 0.0;
        double sum16 = 0.0;
        double sum17 = 0.0;
        for (int p = from; p < to; p++) {
            int zBase = zbarOffset + p * channelCount * out;
            int aBase = previousOffset + p * channelCount * in + i0;
            for (int ch = 0; ch < channelCount; ch++) {
                double g0 = zbar[zBase + ch * out + o];
                double g1 = zbar[zBase + ch * out + o1];
                if (g0 != 0.0 || g1 != 0.0) {
                    int a = aBase + ch * in;
                    double a0 = previous[a + 0];
                    double a1 = previous[a + 1];
                    double a2 = previous[a + 2];
                    double a3 = previous[a + 3];
                    double a4 = previous[a + 4];
                    double a5 = previous[a + 5];
                    double a6 = previous[a + 6];
                    double a7 = previous[a + 7];
                    sum00 += g0 * a0;
                    sum01 += g0 * a1;
                    sum02 += g0 * a2;
                    sum03 += g0 * a3;
                    sum04 += g0 * a4;
                    sum05 += g0 * a5;
                    sum06 += g0 * a6;
                    sum07 += g0 * a7;
                    sum10 += g1 * a0;
                    sum11 += g1 * a1;
                    sum12 += g1 * a2;
                    sum13 += g1 * a3;
                    sum14 += g1 * a4;
                    sum15 += g1 * a5;
                    sum16 += g1 * a6;
                    sum17 += g1 * a7;
                }
            }
        }
        target[targetOffset] = sum00;
        if (i0 + 1 < in) {
            target[targetOffset + 1] = sum01;
        }
        if (i0 + 2 < in) {
            target[targetOffset + 2] = sum02;
        }
        if (i0 + 3 < in) {
            target[targetOffset + 3] = sum03;
        }
        if (i0 + 4 < in) {
            target[targetOffset + 4] = sum04;
        }
        if (i0 + 5 < in) {
            target[targetOffset + 5] = sum05;
        }
        if (i0 + 6 < in) {
            target[targetOffset + 6] = sum06;
        }
        if (i0 + 7 < in) {
            target[targetOffset + 7] = sum07;
        }
        if (o + 1 < out) {
            target[targetOffset + in] = sum10;
            if (i0 + 1 < in) {
                target[targetOffset + in + 1] = sum11;
            }
            if (i0 + 2 < in) {
                target[targetOffset + in + 2] = sum12;
            }
            if (i0 + 3 < in) {
                target[targetOffset + in + 3] = sum13;
            }
            if (i0 + 4 < in) {
                target[targetOffset + in + 4] = sum14;
            }
            if (i0 + 5 < in) {
                target[targetOffset + in + 5] = sum15;
            }
            if (i0 + 6 < in) {
                target[targetOffset + in + 6] = sum16;
            }
            if (i0 + 7 < in) {
                target[targetOffset + in + 7] = sum17;
            }
        }
    }

    /**
     * One bias's gradient over the points {@code [from, to)}: {@code db[o] = sum_p zbar[p, 0, o]},
     * points ascending.
     */
    public static double biasGradient(int from, int to, int channelCount, int out, int o, double[] zbar,
                                      int zbarOffset) {
        double sum = 0.0;
        for (int p = from; p < to; p++) {
            sum += zbar[zbarOffset + p * channelCount * out + o];
        }
        return sum;
    }
}
