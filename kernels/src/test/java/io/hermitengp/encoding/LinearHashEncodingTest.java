package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinearHashEncodingTest {

    @Test
    void affineFunctionOnADenseLevelIsReproducedAndVerticesAreInterpolated() {
        Box box = new Box(new double[]{-1, 0}, new double[]{1, 2});
        HermiteGridLayout layout = HermiteGridLayout.valuesOnly(2, 1, 1, 8, 8, 10);
        LinearHashEncoding encoding = new LinearHashEncoding(layout, box, 0);
        double[] params = new double[layout.parameterCount()];
        int n = layout.resolution(0);
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                double x = -1 + 2.0 * i / n;
                double y = 2.0 * j / n;
                params[layout.coefficientOffset(0, 0, layout.entryIndex(0, 0, new int[]{i, j}))] = 3 * x - 2 * y + 1;
            }
        }
        double[] out = new double[1];
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            double[] x = {-1 + 2 * random.nextDouble(), 2 * random.nextDouble()};
            encoding.forward(params, 0, x, 0, 1, Channels.valueOnly(), out, 0);
            assertEquals(3 * x[0] - 2 * x[1] + 1, out[0], 1e-12, "affine function at (" + x[0] + ", " + x[1] + ")");
        }
    }

    @Test
    void derivativeChannelsAreRefused() {
        HermiteGridLayout layout = HermiteGridLayout.valuesOnly(2, 2, 2, 4, 8, 10);
        LinearHashEncoding encoding = new LinearHashEncoding(layout, Box.cube(2, -1, 1), 0);
        assertThrows(IllegalArgumentException.class, () -> encoding.forward(new double[layout.parameterCount()], 0,
                new double[]{0, 0}, 0, 2, Channels.valueAndGradient(2), new double[100], 0));
    }
}
