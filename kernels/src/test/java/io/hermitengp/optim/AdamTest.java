package io.hermitengp.optim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdamTest {

    /**
     * Two steps by hand with beta1 = 0.9, beta2 = 0.99, eps = 1e-8, lr = 0.1, theta0 = 1:
     * step 1, g = 2:  m = 0.2, v = 0.04, mhat = 2, vhat = 4, theta = 1 - 0.1 * 2/(2 + 1e-8)
     * step 2, g = -1: m = 0.08, v = 0.0496, mhat = 0.08/0.19, vhat = 0.0496/0.0199.
     */
    @Test
    void twoStepsMatchHandComputedValues() {
        Adam adam = new Adam(0.9, 0.99, 1e-8);
        double[] theta = {1.0, 5.0};
        double[] m = new double[2];
        double[] v = new double[2];
        adam.update(theta, new double[]{2.0, 7.0}, m, v, 0, 1, 0.1, 1);
        double afterOne = 1 - 0.1 * 2 / (2 + 1e-8);
        assertEquals(0.2, m[0], 1e-15, "m after step 1");
        assertEquals(0.04, v[0], 1e-15, "v after step 1");
        assertEquals(afterOne, theta[0], 1e-15, "theta after step 1");
        assertEquals(5.0, theta[1], 0.0, "entries outside the range stay put");

        adam.update(theta, new double[]{-1.0, 7.0}, m, v, 0, 1, 0.1, 2);
        double mHat = 0.08 / 0.19;
        double vHat = 0.0496 / (1 - 0.99 * 0.99);
        assertEquals(0.08, m[0], 1e-15, "m after step 2");
        assertEquals(0.0496, v[0], 1e-15, "v after step 2");
        assertEquals(afterOne - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), theta[0], 1e-15, "theta after step 2");
    }

    /** The kernel's Adam pass makes AdamMath's three calls with its own sqrt: the same bits as update. */
    @Test
    void theKernelsStepSequenceIsAdamMathUpdate() {
        SplittableRandom random = new SplittableRandom(5);
        double[] theta = new double[50];
        double[] g = new double[50];
        double[] m = new double[50];
        double[] v = new double[50];
        for (int i = 0; i < 50; i++) {
            theta[i] = random.nextDouble() - 0.5;
            g[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-6, 3));
            m[i] = (random.nextDouble() - 0.5) * 1e-2;
            v[i] = random.nextDouble() * 1e-4;
        }
        double[] theta2 = theta.clone();
        double[] m2 = m.clone();
        double[] v2 = v.clone();
        double c1 = AdamMath.biasCorrection(0.9, 7);
        double c2 = AdamMath.biasCorrection(0.99, 7);
        for (int i = 0; i < 50; i++) {
            AdamMath.update(theta, g, m, v, i, 0.9, 0.99, 1e-15, 0.01, c1, c2);
            AdamMath.updateMoments(g, m2, v2, i, 0.9, 0.99);
            double root = Math.sqrt(AdamMath.correctedSecondMoment(v2, i, c2));
            AdamMath.updateParameter(theta2, m2, i, 0.01, c1, root, 1e-15);
        }
        assertArrayEquals(theta, theta2, 0.0, "parameters");
        assertArrayEquals(m, m2, 0.0, "first moments");
        assertArrayEquals(v, v2, 0.0, "second moments");
    }
}
