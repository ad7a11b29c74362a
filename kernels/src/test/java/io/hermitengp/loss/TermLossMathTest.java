package io.hermitengp.loss;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TermLossMathTest {

    @Test
    void termLossIsTheMeanOfItsPointsSquaredResiduals() {
        double[] pointLoss = {9.0, 1.0, 4.0, 0.25, 100.0};
        // term owning points [1, 4): (1 + 4 + 0.25) / 3
        assertEquals(5.25 / 3, TermLossMath.termLoss(pointLoss, 1, 4), 0.0);
        assertEquals(100.0, TermLossMath.termLoss(pointLoss, 4, 5), 0.0);
    }

    @Test
    void seedsAreTwiceTheWeightedResidualOverTheTermSizeTimesItsDerivative() {
        // w = 0.5, n = 4: s = 0.25; r = 3, dr/du = (1, -2, 0.5) -> seed += 0.75 * dr/du
        double scale = TermLossMath.seedScale(0.5, 4);
        assertEquals(0.25, scale, 0.0);
        double[] seed = {0.0, 0.0, 0.0, 10.0};
        TermLossMath.addSeed(scale, 3.0, new double[]{7.0, 1.0, -2.0, 0.5}, 1, 3, seed, 0);
        assertArrayEquals(new double[]{0.75, -1.5, 0.375, 10.0}, seed, 0.0);
        // a second component adds on top; a zero residual adds nothing
        TermLossMath.addSeed(scale, -1.0, new double[]{4.0, 0.0, 2.0}, 0, 3, seed, 0);
        TermLossMath.addSeed(scale, 0.0, new double[]{1e300, 1e300, 1e300}, 0, 3, seed, 0);
        assertArrayEquals(new double[]{-0.25, -1.5, -0.125, 10.0}, seed, 0.0);
    }
}
