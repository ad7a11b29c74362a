package io.hermitengp.backend;

import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;

import java.util.List;

/**
 * Where a batch of fields trains together: B fields of one architecture (encoding layout,
 * network shape, precision), each with its own problem, parameters, Adam moments and average,
 * whose steps run as one piece of work. On the CPU a step's tasks for every field go to the
 * worker threads at once (two waits per step instead of two per field); on a device each pass
 * is one launch over fields x points (or x table entries, x weights).
 *
 * <p>A field's numbers never depend on the others in its batch: each field's losses, gradient
 * and update are computed by the same code, summed in the same order, as when the field trains
 * alone, so a field trained in a batch is bit-identical to the same field trained alone with the
 * same seed. A single field is a batch of one ({@link #of}).
 *
 * <p>Per-field work that is not part of a step (setting parameters, evaluating, the average,
 * the loss balancer's extra gradients) goes through the field's own view, {@link #field}.
 */
public interface FieldBatchBackend extends AutoCloseable {
    /** What actually runs, with the batch size: {@code java:threads=2,vector,fields=8}. */
    String description();

    /** B, the number of fields. */
    int size();

    /** Field {@code index}'s own view: everything of {@link TrainingBackend}, for that field alone. */
    TrainingBackend field(int index);

    /**
     * {@link TrainingBackend#computeGradient} for each request's field, as one step of work.
     * A field appears at most once; fields not named are left as they are (one that has finished
     * or diverged stops while the others go on).
     */
    void computeGradients(List<GradientRequest> requests);

    /** {@link TrainingBackend#adamUpdate} for each request's field, from its last computed gradient. */
    void adamUpdates(List<AdamRequest> requests);

    /** {@link TrainingBackend#updateAverage} for each listed field. */
    void updateAverages(int[] fields);

    /** Bytes moved between host and device so far, for the whole batch; 0 on the host. */
    default long bytesTransferred() {
        return 0;
    }

    @Override
    void close();

    /** One field's part of a step: its batch, its loss weights and levels; the term losses are written back. */
    record GradientRequest(int field, CollocationBatch batch, double[] termWeights, int activeLevels,
                           double[] termLosses) {
    }

    /** One field's optimizer update: its Adam and the segments (trained levels, network) with their rates and counts. */
    record AdamRequest(int field, Adam adam, List<AdamSegment> segments) {
    }

    /**
     * A batch of one: a single backend, each request handed to it. What a single fit trains on,
     * so that one training loop serves a field alone and fields in a batch.
     */
    static FieldBatchBackend of(TrainingBackend backend) {
        return new FieldBatchBackend() {
            @Override
            public String description() {
                return backend.description();
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public TrainingBackend field(int index) {
                if (index != 0) {
                    throw new IndexOutOfBoundsException("a batch of one has no field " + index);
                }
                return backend;
            }

            @Override
            public void computeGradients(List<GradientRequest> requests) {
                for (GradientRequest r : requests) {
                    field(r.field()).computeGradient(r.batch(), r.termWeights(), r.activeLevels(), r.termLosses());
                }
            }

            @Override
            public void adamUpdates(List<AdamRequest> requests) {
                for (AdamRequest r : requests) {
                    field(r.field()).adamUpdate(r.adam(), r.segments());
                }
            }

            @Override
            public void updateAverages(int[] fields) {
                for (int f : fields) {
                    field(f).updateAverage();
                }
            }

            @Override
            public long bytesTransferred() {
                return backend.bytesTransferred();
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }
}
