package io.hermitengp.field;

import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.encoding.LevelResolutions;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.geometry.Box;
import io.hermitengp.network.BiasInit;
import io.hermitengp.network.SirenNetwork;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference code's initialisation, and the default one, as they are stated. */
class InitialisationTest {
    private static NeuralField field() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 2, new LevelResolutions.Scaled(4, 2.0).of(8),
                new int[]{12, 12, 12}, true);
        return new NeuralField(new HermiteHashEncoding(layout, Box.cube(2, 0, 1), CoefficientUnits.CELL),
                new SirenNetwork(layout.outputWidth(), new int[]{128, 128}, 1, 0.5, 0.5));
    }

    @Test
    void everyLevelHashedWhenAsked() {
        HermiteGridLayout layout = field().encoding().layout();
        for (int l = 0; l < layout.levels(); l++) {
            for (int k = 0; k < layout.orders(); k++) {
                assertFalse(layout.isDense(l, k), "level " + l + " order " + k);
                assertEquals(1 << 12, layout.entries(l, k));
            }
        }
        HermiteGridLayout usual = new HermiteGridLayout(2, 2, new LevelResolutions.Scaled(4, 2.0).of(8),
                new int[]{12, 12, 12}, false);
        assertTrue(usual.isDense(0, 0), "a 5x5 level fits a 2^12 table densely unless asked otherwise");
    }

    @Test
    void valueTablesAreNormalWithSigmaAndDerivativeTablesZero() {
        NeuralField field = field();
        double[] p = field.initialParameters(3, TableInit.normalValues(0.01), BiasInit.LIKE_WEIGHTS);
        HermiteGridLayout layout = field.encoding().layout();
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int l = 0; l < layout.levels(); l++) {
            for (int i = layout.tableOffset(l, 0); i < layout.tableOffset(l, 1); i++) {
                sum += p[i];
                squares += p[i] * p[i];
                n++;
            }
            for (int i = layout.tableOffset(l, 1); i < layout.levelEnd(l); i++) {
                assertEquals(0.0, p[i], "derivative table entry " + i + " of level " + l);
            }
        }
        double mean = sum / n;
        double sigma = Math.sqrt(squares / n - mean * mean);
        // n = 65536 draws: the sample sigma is within 1% of 0.01 and the mean within 4 standard errors of 0
        assertEquals(0.01, sigma, 1e-4);
        assertEquals(0.0, mean, 4 * 0.01 / Math.sqrt(n));
    }

    @Test
    void biasesLikeWeightsAndAZeroOutputBias() {
        NeuralField field = field();
        SirenNetwork net = field.network();
        double[] p = field.initialParameters(5, TableInit.normalValues(0.01), BiasInit.LIKE_WEIGHTS);
        int o = field.networkOffset();
        double firstBound = 1.0 / net.inputWidth(0);
        double laterBound = Math.sqrt(6.0 / 128) / 0.5;
        double largestFirst = 0;
        double largestLater = 0;
        for (int i = 0; i < net.width(0); i++) {
            largestFirst = Math.max(largestFirst, Math.abs(p[o + net.biasOffset(0) + i]));
        }
        for (int i = 0; i < net.width(1); i++) {
            largestLater = Math.max(largestLater, Math.abs(p[o + net.biasOffset(1) + i]));
        }
        // 128 uniform draws: the largest lies within 5% of the bound (probability of less is 0.95^128 ~ 1e-3)
        assertTrue(largestFirst <= firstBound && largestFirst > 0.95 * firstBound, "first-layer biases " + largestFirst);
        assertTrue(largestLater <= laterBound && largestLater > 0.9 * laterBound, "second-layer biases " + largestLater);
        assertEquals(0.0, p[o + net.biasOffset(2)], "output bias");

        double[] usual = field.initialParameters(5, TableInit.uniform(1e-4), BiasInit.FAN_IN_SQRT);
        double outputBound = 1.0 / Math.sqrt(128);
        double outputBias = usual[o + net.biasOffset(2)];
        assertTrue(outputBias != 0.0 && Math.abs(outputBias) <= outputBound, "default output bias " + outputBias);
    }
}
