package io.hermitengp.backend.opencl;

import io.hermitengp.encoding.CoefficientUnits;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests larger than the kernel's buffers fail on the host with a message naming what was asked
 * and what fits, instead of writing past the device buffers, and the backend still closes cleanly
 * though it never launched.
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

    @Test
    void aBatchLargerThanThePointCapacityIsRefused() {
        try (OpenClBackend cl = new OpenClBackend(field, problem, "", CAPACITY)) {
            cl.setParameters(field.initialParameters(2, 0.05));
            CollocationBatch batch = CollocationBatch.sample(problem, new int[]{CAPACITY, 1}, new SplittableRandom(4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.computeGradient(batch, new double[]{1, 1}, 3, new double[2]));
            assertTrue(e.getMessage().contains(String.valueOf(CAPACITY + 1)) && e.getMessage().contains("capacity "
                    + CAPACITY), e.getMessage());
        }
    }
}
