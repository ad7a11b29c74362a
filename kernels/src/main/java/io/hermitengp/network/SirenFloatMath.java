package io.hermitengp.network;

/**
 * {@link SirenMath}'s per-point arithmetic in float, for the OpenCL backend's
 * {@link Precision#FLOAT32}: the same equations, layouts and summation orders on float arrays,
 * each sum accumulated in float. Static methods over (array, offset) pairs with no allocation and
 * no library calls, so Aparapi translates them as they are; the sines and cosines come from the
 * caller (the device's float built-ins).
 *
 * <p>Where a float result leaves the network (a weight-gradient or bias sum over a tile of
 * points) it is written to a double array, so that the sums across tiles are double, as on the
 * CPU's float32 path. A float sum of n products carries a relative error of about
 * {@code n 2^-24} of its terms' magnitudes.
 */
public final class SirenFloatMath {
    private SirenFloatMath() {
    }

    /**
     * {@link SirenMath#transposeWeight} on the float copy: {@code W[o, i]} at {@code index = o in + i}
     * of the {@code (out, in)} block at {@code weightsOffset} to {@code i out + o} of the
     * {@code (in, out)} block at {@code transposedOffset}.
     */
    public static void transposeWeight(float[] network, int weightsOffset, float[] transposed, int transposedOffset,
                                       int in, int out, int index) {
        int o = index / in;
        int i = index - o * in;
        transposed[transposedOffset + i * out + o] = network[weightsOffset + index];
    }

    /**
     * {@link SirenMath#linearForward} in float: {@code z[ch, o] = [ch = 0] b[o] + sum_i W[o, i] a[ch, i]},
     * summed in ascending i from the bias.
     *
     * @param network    the bias at {@code biasOffset}
     * @param transposed the weights as {@code (in, out)} row-major at {@code transposedOffset}
     */
    public static void linearForward(float[] network, int biasOffset, float[] transposed, int transposedOffset,
                                     int in, int out, int channelCount, float[] previous, int previousOffset,
                                     float[] z, int zOffset) {
        for (int ch = 0; ch < channelCount; ch++) {
            int zRow = zOffset + ch * out;
            for (int o = 0; o < out; o++) {
                z[zRow + o] = ch == 0 ? network[biasOffset + o] : 0.0f;
            }
            int aRow = previousOffset + ch * in;
            for (int i = 0; i < in; i++) {
                float ai = previous[aRow + i];
                if (ai != 0.0f) {
                    int column = transposedOffset + i * out;
                    for (int o = 0; o < out; o++) {
                        z[zRow + o] += transposed[column + o] * ai;
                    }
                }
            }
        }
    }

