package io.hermitengp.loss;

import io.hermitengp.geometry.MortonOrder;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.PointSampler;
import io.hermitengp.problem.Problem;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The collocation points of one training step: the points of every loss term, concatenated in
 * the problem's term order, with the per-point attributes of terms whose samplers have them.
 * Term k owns points {@code [termStart[k], termStart[k+1])}; its attributes, {@code
 * attributeWidth[k]} per point, start at {@code attributeStart[k]}.
 *
 * @param points         (n, d) row-major
 * @param termStart      per term: first point index; one more entry holding n
 * @param attributes     every term's attributes, term after term
 * @param attributeStart per term: offset of its first point's attributes
 * @param attributeWidth per term: attributes per point (0 for plain points)
 */
public record CollocationBatch(int dims, double[] points, int[] termStart, double[] attributes, int[] attributeStart,
                               int[] attributeWidth) {

    /** A batch of plain points (no attributes). */
    public CollocationBatch(int dims, double[] points, int[] termStart) {
        this(dims, points, termStart, new double[0], new int[termStart.length - 1], new int[termStart.length - 1]);
    }

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

    /** Offset in {@link #attributes()} of point p's attributes (p belongs to the term). */
    public int attributeOffset(int term, int p) {
        return attributeStart[term] + (p - termStart[term]) * attributeWidth[term];
    }

    /**
     * Draws a batch: term by term, in the problem's order, {@code counts[k]} points each from one
     * generator, so the batch depends only on the generator's seed. Each term's points are put in
     * {@link MortonOrder} for locality of table reads, their attributes moving with them.
     */
    public static CollocationBatch sample(Problem problem, int[] counts, SplittableRandom rng) {
        return sample(problem, counts, rng, FixedPoints.NONE);
    }

    /**
     * Draws a batch as {@link #sample(Problem, int[], SplittableRandom)} does, except that the
     * terms {@code fixed} holds take its points, drawn once per run, and leave the generator
     * untouched (the other terms are drawn from it in order).
     */
    public static CollocationBatch sample(Problem problem, int[] counts, SplittableRandom rng, FixedPoints fixed) {
        List<LossTerm> terms = problem.terms();
        int d = problem.dims();
        int[] start = new int[terms.size() + 1];
        int[] width = new int[terms.size()];
        int[] attributeStart = new int[terms.size()];
        int attributeCount = 0;
        for (int k = 0; k < terms.size(); k++) {
            start[k + 1] = start[k] + counts[k];
            width[k] = terms.get(k).sampler().attributeWidth();
            attributeStart[k] = attributeCount;
            attributeCount += counts[k] * width[k];
        }
        double[] points = new double[start[terms.size()] * d];
        double[] attributes = new double[attributeCount];
        for (int k = 0; k < terms.size(); k++) {
            if (fixed.fixes(k)) {
                fixed.copy(k, points, start[k] * d, attributes, attributeStart[k]);
            } else {
                drawTerm(problem, k, counts[k], rng, points, start[k], attributes, attributeStart[k]);
            }
        }
        return new CollocationBatch(d, points, start, attributes, attributeStart, width);
    }

    /**
     * Draws {@code count} points of term k (and their attributes, when its sampler has them) from
     * {@code rng} into {@code points} from point {@code first} on, in {@link MortonOrder}.
     */
    static void drawTerm(Problem problem, int term, int count, SplittableRandom rng, double[] points, int first,
                         double[] attributes, int attributeOffset) {
        PointSampler sampler = problem.terms().get(term).sampler();
        int width = sampler.attributeWidth();
        if (width == 0) {
            sampler.sample(rng, count, points, first * problem.dims());
        } else {
            sampler.sample(rng, count, points, first * problem.dims(), attributes, attributeOffset);
        }
        MortonOrder.sort(problem.domain(), points, first, count, attributes, attributeOffset, width);
    }
}
