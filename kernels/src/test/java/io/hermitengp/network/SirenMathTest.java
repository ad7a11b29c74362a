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
}
