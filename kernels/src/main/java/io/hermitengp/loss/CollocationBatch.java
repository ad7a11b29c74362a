package io.hermitengp.loss;

import io.hermitengp.geometry.MortonOrder;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The collocation points of one training step: the points of every loss term, concatenated in
 * the problem's term order. Term k owns points {@code [termStart[k], termStart[k+1])}.
 *
 * @param points    (n, d) row-major
 * @param termStart per term: first point index; one more entry holding n
 */
public record CollocationBatch(int dims, double[] points, int[] termStart) {

    public int size() {
        return termStart[termStart.length - 1];
    }

    public int terms() {
        return termStart.length - 1;
    }

    public int termSize(int term) {
        return termStart[term + 1] - termStart[term];
    }

    /** Term owning point p. */
    public int termOf(int p) {
        int k = 0;
        while (p >= termStart[k + 1]) {
            k++;
        }
        return k;
    }

    /**
     * Draws a batch: term by term, in the problem's order, {@code counts[k]} points each from one
     * generator, so the batch depends only on the generator's seed. Each term's points are put in
     * {@link MortonOrder} for locality of table reads.
     */
    public static CollocationBatch sample(Problem problem, int[] counts, SplittableRandom rng) {
        List<LossTerm> terms = problem.terms();
        int d = problem.dims();
        int[] start = new int[terms.size() + 1];
        for (int k = 0; k < terms.size(); k++) {
            start[k + 1] = start[k] + counts[k];
        }
        double[] points = new double[start[terms.size()] * d];
        for (int k = 0; k < terms.size(); k++) {
            terms.get(k).sampler().sample(rng, counts[k], points, start[k] * d);
            MortonOrder.sort(problem.domain(), points, start[k], counts[k]);
        }
        return new CollocationBatch(d, points, start);
    }
}
