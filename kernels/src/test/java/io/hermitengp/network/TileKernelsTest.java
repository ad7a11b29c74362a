package io.hermitengp.network;

import io.hermitengp.field.Channels;
import io.hermitengp.backend.cpu.CpuPath;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vector kernels against the scalar ones, bit for bit, on shapes that hit every edge of the
 * register blocks (rows not a multiple of 4, columns narrower than one or two vectors); the scalar
 * ones against plainly written sums and against the SIREN's per-unit arithmetic with {@link Math#sin}.
 */
class TileKernelsTest {
    private static final TileKernels SCALAR = new ScalarTileKernels();
    // fails, naming the JVM option, if the tests run without the module: the vector path must be tested
    private static final TileKernels VECTOR = CpuPath.VECTOR.kernels();
    private static final int[] ROWS = {1, 3, 4, 7, 13};
    private static final int[] INNER = {1, 5, 16};
    /** Elements after the operands: none (the edge's full-width loads would leave the arrays), or plenty. */
    private static final int[] SLACK = {0, 64};
    private static final int[] COLS = {1, 3, 4, 8, 9, 12, 17, 20, 128};

    private static double[] random(SplittableRandom random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 2 * random.nextDouble() - 1;
        }
        return values;
    }

    @Test
    void productsOfVectorAndScalarKernelsAreTheSameBits() {
        SplittableRandom random = new SplittableRandom(1);
        for (int rows : ROWS) {
            for (int inner : INNER) {
                for (int cols : COLS) {
                    for (int slack : SLACK) {
                        String shape = rows + "x" + inner + "x" + cols + " slack " + slack;
                        double[] a = random(random, 2 + rows * inner + slack);
                        double[] b = random(random, 3 + inner * cols + slack);
                        double[] c = random(random, 1 + rows * cols + slack);
                        double[] scalar = c.clone();
                        double[] vector = c.clone();
                        SCALAR.multiplyAdd(a, 2, b, 3, scalar, 1, rows, inner, cols);
                        VECTOR.multiplyAdd(a, 2, b, 3, vector, 1, rows, inner, cols);
                        assertArrayEquals(scalar, vector, "multiplyAdd " + shape);
                        assertEquals(c[0], vector[0], 0.0, "multiplyAdd " + shape + " wrote before its offset");

                        // transposed: a (rows, inner) as the left factor's transpose, c (inner, cols)
                        double[] bt = random(random, 3 + rows * cols + slack);
                        double[] ct = random(random, 1 + inner * cols + slack);
                        double[] scalarT = ct.clone();
                        double[] vectorT = ct.clone();
                        SCALAR.multiplyAddTransposed(a, 2, bt, 3, scalarT, 1, rows, inner, cols);
                        VECTOR.multiplyAddTransposed(a, 2, bt, 3, vectorT, 1, rows, inner, cols);
                        assertArrayEquals(scalarT, vectorT, "multiplyAddTransposed " + shape);

                        double[] scalarRows = ct.clone();
                        double[] vectorRows = ct.clone();
                        SCALAR.addRows(bt, 3, cols, rows, scalarRows, 1, cols);
                        VECTOR.addRows(bt, 3, cols, rows, vectorRows, 1, cols);
                        assertArrayEquals(scalarRows, vectorRows, "addRows " + shape);
                    }
                }
            }
        }
    }

    @Test
    void scalarProductsAreTheSumsTheyState() {
        SplittableRandom random = new SplittableRandom(2);
        int rows = 7;
        int inner = 5;
        int cols = 9;
        double[] a = random(random, rows * inner);
        double[] b = random(random, inner * cols);
        double[] c = random(random, rows * cols);
        double[] product = c.clone();
        SCALAR.multiplyAdd(a, 0, b, 0, product, 0, rows, inner, cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double sum = c[r * cols + j];
                for (int k = 0; k < inner; k++) {
                    sum += a[r * inner + k] * b[k * cols + j];
                }
                assertEquals(sum, product[r * cols + j], 1e-14, "c[" + r + ", " + j + "]");
            }
        }
        double[] bt = random(random, rows * cols);
        double[] ct = random(random, inner * cols);
        double[] transposed = ct.clone();
        SCALAR.multiplyAddTransposed(a, 0, bt, 0, transposed, 0, rows, inner, cols);
        double[] biases = new double[cols];
        SCALAR.addRows(bt, 0, 2 * cols, (rows + 1) / 2, biases, 0, cols);
        for (int i = 0; i < inner; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = ct[i * cols + j];
                for (int r = 0; r < rows; r++) {
                    sum += a[r * inner + i] * bt[r * cols + j];
                }
                assertEquals(sum, transposed[i * cols + j], 1e-14, "transposed c[" + i + ", " + j + "]");
            }
        }
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int r = 0; r < rows; r += 2) {
                sum += bt[r * cols + j];
            }
            assertEquals(sum, biases[j], 0.0, "every other row summed, column " + j);
        }
    }

    @Test
    void columnOperationsOfVectorAndScalarKernelsAreTheSameBits() {
        SplittableRandom random = new SplittableRandom(5);
        for (int count : new int[]{1, 3, 4, 9, 256}) {
            double[] x = random(random, 3 * count + 2);
            double[] y = random(random, count + 1);
            double[] out = random(random, count + 3);
            for (int factors = 1; factors <= 3; factors++) {
                double[] scalar = out.clone();
                double[] vector = out.clone();
                SCALAR.columnProduct(0.7, x, 2, 2 + count, 2 + 2 * count, factors, scalar, 3, count);
                VECTOR.columnProduct(0.7, x, 2, 2 + count, 2 + 2 * count, factors, vector, 3, count);
                assertArrayEquals(scalar, vector, "columnProduct of " + factors + " factors, " + count + " points");
                assertEquals(0.7 * x[2] * (factors > 1 ? x[2 + count] : 1) * (factors > 2 ? x[2 + 2 * count] : 1),
                        scalar[3], 1e-15, "the first point's product");
            }
            double[][] results = new double[2][];
            TileKernels[] kernels = {SCALAR, VECTOR};
            for (int i = 0; i < 2; i++) {
                double[] o = out.clone();
                kernels[i].columnMultiply(x, 1, y, 1, o, 0, count);
                kernels[i].columnMultiplyAdd(x, 2, y, 0, o, 1, count);
                kernels[i].columnAdd(x, 0, o, 2, count);
                kernels[i].columnScale(-1.3, o, 3, count);
                results[i] = o;
            }
            assertArrayEquals(results[0], results[1], "column operations, " + count + " points");
        }
    }

    private static final Channels[] CHANNELS = {Channels.valueOnly(), Channels.valueAndGradient(2),
            Channels.withFullLaplacian(2), new Channels(3, 5)};

    @Test
    void sineLayersOfVectorAndScalarKernelsAreTheSameBits() {
        SplittableRandom random = new SplittableRandom(3);
        for (Channels channels : CHANNELS) {
            for (int width : new int[]{1, 3, 4, 9, 128}) {
                int points = 5;
                int size = points * channels.count() * width;
                double w = 30.0;
                // arguments up to |w z| = 150, and one beyond the reduction limit
                double[] z = random(random, size);
                z[size / 2] = 4 * SineCosine.REDUCTION_LIMIT / w;
                double[] a = new double[size];
                double[] cosine = new double[points * width];
                double[] aVector = new double[size];
                double[] cosineVector = new double[points * width];
                SCALAR.sineForward(z, a, cosine, points, channels, width, w);
                VECTOR.sineForward(z, aVector, cosineVector, points, channels, width, w);
                String what = channels + " width " + width;
                assertArrayEquals(a, aVector, "sine forward activations, " + what);
                assertArrayEquals(cosine, cosineVector, "sine forward cosines, " + what);

                double[] abar = random(random, size);
                double[] zbar = new double[size];
                double[] zbarVector = new double[size];
                SCALAR.sineBackward(z, a, cosine, abar, zbar, points, channels, width, w);
                VECTOR.sineBackward(z, a, cosine, abar, zbarVector, points, channels, width, w);
                assertArrayEquals(zbar, zbarVector, "sine backward, " + what);
            }
        }
    }

    @Test
    void scalarSineLayerIsTheSirensUnitArithmetic() {
        SplittableRandom random = new SplittableRandom(4);
        Channels channels = Channels.withFullLaplacian(2);
        int points = 3;
        int width = 6;
        int size = points * channels.count() * width;
        double w = 30.0;
        double[] z = random(random, size);
        double[] a = new double[size];
        double[] cosine = new double[points * width];
        SCALAR.sineForward(z, a, cosine, points, channels, width, w);
        double[] expected = new double[size];
        for (int p = 0; p < points; p++) {
            int base = p * channels.count() * width;
            for (int o = 0; o < width; o++) {
                double s = Math.sin(w * z[base + o]);
                double c = Math.cos(w * z[base + o]);
                assertEquals(c, cosine[p * width + o], 1e-15, "cos of point " + p + " unit " + o);
                SirenMath.sineForwardUnit(z, base, expected, base, width, o, 2, 3, w, s, c);
            }
        }
        for (int i = 0; i < size; i++) {
            // a_L carries w^2 = 900 times the sine
            assertEquals(expected[i], a[i], 1e-15 * w * w * 4, "activation " + i);
        }
    }
}
