package io.hermitengp.network;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SirenMathTest {

    @Test
    void transposeWeightMovesRowMajorOutByInToInByOut() {
        // W (out = 2, in = 3) = [[1, 2, 3], [4, 5, 6]] at offset 1 of params
        double[] params = {-1, 1, 2, 3, 4, 5, 6};
        double[] transposed = new double[8];
        for (int index = 0; index < 6; index++) {
            SirenMath.transposeWeight(params, 1, transposed, 2, 3, 2, index);
        }
        // W^T (3, 2) = [[1, 4], [2, 5], [3, 6]] at offset 2
        assertArrayEquals(new double[]{0, 0, 1, 4, 2, 5, 3, 6}, transposed, 0.0);
    }

    @Test
    void transposedWeightsOfANetworkHoldEachLayersTranspose() {
        SirenNetwork network = new SirenNetwork(3, new int[]{4}, 2, 30.0, 30.0);
        double[] params = new double[5 + network.parameterCount()];
        network.initialize(params, 5, new SplittableRandom(1), BiasInit.FAN_IN_SQRT);
        double[] transposed = network.transposedWeights(params, 5);
        for (int k = 0; k < network.layers(); k++) {
            int in = network.inputWidth(k);
            int out = network.width(k);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    assertEquals(params[5 + network.weightOffset(k) + o * in + i],
                            transposed[network.weightOffset(k) + i * out + o], 0.0,
                            "layer " + k + " W[" + o + ", " + i + "]");
                }
            }
        }
    }

    @Test
    void weightGradientBlockSumsEachWeightOverItsPointsInOrderAndWritesOnlyTheLayersWeights() {
        int channels = 3;
        int in = SirenMath.GRADIENT_BLOCK + 3;        // the second column block is short
        int out = SirenMath.GRADIENT_BLOCK_ROWS + 1;  // the second row block is short
        int points = 9;
        SplittableRandom random = new SplittableRandom(4);
        double[] zbar = new double[1 + points * channels * out];
        for (int i = 0; i < zbar.length; i++) {
            // zeros, and whole channels of zeros as on boundary points, are skipped
            zbar[i] = i % 5 == 0 || (i - 1) / out % channels == 2 ? 0.0 : random.nextDouble(-1, 1);
        }
        // the last block reads past the row: GRADIENT_BLOCK - 1 numbers after the last row
        double[] previous = new double[2 + points * channels * in + SirenMath.GRADIENT_BLOCK - 1];
        for (int i = 0; i < previous.length; i++) {
            previous[i] = random.nextDouble(-1, 1);
        }
        int from = 2;
        double[] target = new double[2 + out * in + SirenMath.GRADIENT_BLOCK];
        java.util.Arrays.fill(target, -7.0);
        for (int o = 0; o < out; o += SirenMath.GRADIENT_BLOCK_ROWS) {
            for (int i0 = 0; i0 < in; i0 += SirenMath.GRADIENT_BLOCK) {
                // through the last point, so the short blocks read past the last row
                SirenMath.weightGradientBlock(from, points, channels, in, out, o, i0, zbar, 1, previous, 2, target,
                        2 + o * in + i0);
            }
        }
        assertEquals(-7.0, target[0], 0.0, "before the weights");
        assertEquals(-7.0, target[1], 0.0, "before the weights");
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double expected = 0.0;
                for (int p = from; p < points; p++) {
                    for (int ch = 0; ch < channels; ch++) {
                        double g = zbar[1 + (p * channels + ch) * out + o];
                        if (g != 0.0) {
                            expected += g * previous[2 + (p * channels + ch) * in + i];
                        }
                    }
                }
                // the same additions in the same order: the same bits
                assertEquals(expected, target[2 + o * in + i], 0.0, "dW[" + o + ", " + i + "]");
            }
        }
        for (int i = 2 + out * in; i < target.length; i++) {
            assertEquals(-7.0, target[i], 0.0, "past the weights at " + i);
        }
    }

    /**
     * The block forms sum each unit in the row forms' order, so they give the same bits, full
     * blocks and a partial last block alike; zero activations and adjoints (skipped by both) included.
     */
    @Test
    void blockFormsGiveTheRowFormsBitsForEveryBlock() {
        SplittableRandom random = new SplittableRandom(17);
        int channels = 4;
        for (int[] shape : new int[][]{{16, 24}, {13, 12}, {12, 3}, {5, 1}}) {
            int in = shape[0];
            int out = shape[1];
            double[] params = new double[out * in + out + 3];
            double[] transposed = new double[out * in];
            double[] previous = new double[channels * in + 2];
            double[] zbar = new double[channels * out + 2];
            for (double[] a : new double[][]{params, previous, zbar}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextInt(5) == 0 ? 0.0 : random.nextDouble(-1, 1);
                }
            }
            int weights = 3;
            int biases = weights + out * in;
            for (int index = 0; index < out * in; index++) {
                SirenMath.transposeWeight(params, weights, transposed, 0, in, out, index);
            }
            double[] row = new double[channels * out + 1];
            double[] blocks = new double[row.length];
            SirenMath.linearForward(params, biases, transposed, 0, in, out, channels, previous, 2, row, 1);
            for (int o0 = 0; o0 < out; o0 += SirenMath.UNIT_BLOCK) {
                SirenMath.linearForwardBlock(params, biases, transposed, 0, in, out, channels, previous, 2, blocks, 1,
                        o0);
            }
            assertArrayEquals(row, blocks, "forward, " + in + " to " + out);
            double[] back = new double[channels * in + 1];
            double[] backBlocks = new double[back.length];
            SirenMath.linearBackward(params, weights, in, out, channels, zbar, 2, back, 1);
            for (int i0 = 0; i0 < in; i0 += SirenMath.UNIT_BLOCK) {
                SirenMath.linearBackwardBlock(params, weights, in, out, channels, zbar, 2, backBlocks, 1, i0);
            }
            assertArrayEquals(back, backBlocks, "backward, " + in + " to " + out);
        }
    }
    /** {@link #blockFormsGiveTheRowFormsBitsForEveryBlock} for {@link SirenFloatMath}'s float forms. */
    @Test
    void floatBlockFormsGiveTheFloatRowFormsBitsForEveryBlock() {
        SplittableRandom random = new SplittableRandom(19);
        int channels = 4;
        for (int[] shape : new int[][]{{16, 24}, {13, 12}, {12, 3}, {5, 1}}) {
            int in = shape[0];
            int out = shape[1];
            float[] network = new float[out * in + out + 3];
            float[] transposed = new float[out * in];
            float[] previous = new float[channels * in + 2];
            float[] zbar = new float[channels * out + 2];
            for (float[] a : new float[][]{network, previous, zbar}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextInt(5) == 0 ? 0.0f : (float) random.nextDouble(-1, 1);
                }
            }
            int weights = 3;
            int biases = weights + out * in;
            for (int index = 0; index < out * in; index++) {
                SirenFloatMath.transposeWeight(network, weights, transposed, 0, in, out, index);
            }
            float[] row = new float[channels * out + 1];
            float[] blocks = new float[row.length];
            SirenFloatMath.linearForward(network, biases, transposed, 0, in, out, channels, previous, 2, row, 1);
            for (int o0 = 0; o0 < out; o0 += SirenMath.UNIT_BLOCK) {
                SirenFloatMath.linearForwardBlock(network, biases, transposed, 0, in, out, channels, previous, 2,
                        blocks, 1, o0);
            }
            assertArrayEquals(row, blocks, "forward, " + in + " to " + out);
            float[] back = new float[channels * in + 1];
            float[] backBlocks = new float[back.length];
            SirenFloatMath.linearBackward(network, weights, in, out, channels, zbar, 2, back, 1);
            for (int i0 = 0; i0 < in; i0 += SirenMath.UNIT_BLOCK) {
                SirenFloatMath.linearBackwardBlock(network, weights, in, out, channels, zbar, 2, backBlocks, 1, i0);
            }
            assertArrayEquals(back, backBlocks, "backward, " + in + " to " + out);
            // and the float transpose is the double one's, on the same numbers
            double[] wide = new double[network.length];
            double[] wideTransposed = new double[transposed.length];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = network[i];
            }
            for (int index = 0; index < out * in; index++) {
                SirenMath.transposeWeight(wide, weights, wideTransposed, 0, in, out, index);
            }
            for (int i = 0; i < transposed.length; i++) {
                assertEquals(wideTransposed[i], transposed[i], 0.0, "transposed " + i);
            }
        }
    }
}
