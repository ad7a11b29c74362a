package io.hermitengp.network;

import io.hermitengp.field.Channels;

/**
 * {@link TileKernels} in plain Java: the statement of what {@link VectorTileKernels} computes (bit
 * for bit), and what runs where the {@code jdk.incubator.vector} module is not in the JVM. The
 * products keep a 4 by 4 block of sums in registers while the summed index runs; each output
 * element still sees its terms in ascending order.
 */
public final class ScalarTileKernels implements TileKernels {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void multiplyAdd(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, int rows,
                            int inner, int cols) {
        // left element (row q, summed index k) at q inner + k
        product(a, aOffset, inner, 1, inner, b, bOffset, c, cOffset, rows, cols);
    }

    @Override
    public void multiplyAddTransposed(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
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
    private static void product(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                double[] c, int c0, int cRows, int cols) {
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

    private static void block4x4(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                 int cols, double[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        double s00 = c[c0];
        double s01 = c[c0 + 1];
        double s02 = c[c0 + 2];
        double s03 = c[c0 + 3];
        double s10 = c[c1];
        double s11 = c[c1 + 1];
        double s12 = c[c1 + 2];
        double s13 = c[c1 + 3];
        double s20 = c[c2];
        double s21 = c[c2 + 1];
        double s22 = c[c2 + 2];
        double s23 = c[c2 + 3];
        double s30 = c[c3];
        double s31 = c[c3 + 1];
        double s32 = c[c3 + 2];
        double s33 = c[c3 + 3];
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            double b0k = b[bk];
            double b1k = b[bk + 1];
            double b2k = b[bk + 2];
            double b3k = b[bk + 3];
            double x = a[a0 + ak];
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
     * scalar edge of {@link VectorTileKernels}'s products.
     */
    static double dot(double[] a, int a0, int aStep, double[] b, int b0, int bStep, int count, double acc) {
        for (int k = 0; k < count; k++) {
            acc = Math.fma(a[a0 + k * aStep], b[b0 + k * bStep], acc);
        }
        return acc;
    }

    @Override
    public void addRows(double[] a, int aOffset, int stride, int count, double[] c, int cOffset, int cols) {
        for (int p = 0; p < count; p++) {
            int row = aOffset + p * stride;
            for (int j = 0; j < cols; j++) {
                c[cOffset + j] += a[row + j];
            }
        }
    }

    @Override
    public void sineForward(double[] z, double[] a, double[] cosine, int points, Channels channels, int width,
                            double w) {
        int rowsPerPoint = channels.count();
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            for (int o = 0; o < width; o++) {
                double x = w * z[base + o];
                double s = SineCosine.sin(x);
                double c = SineCosine.cos(x);
                cosine[p * width + o] = c;
                SirenMath.sineForwardUnit(z, base, a, base, width, o, channels.dims(), channels.laplacianAxes(), w, s,
                        c);
            }
        }
    }

    @Override
    public void sineBackward(double[] z, double[] a, double[] cosine, double[] abar, double[] zbar, int points,
                             Channels channels, int width, double w) {
        int rowsPerPoint = channels.count();
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            for (int o = 0; o < width; o++) {
                SirenMath.sineBackwardUnit(z, base, abar, base, zbar, base, width, o, channels.dims(),
                        channels.laplacianAxes(), w, a[base + o], cosine[p * width + o]);
            }
        }
    }

    @Override
    public void columnProduct(double first, double[] x, int r0, int r1, int r2, int factors, double[] out,
                              int outOffset, int count) {
        for (int p = 0; p < count; p++) {
            double product = first * x[r0 + p];
            if (factors > 1) {
                product *= x[r1 + p];
            }
            if (factors > 2) {
                product *= x[r2 + p];
            }
            out[outOffset + p] = product;
        }
    }

    @Override
    public void columnMultiply(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset,
                               int count) {
        for (int p = 0; p < count; p++) {
            out[outOffset + p] = x[xOffset + p] * y[yOffset + p];
        }
    }

    @Override
    public void columnMultiplyAdd(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset,
                                  int count) {
        for (int p = 0; p < count; p++) {
            out[outOffset + p] += x[xOffset + p] * y[yOffset + p];
        }
    }

    @Override
    public void columnAdd(double[] x, int xOffset, double[] out, int outOffset, int count) {
        for (int p = 0; p < count; p++) {
            out[outOffset + p] += x[xOffset + p];
        }
    }

    @Override
    public void columnScale(double s, double[] out, int outOffset, int count) {
        for (int p = 0; p < count; p++) {
            out[outOffset + p] = s * out[outOffset + p];
        }
    }
}
