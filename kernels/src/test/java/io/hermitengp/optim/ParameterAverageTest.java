package io.hermitengp.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterAverageTest {

    @Test
    void startsAtTheInitialParametersAndFoldsEachStepIn() {
        double[] initial = {1.0, -2.0};
        ParameterAverage average = new ParameterAverage(0.9, initial);
        initial[0] = 100;   // the average keeps its own copy
        average.update(new double[]{3.0, 0.0});
        assertArrayEquals(new double[]{0.9 * 1.0 + 0.1 * 3.0, 0.9 * -2.0}, average.values(), 1e-15);
        average.update(new double[]{3.0, 0.0});
        assertArrayEquals(new double[]{0.9 * 1.2 + 0.1 * 3.0, 0.9 * 0.9 * -2.0}, average.values(), 1e-15);
    }

    @Test
    void refusesADecayOutsideTheOpenUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(1.0, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(0.0, new double[1]));
    }
}
