package io.hermitengp.network;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.field.Channels;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float kernels: vector against scalar bit for bit, on shapes that hit every edge of the
 * register blocks (float vectors have twice the lanes of double ones); the scalar ones against the
 * double kernels on the same float inputs, within float rounding. A float sum of n terms, each
 * step one rounding, is within {@code n 2^-24 sum |term|} of the exact sum; the sine layers' results
 * are short chains of products of rounded factors, within a few {@code 2^-24} of their magnitude.
 */
class FloatTileKernelsTest {
    private static final FloatTileKernels SCALAR = new ScalarFloatTileKernels();
    // fails, naming the JVM option, if the tests run without the module: the vector path must be tested
    private static final FloatTileKernels VECTOR = CpuPath.VECTOR.floatKernels();
    private static final TileKernels DOUBLE = new ScalarTileKernels();
    private static final double FLOAT_EPSILON = 0x1p-24;
    private static final int[] ROWS = {1, 3, 4, 7, 13};
    private static final int[] INNER = {1, 5, 16};
    /** Elements after the operands: none (the edge's full-width loads would leave the arrays), or plenty. */
    private static final int[] SLACK = {0, 64};
    private static final int[] COLS = {1, 3, 7, 8, 9, 12, 16, 17, 20, 24, 33, 128};

    private static float[] random(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }

    private static double[] wide(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    @Test
    void productsOfVectorAndScalarKernelsAreTheSameBits() {
        SplittableRandom random = new SplittableRandom(1);
        for (int rows : ROWS) {
            for (int inner : INNER) {
                for (int cols : COLS) {
                    for (int slack : SLACK) {
                        String shape = rows + "x" + inner + "x" + cols + " slack " + slack;
                        float[] a = random(random, 2 + rows * inner + slack);
                        float[] b = random(random, 3 + inner * cols + slack);
                        float[] c = random(random, 1 + rows * cols + slack);
                        float[] scalar = c.clone();
                        float[] vector = c.clone();
                        SCALAR.multiplyAdd(a, 2, b, 3, scalar, 1, rows, inner, cols);
                        VECTOR.multiplyAdd(a, 2, b, 3, vector, 1, rows, inner, cols);
                        assertArrayEquals(scalar, vector, "multiplyAdd " + shape);
                        assertEquals(c[0], vector[0], 0.0f, "multiplyAdd " + shape + " wrote before its offset");

                        float[] bt = random(random, 3 + rows * cols + slack);
                        float[] ct = random(random, 1 + inner * cols + slack);
                        float[] scalarT = ct.clone();
                        float[] vectorT = ct.clone();
                        SCALAR.multiplyAddTransposed(a, 2, bt, 3, scalarT, 1, rows, inner, cols);
                        VECTOR.multiplyAddTransposed(a, 2, bt, 3, vectorT, 1, rows, inner, cols);
                        assertArrayEquals(scalarT, vectorT, "multiplyAddTransposed " + shape);
                    }
                }
            }
        }
    }

    @Test
    void productsAreTheDoubleProductsWithinFloatRounding() {
        SplittableRandom random = new SplittableRandom(2);
        int rows = 13;
        int inner = 128;
        int cols = 33;
        float[] a = random(random, rows * inner);
        float[] b = random(random, inner * cols);
        float[] c = random(random, rows * cols);
        float[] product = c.clone();
        SCALAR.multiplyAdd(a, 0, b, 0, product, 0, rows, inner, cols);
        double[] exact = wide(c);
        DOUBLE.multiplyAdd(wide(a), 0, wide(b), 0, exact, 0, rows, inner, cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double magnitude = Math.abs(c[r * cols + j]);
                for (int k = 0; k < inner; k++) {
                    magnitude += Math.abs((double) a[r * inner + k] * b[k * cols + j]);
                }
                assertEquals(exact[r * cols + j], product[r * cols + j], (inner + 1) * FLOAT_EPSILON * magnitude,
                        "c[" + r + ", " + j + "]");
            }
        }
        // transposed: the sum runs over the 13 rows, a (rows, inner) read as its transpose
        float[] bt = random(random, rows * cols);
        float[] transposed = new float[inner * cols];
        SCALAR.multiplyAddTransposed(a, 0, bt, 0, transposed, 0, rows, inner, cols);
        double[] exactT = new double[inner * cols];
        DOUBLE.multiplyAddTransposed(wide(a), 0, wide(bt), 0, exactT, 0, rows, inner, cols);
        for (int i = 0; i < inner * cols; i++) {
            assertEquals(exactT[i], transposed[i], rows * FLOAT_EPSILON * rows, "transposed c[" + i + "]");
        }
    }

