package io.hermitengp.backend;

import io.hermitengp.field.Channels;
import io.hermitengp.loss.CollocationBatch;

/**
 * Where the numerical work of training runs. A backend is bound to one field architecture and
 * one problem; it computes losses with their gradient and evaluates the field. Every backend
 * reports the device that actually ran in {@link #description()}.
 */
public interface TrainingBackend extends AutoCloseable {
    /** What actually runs, e.g. {@code java:threads=2}. */
    String description();

    /**
     * Computes, for the batch, each term's loss {@code L_k} and the gradient of
     * {@code sum_k w_k L_k} with respect to every parameter.
     *
     * @param termWeights   {@code w_k}, one per term of the batch
     * @param activeLevels  encoding levels in use; the others contribute and receive nothing
     * @param termLosses    receives {@code L_k} (unweighted)
     * @param gradient      receives the gradient, same layout as {@code params} (overwritten)
     */
    void lossAndGradient(double[] params, CollocationBatch batch, double[] termWeights, int activeLevels,
                         double[] termLosses, double[] gradient);

    /**
     * Evaluates the field at n points.
     *
     * @param points (n, d) row-major
     * @param out    receives (n, C, outputs) row-major
     */
    void evaluate(double[] params, double[] points, int n, Channels channels, int activeLevels, double[] out);

    @Override
    void close();
}