    /**
     * {@link SirenMath#linearForwardBlock} in float: {@code z[ch, o] = [ch = 0] b[o] + sum_i W[o, i] a[ch, i]}
     * for the outputs {@code o0 .. o0 + UNIT_BLOCK - 1} below {@code out}, every channel, summed in
     * ascending i from the bias (zero activations skipped), a full block's sums in registers.
     *
     * @param network    the bias at {@code biasOffset}
     * @param transposed the weights as {@code (in, out)} row-major at {@code transposedOffset}
     */
    public static void linearForwardBlock(float[] network, int biasOffset, float[] transposed, int transposedOffset,
                                          int in, int out, int channelCount, float[] previous, int previousOffset,
                                          float[] z, int zOffset, int o0) {
        if (o0 + SirenMath.UNIT_BLOCK > out) {   // a partial block, the layer's last: each output its own chain
            for (int ch = 0; ch < channelCount; ch++) {
                int zRow = zOffset + ch * out + o0;
                int aRow = previousOffset + ch * in;
                for (int o = o0; o < out; o++) {
                    float sum = ch == 0 ? network[biasOffset + o] : 0.0f;
                    for (int i = 0; i < in; i++) {
                        float ai = previous[aRow + i];
                        if (ai != 0.0f) {
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
            float z0 = ch == 0 ? network[b] : 0.0f;
            float z1 = ch == 0 ? network[b + 1] : 0.0f;
            float z2 = ch == 0 ? network[b + 2] : 0.0f;
            float z3 = ch == 0 ? network[b + 3] : 0.0f;
            float z4 = ch == 0 ? network[b + 4] : 0.0f;
            float z5 = ch == 0 ? network[b + 5] : 0.0f;
            float z6 = ch == 0 ? network[b + 6] : 0.0f;
            float z7 = ch == 0 ? network[b + 7] : 0.0f;
            for (int i = 0; i < in; i++) {
                float ai = previous[aRow + i];
                if (ai != 0.0f) {
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
     * {@link SirenMath#sineForwardUnit} in float, given {@code s = sin(w z)} and {@code c = cos(w z)}:
     * {@code a = s}, {@code a_j = w c z_j}, {@code a_L = -w^2 s sum_{j in S} z_j^2 + w c z_L}.
     */
    public static void sineForwardUnit(float[] z, int zOffset, float[] a, int aOffset, int out, int o, int dims,
                                       int laplacianAxes, float w, float s, float c) {
        a[aOffset + o] = s;
        float wc = w * c;
        float squares = 0.0f;
        for (int j = 0; j < dims; j++) {
            float zj = z[zOffset + (1 + j) * out + o];
            a[aOffset + (1 + j) * out + o] = wc * zj;
            if ((laplacianAxes >> j & 1) != 0) {
                squares += zj * zj;
            }
        }
        if (laplacianAxes != 0) {
            int lap = (1 + dims) * out + o;
            a[aOffset + lap] = -w * w * s * squares + wc * z[zOffset + lap];
        }
    }

    /**
     * {@link SirenMath#sineBackwardUnit} in float: the pre-activation adjoint of sine unit o from
     * its activation adjoint,
     * <pre>
     *   zbar_L = abar_L w c
     *   zbar_j = abar_j w c - [j in S] abar_L 2 w^2 s z_j
     *   zbar   = abar w c - w^2 s sum_j abar_j z_j - abar_L (w^3 c sum_{j in S} z_j^2 + w^2 s z_L)
     * </pre>
     */
    public static void sineBackwardUnit(float[] z, int zOffset, float[] abar, int abarOffset, float[] zbar,
                                        int zbarOffset, int out, int o, int dims, int laplacianAxes, float w, float s,
                                        float c) {
        float w2 = w * w;
        float wc = w * c;
        int lap = (1 + dims) * out + o;
        float abarL = laplacianAxes != 0 ? abar[abarOffset + lap] : 0.0f;
        float value = abar[abarOffset + o] * wc;
        float squares = 0.0f;
        for (int j = 0; j < dims; j++) {
            int gj = (1 + j) * out + o;
            float zj = z[zOffset + gj];
            float abarJ = abar[abarOffset + gj];
            value -= w2 * s * abarJ * zj;
            float zbarJ = abarJ * wc;
            if ((laplacianAxes >> j & 1) != 0) {
                zbarJ -= abarL * 2.0f * w2 * s * zj;
                squares += zj * zj;
            }
            zbar[zbarOffset + gj] = zbarJ;
        }
        if (laplacianAxes != 0) {
            value -= abarL * (w2 * wc * squares + w2 * s * z[zOffset + lap]);
            zbar[zbarOffset + lap] = abarL * wc;
        }
        zbar[zbarOffset + o] = value;
    }

    /** {@link SirenMath#linearBackward} in float: {@code target[ch, i] = sum_o W[o, i] zbar[ch, o]}, o ascending. */
    public static void linearBackward(float[] network, int weightOffset, int in, int out, int channelCount,
                                      float[] zbar, int zbarOffset, float[] target, int targetOffset) {
        for (int ch = 0; ch < channelCount; ch++) {
            int t = targetOffset + ch * in;
            for (int i = 0; i < in; i++) {
                target[t + i] = 0.0f;
            }
            for (int o = 0; o < out; o++) {
                float g = zbar[zbarOffset + ch * out + o];
                if (g != 0.0f) {
                    int row = weightOffset + o * in;
                    for (int i = 0; i < in; i++) {
                        target[t + i] += g * network[row + i];
                    }
                }
            }
        }
    }

    /**
     * {@link SirenMath#linearBackwardBlock} in float: {@code target[ch, i] = sum_o W[o, i] zbar[ch, o]}
     * for the inputs {@code i0 .. i0 + UNIT_BLOCK - 1} below {@code in}, every channel, o ascending
     * from zero (zero adjoints skipped), a full block's sums in registers.
     */
    public static void linearBackwardBlock(float[] network, int weightOffset, int in, int out, int channelCount,
                                           float[] zbar, int zbarOffset, float[] target, int targetOffset, int i0) {
        if (i0 + SirenMath.UNIT_BLOCK > in) {   // a partial block, the layer's last: each input its own chain
            for (int ch = 0; ch < channelCount; ch++) {
                int t = targetOffset + ch * in + i0;
                int gRow = zbarOffset + ch * out;
                for (int i = i0; i < in; i++) {
                    float sum = 0.0f;
                    for (int o = 0; o < out; o++) {
                        float g = zbar[gRow + o];
                        if (g != 0.0f) {
                            sum += g * network[weightOffset + o * in + i];
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
            float t0 = 0.0f;
            float t1 = 0.0f;
            float t2 = 0.0f;
            float t3 = 0.0f;
            float t4 = 0.0f;
            float t5 = 0.0f;
            float t6 = 0.0f;
            float t7 = 0.0f;
            for (int o = 0; o < out; o++) {
                float g = zbar[gRow + o];
                if (g != 0.0f) {
                    int row = weightOffset + o * in + i0;
                    t0 += g * network[row];
                    t1 += g * network[row + 1];
                    t2 += g * network[row + 2];
                    t3 += g * network[row + 3];
                    t4 += g * network[row + 4];
                    t5 += g * network[row + 5];
                    t6 += g * network[row + 6];
                    t7 += g * network[row + 7];
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

    /**
     * {@link SirenMath#weightGradientBlock} in float: the gradients of weights rows {@code o, o + 1}
     * by columns {@code i0 .. i0 + GRADIENT_BLOCK - 1} over the points {@code [from, to)} (at most a
     * tile's), each sum in float over points ascending, then channels, and written to the double
     * {@code target} in the same layout. The same reading past a row's end applies: {@code previous}
     * must hold {@code GRADIENT_BLOCK - 1} numbers beyond the last row it reads.
     */
    public static void weightGradientBlock(int from, int to, int channelCount, int in, int out, int o, int i0,
                                           float[] zbar, int zbarOffset, float[] previous, int previousOffset,
                                           double[] target, int targetOffset) {
        int o1 = o + 1 < out ? o + 1 : o;
        float sum00 = 0.0f;
        float sum01 = 0.0f;
        float sum02 = 0.0f;
        float sum03 = 0.0f;
        float sum04 = 0.0f;
        float sum05 = 0.0f;
        float sum06 = 0.0f;
        float sum07 = 0.0f;
        float sum10 = 0.0f;
        float sum11 = 0.0f;
        float sum12 = 0.0f;
        float sum13 = 0.0f;
        float sum14 = 0.0f;
        float sum15 = 0.0f;
        float sum16 = 0.0f;
        float sum17 = 0.0f;
        for (int p = from; p < to; p++) {
            int zBase = zbarOffset + p * channelCount * out;
            int aBase = previousOffset + p * channelCount * in + i0;
            for (int ch = 0; ch < channelCount; ch++) {
                float g0 = zbar[zBase + ch * out + o];
                float g1 = zbar[zBase + ch * out + o1];
                if (g0 != 0.0f || g1 != 0.0f) {
                    int a = aBase + ch * in;
                    float a0 = previous[a + 0];
                    float a1 = previous[a + 1];
                    float a2 = previous[a + 2];
                    float a3 = previous[a + 3];
                    float a4 = previous[a + 4];
                    float a5 = previous[a + 5];
                    float a6 = previous[a + 6];
                    float a7 = previous[a + 7];
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

    /** {@link SirenMath#biasGradient} in float: {@code db[o] = sum_p zbar[p, 0, o]}, points ascending. */
    public static float biasGradient(int from, int to, int channelCount, int out, int o, float[] zbar,
                                     int zbarOffset) {
        float sum = 0.0f;
        for (int p = from; p < to; p++) {
            sum += zbar[zbarOffset + p * channelCount * out + o];
        }
        return sum;
    }
}
