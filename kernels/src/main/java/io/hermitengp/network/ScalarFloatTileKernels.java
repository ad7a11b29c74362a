package io.hermitengp.network;

import io.hermitengp.field.Channels;

/**
 * {@link FloatTileKernels} in plain Java: the statement of what {@link VectorFloatTileKernels}
 * computes (bit for bit), and what runs where the {@code jdk.incubator.vector} module is not in
 * the JVM. The products are {@link ScalarTileKernels}' register tiles on floats.
 */
public final class ScalarFloatTileKernels implements FloatTileKernels {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void multiplyAdd(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int rows,
                            int inner, int cols) {
        // left element (row q, summed index k) at q inner + k
        product(a, aOffset, inner, 1, inner, b, bOffset, c, cOffset, rows, cols);
    }

    @Override
    public void multiplyAddTransposed(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                                      int rows, int m, int cols) {
        // left element (row i of c, summed index r) at r m + i
        product(a, aOffset, 1, m, rows, b, bOffset, c, cOffset, m, cols);
    }

    /**
     * {@code c[q, j] += sum_k left(q, k) b[k, j]}, k ascending, with
     * {@code left(q, k) = a[a0 + q qStride + k kStride]}: blocks of 4 rows by 4 columns whose 16
     * sums stay in registers while k runs (the plain-Java register tile), edges one element at a
     * time. Each element is one chain of fused steps in k order, however it is blocked.
     */
    private static void product(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                float[] c, int c0, int cRows, int cols) {
        int q = 0;
        for (; q + 4 <= cRows; q += 4) {
            int aq = a0 + q * qStride;
            int cq = c0 + q * cols;
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                block4x4(a, aq, qStride, kStride, count, b, b0 + j, cols, c, cq + j);
            }
            for (; j < cols; j++) {
                for (int row = 0; row < 4; row++) {
                    int at = cq + row * cols + j;
                    c[at] = dot(a, aq + row * qStride, kStride, b, b0 + j, cols, count, c[at]);
                }
            }
        }
        for (; q < cRows; q++) {
            for (int j = 0; j < cols; j++) {
                int at = c0 + q * cols + j;
                c[at] = dot(a, a0 + q * qStride, kStride, b, b0 + j, cols, count, c[at]);
            }
        }
    }

    private static void block4x4(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                 int cols, float[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        float s00 = c[c0];
        float s01 = c[c0 + 1];
        float s02 = c[c0 + 2];
        float s03 = c[c0 + 3];
        float s10 = c[c1];
        float s11 = c[c1 + 1];
        float s12 = c[c1 + 2];
        float s13 = c[c1 + 3];
        float s20 = c[c2];
        float s21 = c[c2 + 1];
        float s22 = c[c2 + 2];
        float s23 = c[c2 + 3];
        float s30 = c[c3];
        float s31 = c[c3 + 1];
        float s32 = c[c3 + 2];
        float s33 = c[c3 + 3];
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            float b0k = b[bk];
            float b1k = b[bk + 1];
            float b2k = b[bk + 2];
            float b3k = b[bk + 3];
            float x = a[a0 + ak];
            s00 = Math.fma(x, b0k, s00);
            s01 = Math.fma(x, b1k, s01);
            s02 = Math.fma(x, b2k, s02);
            s03 = Math.fma(x, b3k, s03);
            x = a[a1 + ak];
            s10 = Math.fma(x, b0k, s10);
            s11 = Math.fma(x, b1k, s11);
            s12 = Math.fma(x, b2k, s12);
            s13 = Math.fma(x, b3k, s13);
            x = a[a2 + ak];
            s20 = Math.fma(x, b0k, s20);
            s21 = Math.fma(x, b1k, s21);
            s22 = Math.fma(x, b2k, s22);
            s23 = Math.fma(x, b3k, s23);
            x = a[a3 + ak];
            s30 = Math.fma(x, b0k, s30);
            s31 = Math.fma(x, b1k, s31);
            s32 = Math.fma(x, b2k, s32);
            s33 = Math.fma(x, b3k, s33);
        }
        c[c0] = s00;
        c[c0 + 1] = s01;
        c[c0 + 2] = s02;
        c[c0 + 3] = s03;
        c[c1] = s10;
        c[c1 + 1] = s11;
        c[c1 + 2] = s12;
        c[c1 + 3] = s13;
        c[c2] = s20;
        c[c2 + 1] = s21;
        c[c2 + 2] = s22;
        c[c2 + 3] = s23;
        c[c3] = s30;
        c[c3 + 1] = s31;
        c[c3 + 2] = s32;
        c[c3 + 3] = s33;
    }

    /**
     * {@code acc + sum_k a[a0 + k aStep] b[b0 + k bStep]}, k ascending, fused steps; also the
     * scalar edge of {@link VectorFloatTileKernels}'s products.
     */
    static float dot(float[] a, int a0, int aStep, float[] b, int b0, int bStep, int count, float acc) {
        for (int k = 0; k < count; k++) {
            acc = Math.fma(a[a0 + k * aStep], b[b0 + k * bStep], acc);
        }
        return acc;
    }

    @Override
    public void sineForward(float[] z, float[] a, float[] cosine, int points, Channels channels, int width,
                            double w) {
        int rowsPerPoint = channels.count();
        float wHi = SineCosineFloat.high(w);
        float wLo = SineCosineFloat.low(w);
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            for (int o = 0; o < width; o++) {
                a[base + o] = SineCosineFloat.sin(z[base + o], wHi, wLo);
                cosine[p * width + o] = SineCosineFloat.cos(z[base + o], wHi, wLo);
            }
            for (int o = 0; o < width; o++) {
                sineForwardUnit(z, base, a, width, o, channels.dims(), channels.laplacianAxes(), (float) w,
                        cosine[p * width + o]);
            }
        }
    }

    /**
     * The derivative channels of sine unit o of one point, its value row {@code a = s} already
     * written, in the order of {@link FloatTileKernels#sineForward}.
     */
    static void sineForwardUnit(float[] z, int base, float[] a, int width, int o, int dims, int laplacianAxes,
                                float w, float c) {
        float wc = w * c;
        float squares = 0f;
        for (int j = 0; j < dims; j++) {
            int row = base + (1 + j) * width + o;
            float zj = z[row];
            a[row] = wc * zj;
            if ((laplacianAxes >> j & 1) != 0) {
                squares += zj * zj;
            }
        }
        if (laplacianAxes != 0) {
            int lap = base + (1 + dims) * width + o;
            a[lap] = -w * w * a[base + o] * squares + wc * z[lap];
        }
    }

    @Override
    public void sineBackward(float[] z, float[] a, float[] cosine, float[] abar, float[] zbar, int points,
                             Channels channels, int width, double w) {
        int rowsPerPoint = channels.count();
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            for (int o = 0; o < width; o++) {
                sineBackwardUnit(z, abar, zbar, base, width, o, channels.dims(), channels.laplacianAxes(),
                        (float) w, a[base + o], cosine[p * width + o]);
            }
        }
    }

    /** Pre-activation adjoints of sine unit o of one point, in the order of {@link FloatTileKernels#sineBackward}. */
    static void sineBackwardUnit(float[] z, float[] abar, float[] zbar, int base, int width, int o, int dims,
                                 int laplacianAxes, float w, float s, float c) {
        float w2 = w * w;
        int lap = base + (1 + dims) * width + o;
        float abarL = laplacianAxes != 0 ? abar[lap] : 0f;
        float value = abar[base + o] * w * c;
        float squares = 0f;
        for (int j = 0; j < dims; j++) {
            int row = base + (1 + j) * width + o;
            float zj = z[row];
            float abarJ = abar[row];
            value -= s * w2 * abarJ * zj;
            float zbarJ = abarJ * w * c;
            if ((laplacianAxes >> j & 1) != 0) {
                zbarJ -= abarL * 2f * w2 * s * zj;
                squares += zj * zj;
            }
            zbar[row] = zbarJ;
        }
        if (laplacianAxes != 0) {
            value -= abarL * (c * (w2 * w) * squares + s * w2 * z[lap]);
            zbar[lap] = abarL * w * c;
        }
        zbar[base + o] = value;
    }
}
