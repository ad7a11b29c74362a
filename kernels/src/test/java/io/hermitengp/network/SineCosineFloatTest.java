package io.hermitengp.network;

import io.hermitengp.backend.cpu.CpuPath;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 path's sine and cosine of {@code w z} against {@link StrictMath} of the exact
 * argument (fdlibm, within 1 ulp of double, so exact at float's scale), and its vector form
 * against the scalar one bit for bit.
 */
class SineCosineFloatTest {
    private static final double[] OMEGAS = {0.5, 1, 30, 1.0 / 3};

    /** Largest absolute error over random z with {@code |w z|} up to {@code bound}, in units of 2^-24. */
    private static double worstError(double w, double bound, boolean sine, int samples) {
        SplittableRandom random = new SplittableRandom(13);
        float wHi = SineCosineFloat.high(w);
        float wLo = SineCosineFloat.low(w);
        double worst = 0;
        for (int i = 0; i < samples; i++) {
            float z = (float) ((2 * random.nextDouble() - 1) * bound / w);
            double x = w * z;
            double expected = sine ? StrictMath.sin(x) : StrictMath.cos(x);
            float actual = sine ? SineCosineFloat.sin(z, wHi, wLo) : SineCosineFloat.cos(z, wHi, wLo);
            worst = Math.max(worst, Math.abs(actual - expected) / 0x1p-24);
        }
        return worst;
    }

    @Test
    void within2ToTheMinus23OfTheSineOfTheExactArgument() {
        for (double w : OMEGAS) {
            for (double bound : new double[]{Math.PI / 4, 1, 30, 1000, SineCosineFloat.REDUCTION_LIMIT}) {
                double sin = worstError(w, bound, true, 200_000);
                double cos = worstError(w, bound, false, 200_000);
                assertTrue(sin <= 2, "sin(" + w + " z) on |w z| < " + bound + ": " + sin + " 2^-24");
                assertTrue(cos <= 2, "cos(" + w + " z) on |w z| < " + bound + ": " + cos + " 2^-24");
            }
        }
    }

    @Test
    void theArgumentIsNotRoundedToFloat() {
        // z = 100 + 2^-17 and w = 30: w z is 3000 + 30 2^-17, which float cannot hold (its ulp at 3000
        // is 2^-12); rounding it would move the sine by about 1e-4
        float z = 100f + 0x1p-17f;
        double exact = 30.0 * z;
        assertTrue((float) exact != exact, "the example needs an argument float cannot hold");
        assertEquals(StrictMath.sin(exact), SineCosineFloat.sin(z, 30f, 0f), 0x1p-23);
        assertEquals(StrictMath.cos(exact), SineCosineFloat.cos(z, 30f, 0f), 0x1p-23);
    }

    @Test
    void largeAndNonFiniteArgumentsAreTheDoubleFunctionsRounded() {
        for (float z : new float[]{SineCosineFloat.REDUCTION_LIMIT, -3.7e7f, 1e30f, Float.MAX_VALUE}) {
            assertEquals((float) SineCosine.sin(z), SineCosineFloat.sin(z, 1f, 0f), 0f, "sin(" + z + ")");
            assertEquals((float) SineCosine.cos(z), SineCosineFloat.cos(z, 1f, 0f), 0f, "cos(" + z + ")");
        }
        for (float z : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertTrue(Float.isNaN(SineCosineFloat.sin(z, 1f, 0f)), "sin(" + z + ")");
            assertTrue(Float.isNaN(SineCosineFloat.cos(z, 1f, 0f)), "cos(" + z + ")");
        }
        assertEquals(0f, SineCosineFloat.sin(0f, 30f, 0f), 0f);
        assertEquals(1f, SineCosineFloat.cos(-0f, 30f, 0f), 0f);
    }

    @Test
    void vectorLanesAreTheScalarFunctionsBits() {
        CpuPath.VECTOR.floatKernels(); // fails, naming the JVM option, without the vector module
        SplittableRandom random = new SplittableRandom(17);
        int n = 4096;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) ((2 * random.nextDouble() - 1) * Math.pow(10, random.nextInt(6) - 1));
        }
        // each side of the multiples j pi/4 (k = round(x 2/pi) steps at the odd ones; w = 1 puts
        // them on x itself), where the vector code finds the quadrant by arithmetic
        for (int i = n / 2; i < n; i += 2) {
            float boundary = (float) ((random.nextInt(8001) - 4000) * Math.PI / 4);
            z[i] = Math.nextDown(boundary);
            z[i + 1] = Math.nextUp(boundary);
        }
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                SineCosineFloat.REDUCTION_LIMIT / 30, Math.nextDown(SineCosineFloat.REDUCTION_LIMIT / 30), 1e30f};
        System.arraycopy(special, 0, z, 100, special.length);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (double w : OMEGAS) {
            float wHi = SineCosineFloat.high(w);
            float wLo = SineCosineFloat.low(w);
            float[] sin = new float[n];
            float[] cos = new float[n];
            for (int i = 0; i + lanes <= n; i += lanes) {
                VectorFloatTileKernels.sineCosine(z, i, wHi, wLo, sin, i, cos, i);
            }
            for (int i = 0; i < n - n % lanes; i++) {
                assertEquals(Float.floatToRawIntBits(SineCosineFloat.sin(z[i], wHi, wLo)),
                        Float.floatToRawIntBits(sin[i]), "sin(" + w + " * " + z[i] + ")");
                assertEquals(Float.floatToRawIntBits(SineCosineFloat.cos(z[i], wHi, wLo)),
                        Float.floatToRawIntBits(cos[i]), "cos(" + w + " * " + z[i] + ")");
            }
        }
    }
}
