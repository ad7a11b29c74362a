package io.hermitengp.optim;

import org.junit.jupiter.api.Test;

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

    @Test
    void exponentialDecayHalvesOnSchedule() {
        ExponentialDecay decay = new ExponentialDecay(0.01, 0.5, 100);
        assertEquals(0.01, decay.at(0), 0);
        assertEquals(0.005, decay.at(100), 1e-15);
        assertEquals(0.01 * Math.pow(0.5, 0.5), decay.at(50), 1e-15);
    }
}
