package io.hermitengp.backend;

import io.hermitengp.field.Channels;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.FieldProbe;

import java.util.List;

/**
 * Where the numerical work of training runs. A backend is bound to one field architecture and
 * one problem, and owns the field's parameters, their gradient and the optimizer state, so that
 * a device backend keeps them on the device across steps; only batches, losses and evaluations
 * cross. Every backend reports the device that actually ran in {@link #description()}.
 */
public interface TrainingBackend extends AutoCloseable {
    /** What actually runs, e.g. {@code java:threads=2} or {@code opencl:<platform>/<device>}. */
    String description();

    /** Loads the parameters (field buffer layout) and resets the optimizer state to zero. */
    void setParameters(double[] params);

    /** A copy of the current parameters. */
    double[] parameters();

    /**
     * Replaces the parameters and keeps the optimizer state: to evaluate another set of weights
     * (their running average, a snapshot) and then put the trained ones back.
     */
    void loadParameters(double[] params);

    /** Copies of Adam's first and second moments ({@code [m, v]}), in the parameter layout. */
    double[][] optimizerMoments();

    /** Puts parameters and Adam's moments back as {@link #parameters} and {@link #optimizerMoments} gave them. */
    void restore(double[] params, double[] firstMoment, double[] secondMoment);

    /**
     * Computes, for the batch, each term's loss {@code L_k} and the gradient of
     * {@code sum_k w_k L_k}, which the backend keeps for {@link #adamUpdate} and {@link #gradientNorm}.
     *
     * @param termWeights  {@code w_k}, one per term of the batch
     * @param activeLevels encoding levels in use; the others contribute and receive nothing
     * @param termLosses   receives {@code L_k} (unweighted)
     */
    void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses);

    /** Euclidean norm of the last computed gradient. */
    double gradientNorm();

    /** One Adam update of each segment from the last computed gradient. */
    void adamUpdate(Adam adam, List<AdamSegment> segments);

    /**
     * Evaluates the field with the current parameters at n points.
     *
     * @param points (n, d) row-major
     * @param out    receives (n, C, outputs) row-major
     */
    void evaluate(double[] points, int n, Channels channels, int activeLevels, double[] out);

    /**
     * Whether {@link #evaluate} takes {@link Channels#valueOnly()} for this field as well as the
     * field's own channels ({@link io.hermitengp.problem.FieldProbe#evaluatesValueOnly}); the
     * value channel is then the same bits either way.
     */
    default boolean evaluatesValueOnly() {
        return false;
    }

    /** The field as it stands on this backend, with the given active levels, as a probe. */
    default FieldProbe probe(int activeLevels) {
        TrainingBackend backend = this;
        return new FieldProbe() {
            @Override
            public void evaluate(double[] points, int n, Channels channels, double[] out) {
                backend.evaluate(points, n, channels, activeLevels, out);
            }

            @Override
            public boolean evaluatesValueOnly() {
                return backend.evaluatesValueOnly();
            }
        };
    }

    /**
     * Starts the running average of the parameters ({@link io.hermitengp.optim.ParameterAverage}'s
     * rule) at {@code initial}, held where the parameters are, so that folding in every step moves
     * nothing between host and device.
     */
    void startAverage(double decay, double[] initial);

    /** Folds the current parameters into the average, after an optimizer step; nothing without one. */
    void updateAverage();

    /** A copy of the average, or null when none was started. */
    double[] average();

    /** Bytes moved between host and device so far; 0 for a backend that runs on the host. */
    default long bytesTransferred() {
        return 0;
    }

    @Override
    void close();
}
