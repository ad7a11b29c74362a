package io.hermitengp.loss;

import io.hermitengp.problem.Problem;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The points of the loss terms a run draws once ({@code training.fixed_points}) and trains on at
 * every step, as a run with a fixed set of initial-condition points does. Term k's points (and
 * their attributes) are drawn when the run starts, from a generator that depends on the run's seed
 * and k only, never on the step: every batch of the run, and every batch of a run resumed from a
 * checkpoint, holds the same points for it. A term not fixed here is drawn with each batch.
 */
public final class FixedPoints {
    /** No term fixed: every term is drawn with each batch. */
    public static final FixedPoints NONE = new FixedPoints(new double[0][], new double[0][]);

    private final double[][] points;       // per term: (count, d) row-major, or null when drawn with each batch
    private final double[][] attributes;   // per term: (count, attribute width) row-major, or null

    private FixedPoints(double[][] points, double[][] attributes) {
        this.points = points;
        this.attributes = attributes;
    }

    /**
     * Draws the fixed terms' points, each as a batch draws a term ({@link CollocationBatch#drawTerm}).
     *
     * @param counts      per term: points per step
     * @param fixed       per term: whether its points are drawn once
     * @param termRandom  the generator of term k's points
     */
    public static FixedPoints draw(Problem problem, int[] counts, boolean[] fixed,
                                   IntFunction<SplittableRandom> termRandom) {
        int terms = problem.terms().size();
        double[][] points = new double[terms][];
        double[][] attributes = new double[terms][];
        for (int k = 0; k < terms; k++) {
            if (fixed[k]) {
                int width = problem.terms().get(k).sampler().attributeWidth();
                points[k] = new double[counts[k] * problem.dims()];
                attributes[k] = new double[counts[k] * width];
                CollocationBatch.drawTerm(problem, k, counts[k], termRandom.apply(k), points[k], 0, attributes[k], 0);
            }
        }
        return new FixedPoints(points, attributes);
    }

    /** Whether term k's points are drawn once. */
    public boolean fixes(int term) {
        return term < points.length && points[term] != null;
    }

    /** Copies term k's points and attributes into a batch's arrays. */
    void copy(int term, double[] pointsOut, int pointOffset, double[] attributesOut, int attributeOffset) {
        System.arraycopy(points[term], 0, pointsOut, pointOffset, points[term].length);
        System.arraycopy(attributes[term], 0, attributesOut, attributeOffset, attributes[term].length);
    }

    /** Term k's points, (count, d) row-major (a copy). */
    public double[] points(int term) {
        return points[term].clone();
    }
}
