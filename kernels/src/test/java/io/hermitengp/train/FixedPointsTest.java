package io.hermitengp.train;

import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.FixedPoints;
import io.hermitengp.problem.TaylorGreenProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Terms drawn once per run ({@code training.fixed_points}) with the trainer's generators: the same
 * points in every batch, whatever the step, and again when drawn anew from the same seed (as a
 * resumed run draws them); other points from another seed; the other terms drawn as before.
 */
class FixedPointsTest {
    private static final TaylorGreenProblem PROBLEM = new TaylorGreenProblem(0.01,
            TaylorGreenProblem.standardDomain(), TaylorGreenProblem.SpatialBoundary.PERIODIC);
    private static final int[] COUNTS = {60, 25};          // residual, initial
    private static final boolean[] INITIAL = {false, true};

    private static FixedPoints drawn(long seed) {
        return FixedPoints.draw(PROBLEM, COUNTS, INITIAL, term -> Trainer.fixedPointsRandom(seed, term));
    }

    private static double[] termPoints(CollocationBatch batch, int term) {
        int d = batch.dims();
        return Arrays.copyOfRange(batch.points(), batch.termStart()[term] * d, batch.termStart()[term + 1] * d);
    }

    @Test
    void aFixedTermHasTheSamePointsInEveryBatchAndTheOthersAreRedrawn() {
        FixedPoints fixed = drawn(7);
        CollocationBatch first = CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 0), fixed);
        CollocationBatch later = CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 1234), fixed);
        assertArrayEquals(termPoints(first, 1), termPoints(later, 1), 0.0, "initial points at steps 0 and 1234");
        assertArrayEquals(fixed.points(1), termPoints(first, 1), 0.0, "the batch holds the points drawn once");
        assertFalse(Arrays.equals(termPoints(first, 0), termPoints(later, 0)), "residual points are redrawn");

        CollocationBatch resumed = CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 1234), drawn(7));
        assertArrayEquals(later.points(), resumed.points(), 0.0, "drawn anew from the seed: the same batch");
    }

    @Test
    void anotherSeedDrawsOtherFixedPoints() {
        assertFalse(Arrays.equals(drawn(7).points(1), drawn(8).points(1)));
    }

    @Test
    void fixedPointsAreNotTheFirstBatchsAndLeaveTheOtherTermsAsTheyWere() {
        CollocationBatch plain = CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 0));
        CollocationBatch fixed = CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 0), drawn(7));
        assertFalse(Arrays.equals(termPoints(plain, 1), termPoints(fixed, 1)),
                "the fixed points come from their own generator, not from any batch's");
        assertArrayEquals(termPoints(plain, 0), termPoints(fixed, 0), 0.0,
                "the residual, drawn before the fixed term, is the batch's as without fixed points");
        assertArrayEquals(plain.points(), CollocationBatch.sample(PROBLEM, COUNTS, Trainer.batchRandom(7, 0),
                FixedPoints.NONE).points(), 0.0, "no fixed term: the batch of before");
    }
}
