package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.network.ScalarTileKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The linear encoding's tile encoder against the encoding's own one-point forward pass and
 * whole-encoding backward pass, bit for bit: a range of points from an offset, and a level's table
 * gradients from a level-major adjoint. Hashed and dense levels, 2D and 3D, a periodic axis.
 */
class LinearTileEncoderTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aRangeOfPointsGivesTheOnePointPassesBits(int dims) {
        Box box = Box.cube(dims, -1, 1);
        HermiteGridLayout layout = HermiteGridLayout.valuesOnly(dims, 5, 2, 3, 60, 9);
        LinearHashEncoding encoding = new LinearHashEncoding(layout, box, 1);   // axis 0 periodic
        TileEncoder tiles = TileEncoder.of(encoding, new ScalarTileKernels());
        assertInstanceOf(LinearTileEncoder.class, tiles);
        int width = layout.outputWidth();
        int features = layout.features();
        int activeLevels = 4;
        SplittableRandom random = new SplittableRandom(11);
        double[] params = new double[layout.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextDouble() - 0.5;
        }
        int n = 300;
        int from = 17;
        int to = 271;
        double[] x = new double[n * dims];
        for (int i = 0; i < x.length; i++) {
            x[i] = -1 + 2 * random.nextDouble();
        }

        int outOffset = 5;
        double[] out = new double[outOffset + (to - from) * width];
        tiles.forward(params, 0, x, from, to, activeLevels, Channels.valueOnly(), out, outOffset);
        double[] expected = new double[outOffset + (to - from) * width];
        for (int p = from; p < to; p++) {
            encoding.forward(params, 0, x, p * dims, activeLevels, Channels.valueOnly(), expected,
                    outOffset + (p - from) * width);
        }
        assertArrayEquals(expected, out, "encodings of points " + from + ".." + to);

        // the adjoint of the whole range, (n, L*F) for the encoding, one level at a time for the tile encoder
        double[] adjoint = new double[(to - from) * width];
        for (int i = 0; i < adjoint.length; i++) {
            adjoint[i] = random.nextDouble() - 0.5;
        }
        double[] range = new double[(to - from) * dims];
        System.arraycopy(x, from * dims, range, 0, range.length);
        for (int level = 0; level < activeLevels; level++) {
            int dOffset = 3;
            double[] levelAdjoint = new double[dOffset + (to - from) * features];
            for (int p = 0; p < to - from; p++) {
                System.arraycopy(adjoint, p * width + level * features, levelAdjoint, dOffset + p * features, features);
            }
            double[] gradient = new double[params.length];
            double[] expectedGradient = new double[params.length];
            tiles.backwardLevel(level, x, from, to, Channels.valueOnly(), levelAdjoint, dOffset, gradient, 0);
            encoding.backwardLevel(level, range, to - from, Channels.valueOnly(), adjoint, expectedGradient, 0);
            assertArrayEquals(expectedGradient, gradient, "level " + level + " table gradients");
            double touched = 0;
            for (int i = layout.levelStart(level); i < layout.levelEnd(level); i++) {
                touched += Math.abs(gradient[i]);
            }
            assertTrue(touched > 0, "level " + level + " got no gradient");
            assertEquals(0.0, sumOutside(gradient, layout.levelStart(level), layout.levelEnd(level)), 0.0,
                    "level " + level + " wrote outside its tables");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void derivativeChannelsAreRefused(int dims) {
        HermiteGridLayout layout = HermiteGridLayout.valuesOnly(dims, 2, 2, 4, 8, 10);
        TileEncoder tiles = TileEncoder.of(new LinearHashEncoding(layout, Box.cube(dims, -1, 1), 0),
                new ScalarTileKernels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiles.forward(new double[layout.parameterCount()], 0, new double[dims], 0, 1, 2,
                        Channels.valueAndGradient(dims), new double[100], 0));
        assertTrue(e.getMessage().contains("value channel only")
                && e.getMessage().contains(Channels.valueAndGradient(dims).toString()), e.getMessage());
    }

    private static double sumOutside(double[] values, int from, int to) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (i < from || i >= to) {
                sum += Math.abs(values[i]);
            }
        }
        return sum;
    }
}
