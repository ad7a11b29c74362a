package io.hermitengp.network;

import io.hermitengp.field.Channels;

/**
 * {@link TileKernels} in plain Java, one element at a time: the statement of what
 * {@link VectorTileKernels} computes (bit for bit), and what runs where the
 * {@code jdk.incubator.vector} module is not in the JVM. The loops run the summed index outside
 * the output columns so that the inner loop streams along rows; each output element still sees
 * its terms in ascending order.
 */
public final class ScalarTileKernels implements TileKernels {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void multiplyAdd(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, int rows,
                            int inner, int cols) {
        for (int r = 0; r < rows; r++) {
            int cRow = cOffset + r * cols;
            for (int k = 0; k < inner; k++) {
                double ark = a[aOffset + r * inner + k];
                int bRow = bOffset + k * cols;
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] = Math.fma(ark, b[bRow + j], c[cRow + j]);
                }
            }
        }
    }

    @Override
    public void multiplyAddTransposed(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                                      int rows, int m, int cols) {
        for (int r = 0; r < rows; r++) {
            int bRow = bOffset + r * cols;
            for (int i = 0; i < m; i++) {
                double ari = a[aOffset + r * m + i];
                int cRow = cOffset + i * cols;
                for (int j = 0; j < cols; j++) {
                    c[cRow + j] = Math.fma(ari, b[bRow + j], c[cRow + j]);
                }
            }
        }
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
