package io.hermitengp.network;

import io.hermitengp.backend.cpu.CpuPath;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiled path's sine and cosine against {@link StrictMath} (fdlibm, within 1 ulp of exact). */
class SineCosineTest {

    /** Largest error in ulps of the reference result, over random arguments up to {@code bound} in magnitude. */
    private static double worstUlps(double bound, boolean sine, int samples) {
        SplittableRandom random = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < samples; i++) {
            double x = (2 * random.nextDouble() - 1) * bound;
            double expected = sine ? StrictMath.sin(x) : StrictMath.cos(x);
            double actual = sine ? SineCosine.sin(x) : SineCosine.cos(x);
            worst = Math.max(worst, Math.abs(actual - expected) / Math.ulp(expected));
        }
        return worst;
    }

    @Test
    void withinTwoUlpsOfFdlibmOverTheReducedRange() {
        for (double bound : new double[]{Math.PI / 4, 1, 30, 1000, 1e5, SineCosine.REDUCTION_LIMIT}) {
            double sin = worstUlps(bound, true, 200_000);
            double cos = worstUlps(bound, false, 200_000);
            assertTrue(sin <= 2, "sin on |x| < " + bound + ": " + sin + " ulps");
            assertTrue(cos <= 2, "cos on |x| < " + bound + ": " + cos + " ulps");
        }
    }

    @Test
    void quadrantBoundaries() {
        assertEquals(0.0, SineCosine.sin(0.0), 0.0);
        assertEquals(0.0, SineCosine.sin(-0.0), 0.0);
        assertEquals(1.0, SineCosine.cos(0.0), 0.0);
        for (int k = -8; k <= 8; k++) {
            double x = k * Math.PI / 2;
            // sin and cos of the double nearest k pi/2: one of them is tiny, the other +-1
            assertEquals(StrictMath.sin(x), SineCosine.sin(x), 1e-15, "sin(" + k + " pi/2)");
            assertEquals(StrictMath.cos(x), SineCosine.cos(x), 1e-15, "cos(" + k + " pi/2)");
            for (double nudge : new double[]{Math.nextDown(x), Math.nextUp(x), x + 1e-9, x - 1e-9}) {
                assertEquals(StrictMath.sin(nudge), SineCosine.sin(nudge), 2 * Math.ulp(StrictMath.sin(nudge)) + 1e-30,
                        "sin near " + k + " pi/2");
                assertEquals(StrictMath.cos(nudge), SineCosine.cos(nudge), 2 * Math.ulp(StrictMath.cos(nudge)) + 1e-30,
                        "cos near " + k + " pi/2");
            }
        }
    }

    @Test
    void largeAndNonFiniteArgumentsAreMathsOwn() {
        for (double x : new double[]{SineCosine.REDUCTION_LIMIT, -3.7e7, 1e300, Double.MAX_VALUE}) {
            assertEquals(Math.sin(x), SineCosine.sin(x), 0.0, "sin(" + x + ")");
            assertEquals(Math.cos(x), SineCosine.cos(x), 0.0, "cos(" + x + ")");
        }
        for (double x : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertTrue(Double.isNaN(SineCosine.sin(x)), "sin(" + x + ")");
            assertTrue(Double.isNaN(SineCosine.cos(x)), "cos(" + x + ")");
        }
    }

    /**
     * The vector kernel's lanes against the scalar functions, bit for bit: random arguments of
     * both signs over six decades, each side of the multiples j pi/4 for |j| up to 4000 (the odd
     * ones are where k = round(x 2/pi) steps, the even ones the zeros of sin and cos; the vector
     * code finds the quadrant by arithmetic, the scalar code by the bits of the rounded argument),
     * signed zeros, and arguments past the reduction limit.
     */
    @Test
    void vectorLanesAreTheScalarFunctionsBits() {
        CpuPath.VECTOR.kernels(); // fails, naming the JVM option, without the vector module
        SplittableRandom random = new SplittableRandom(19);
        int n = 16384;
        double[] z = new double[n];
        for (int i = 0; i < n / 2; i++) {
            z[i] = (2 * random.nextDouble() - 1) * Math.pow(10, random.nextInt(6) - 1);
        }
        for (int i = n / 2; i < n; i += 2) {
            double boundary = (random.nextInt(8001) - 4000) * Math.PI / 4;
            z[i] = Math.nextDown(boundary);
            z[i + 1] = Math.nextUp(boundary);
        }
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                SineCosine.REDUCTION_LIMIT, Math.nextDown(SineCosine.REDUCTION_LIMIT), -SineCosine.REDUCTION_LIMIT, 1e300};
        System.arraycopy(special, 0, z, 100, special.length);
        int lanes = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        for (double w : new double[]{1, 0.5, 30, 1.0 / 3}) {
            double[] sin = new double[n];
            double[] cos = new double[n];
            for (int i = 0; i + lanes <= n; i += lanes) {
                VectorTileKernels.sineCosine(z, i, w, sin, i, cos, i);
            }
            for (int i = 0; i < n; i++) {
                double x = z[i] * w;
                assertEquals(Double.doubleToRawLongBits(SineCosine.sin(x)), Double.doubleToRawLongBits(sin[i]),
                        "sin(" + w + " * " + z[i] + ")");
                assertEquals(Double.doubleToRawLongBits(SineCosine.cos(x)), Double.doubleToRawLongBits(cos[i]),
                        "cos(" + w + " * " + z[i] + ")");
            }
        }
    }
}
