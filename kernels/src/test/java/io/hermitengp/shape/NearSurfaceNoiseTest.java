package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.ShapeMeshes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Near-surface noise: the logistic offset lies along the normal with the logistic's moments, the
 * Gaussian one is the per-axis noise the pools have always drawn, and a seed fixes the points.
 */
class NearSurfaceNoiseTest {
    /** A surface point and a unit normal, (p, n). */
    private static final double[] SURFACE = {0.1, -0.2, 0.3, 2.0 / 3, 1.0 / 3, -2.0 / 3};
    private static final Box WIDE = Box.cube(3, -10, 10);

    @Test
    void logisticOffsetsLieAlongTheNormalWithTheLogisticsMoments() {
        double s = 0.04;
        NearSurfaceNoise noise = NearSurfaceNoise.logistic(s);
        int n = 400_000;
        SplittableRandom rng = new SplittableRandom(17);
        double[] x = new double[3];
        double sum = 0;
        double sumAbs = 0;
        double sumSquares = 0;
        for (int k = 0; k < n; k++) {
            noise.displace(rng, SURFACE, 0, WIDE, x, 0);
            double t = 0;
            for (int i = 0; i < 3; i++) {
                t += (x[i] - SURFACE[i]) * SURFACE[3 + i];
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(SURFACE[i] + t * SURFACE[3 + i], x[i], 1e-15, "the offset is along the normal");
            }
            sum += t;
            sumAbs += Math.abs(t);
            sumSquares += t * t;
        }
        // logistic(0, s): E t = 0, E|t| = 2 s ln 2, E t^2 = pi^2 s^2 / 3, E t^4 = 7 pi^4 s^4 / 15
        double meanSquare = Math.PI * Math.PI * s * s / 3;
        double sdAbs = Math.sqrt(meanSquare - Math.pow(2 * s * Math.log(2), 2));
        double sdSquare = Math.sqrt(7 * Math.pow(Math.PI * s, 4) / 15 - meanSquare * meanSquare);
        // five standard errors of each sample mean (n = 4e5: 0.8% of E|t|): a correct sampler fails
        // one of the three with odds below 2e-6, while a Gaussian with the same E|t| (its E t^2 8%
        // lower) misses the second moment by about 29 standard errors
        double errors = 5 / Math.sqrt(n);
        assertEquals(0.0, sum / n, errors * Math.sqrt(meanSquare), "mean offset");
        assertEquals(2 * s * Math.log(2), sumAbs / n, errors * sdAbs, "mean absolute offset, 2 s ln 2");
        assertEquals(meanSquare, sumSquares / n, errors * sdSquare, "mean square offset, pi^2 s^2 / 3");
    }

    @Test
    void theLogisticDeviateIsFiniteAtTheEndsOfItsUniform() {
        // u = (k + 1/2) 2^-53 at k = 0 and k = 2^53 - 1: the largest offsets there are
        double u = 0.5 * 0x1.0p-53;
        assertEquals(-Math.log((1 - u) / u), Math.log(u / (1 - u)), 1e-12);
        assertTrue(Double.isFinite(Math.log(u / (1 - u))));
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 0; k < 100_000; k++) {
            double t = NearSurfaceNoise.standardLogistic(rng);
            assertTrue(Double.isFinite(t) && Math.abs(t) <= 54 * Math.log(2), "deviate " + t);
        }
    }

    @Test
    void gaussianNoiseIsThePerAxisNoiseOfBefore() {
        NearSurfaceNoise noise = NearSurfaceNoise.gaussian(0.02);
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        double[] x = new double[3];
        for (int k = 0; k < 1000; k++) {
            noise.displace(a, SURFACE, 0, WIDE, x, 0);
            for (int i = 0; i < 3; i++) {
                assertEquals(SURFACE[i] + 0.02 * MeshSamples.gaussian(b), x[i], 0.0, "axis " + i + " of point " + k);
            }
        }
    }

    @Test
    void displacedPointsStayInTheBox() {
        NearSurfaceNoise noise = NearSurfaceNoise.logistic(1.0);
        Box unit = Box.cube(3, -0.5, 0.5);
        SplittableRandom rng = new SplittableRandom(4);
        double[] x = new double[3];
        for (int k = 0; k < 1000; k++) {
            noise.displace(rng, SURFACE, 0, unit, x, 0);
            for (int i = 0; i < 3; i++) {
                assertTrue(x[i] >= -0.5 && x[i] <= 0.5, "clamped: " + Arrays.toString(x));
            }
        }
    }

    @Test
    void aSeedFixesTheLogisticPoolAndItDiffersFromTheGaussianOne() {
        MeshDomain sphere = new MeshDomain(ShapeMeshes.sphere(1.0, 24, 48), Box.cube(3, -1, 1), 0.1);
        double[] first = MeshSamples.nearSurface(sphere, 500, NearSurfaceNoise.logistic(0.04), new SplittableRandom(2))
                .points();
        double[] again = MeshSamples.nearSurface(sphere, 500, NearSurfaceNoise.logistic(0.04), new SplittableRandom(2))
                .points();
        double[] gaussian = MeshSamples.nearSurface(sphere, 500, NearSurfaceNoise.gaussian(0.04),
                new SplittableRandom(2)).points();
        assertArrayEquals(first, again, 0.0, "same seed, same points");
        assertFalse(Arrays.equals(first, gaussian), "the noise decides where the points go");
    }
}