    private static final Channels[] CHANNELS = {Channels.valueOnly(), Channels.valueAndGradient(2),
            Channels.withFullLaplacian(2), new Channels(3, 5)};

    @Test
    void sineLayersOfVectorAndScalarKernelsAreTheSameBits() {
        SplittableRandom random = new SplittableRandom(3);
        for (Channels channels : CHANNELS) {
            for (int width : new int[]{1, 3, 4, 8, 9, 17, 128}) {
                int points = 5;
                int size = points * channels.count() * width;
                double w = 30.0;
                // arguments up to |w z| = 30, and one beyond the reduction limit
                float[] z = random(random, size);
                z[size / 2] = (float) (4 * SineCosine.REDUCTION_LIMIT / w);
                float[] a = new float[size];
                float[] cosine = new float[points * width];
                float[] aVector = new float[size];
                float[] cosineVector = new float[points * width];
                SCALAR.sineForward(z, a, cosine, points, channels, width, w);
                VECTOR.sineForward(z, aVector, cosineVector, points, channels, width, w);
                String what = channels + " width " + width;
                assertArrayEquals(a, aVector, "sine forward activations, " + what);
                assertArrayEquals(cosine, cosineVector, "sine forward cosines, " + what);

                float[] abar = random(random, size);
                float[] zbar = new float[size];
                float[] zbarVector = new float[size];
                SCALAR.sineBackward(z, a, cosine, abar, zbar, points, channels, width, w);
                VECTOR.sineBackward(z, a, cosine, abar, zbarVector, points, channels, width, w);
                assertArrayEquals(zbar, zbarVector, "sine backward, " + what);
            }
        }
    }

    @Test
    void sineLayersAreTheDoubleOnesWithinFloatRounding() {
        SplittableRandom random = new SplittableRandom(4);
        Channels channels = Channels.withFullLaplacian(2);
        int points = 7;
        int width = 20;
        int size = points * channels.count() * width;
        double w = 30.0;
        float[] z = random(random, size);
        float[] a = new float[size];
        float[] cosine = new float[points * width];
        SCALAR.sineForward(z, a, cosine, points, channels, width, w);
        double[] aExact = new double[size];
        double[] cosineExact = new double[points * width];
        DOUBLE.sineForward(wide(z), aExact, cosineExact, points, channels, width, w);
        for (int i = 0; i < points * width; i++) {
            // SineCosineFloat's bound: 2^-23 from the exact cosine of the same argument
            assertEquals(cosineExact[i], cosine[i], 2 * FLOAT_EPSILON, "cosine " + i);
        }
        // a_L is up to 2 w^2 + w = 1830 in size; every channel a handful of roundings of its terms
        assertClose(aExact, a, 8 * FLOAT_EPSILON * (2 * w * w + w), "activations");

        float[] abar = random(random, size);
        float[] zbar = new float[size];
        SCALAR.sineBackward(z, a, cosine, abar, zbar, points, channels, width, w);
        double[] zbarExact = new double[size];
        DOUBLE.sineBackward(wide(z), wide(a), wide(cosine), wide(abar), zbarExact, points, channels, width, w);
        // zbar's largest terms are w^3 c sum z_j^2 abar_L: up to 2 w^3
        assertClose(zbarExact, zbar, 16 * FLOAT_EPSILON * (2 * w * w * w + 3 * w * w), "pre-activation adjoints");
    }

    private static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst > 0, what + ": float and double agree to the bit everywhere, so float was not used");
    }
}
