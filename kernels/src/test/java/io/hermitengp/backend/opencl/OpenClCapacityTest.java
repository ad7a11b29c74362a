package io.hermitengp.backend.opencl;

import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests larger than the kernel's buffers fail on the host with a message naming what was asked
 * and what fits, instead of writing past the device buffers, and the backend still closes cleanly
 * though it never launched. Convection's terms use value and gradient only, so its backend holds
 * 3 channels per point and cannot produce a Laplacian.
 */
class OpenClCapacityTest {
    private static final int CAPACITY = 64;

    private Problem problem;
    private NeuralField field;

    @BeforeEach
    void setUp() {
        OpenClRequirement.requireDevice();
        problem = new ConvectionProblem(3.0, ConvectionProblem.standardDomain());
        HermiteGridLayout layout = new HermiteGridLayout(2, 3, 2, 3, 20, new int[]{8, 8, 6});
        field = new NeuralField(new HermiteHashEncoding(layout, problem.domain(), CoefficientUnits.CELL,
                problem.periodicAxes()), new SirenNetwork(layout.outputWidth(), new int[]{8}, 1, 30.0, 30.0));
    }

    private double[] points(int n) {
        double[] points = new double[n * 2];
        new UniformBoxSampler(problem.domain()).sample(new SplittableRandom(1), n, points, 0);
        return points;
    }

    @Test
    void moreChannelsThanTheBuffersHoldAreRefused() {
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", CAPACITY)) {
            cl.setParameters(field.initialParameters(2, TableInit.uniform(0.05), BiasInit.FAN_IN_SQRT));
            assertEquals(3, cl.channelCapacity());
            int n = 10;
            double[] out = new double[n * 4];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points(n), n, Channels.withFullLaplacian(2), 3, out));
            assertTrue(e.getMessage().contains("asked for 4 channels"), e.getMessage());
            assertTrue(e.getMessage().contains("hold 3"), e.getMessage());
            for (double v : out) {
                assertEquals(0.0, v, "nothing may be written by a refused evaluation");
            }
            // what fits still runs, in chunks beyond the point capacity
            double[] fits = new double[3 * CAPACITY * 3];
            cl.evaluate(points(3 * CAPACITY), 3 * CAPACITY, Channels.valueAndGradient(2), 3, fits);
            assertTrue(fits[fits.length - 1] != 0.0, "the last chunk was evaluated");
        }
    }

    @Test
    void channelsOverOtherAxesLevelsBeyondTheEncodingAndShortArraysAreRefused() {
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", CAPACITY)) {
            cl.setParameters(field.initialParameters(2, TableInit.uniform(0.05), BiasInit.FAN_IN_SQRT));
            IllegalArgumentException axes = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points(5), 5, Channels.valueOnly(), 3, new double[5]));
            assertTrue(axes.getMessage().contains("asked for " + Channels.valueOnly())
                    && axes.getMessage().contains("must have 2 gradient axes"), axes.getMessage());
            IllegalArgumentException levels = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points(5), 5, Channels.valueAndGradient(2), 4, new double[15]));
            assertTrue(levels.getMessage().contains("4 active levels") && levels.getMessage().contains("has 3"),
                    levels.getMessage());
            IllegalArgumentException fewPoints = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points(5), 6, Channels.valueAndGradient(2), 3, new double[18]));
            assertTrue(fewPoints.getMessage().contains("6 points") && fewPoints.getMessage().contains("holds 5"),
                    fewPoints.getMessage());
            IllegalArgumentException shortOut = assertThrows(IllegalArgumentException.class,
                    () -> cl.evaluate(points(5), 5, Channels.valueAndGradient(2), 3, new double[14]));
            assertTrue(shortOut.getMessage().contains("needs 15") && shortOut.getMessage().contains("holds 14"),
                    shortOut.getMessage());
        }
    }

    @Test
    void aBatchLargerThanThePointCapacityIsRefused() {
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", CAPACITY)) {
            cl.setParameters(field.initialParameters(2, TableInit.uniform(0.05), BiasInit.FAN_IN_SQRT));
            CollocationBatch batch = CollocationBatch.sample(problem, new int[]{CAPACITY, 1}, new SplittableRandom(4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.computeGradient(batch, new double[]{1, 1}, 3, new double[2]));
            assertTrue(e.getMessage().contains(String.valueOf(CAPACITY + 1)) && e.getMessage().contains("capacity "
                    + CAPACITY), e.getMessage());
        }
    }
}
