package io.hermitengp.backend.opencl;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.Precision;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.StandardResidual;

import java.util.List;
import java.util.Optional;

/**
 * The OpenCL backend for one field: an {@link OpenClFieldBatch} of one, so that a field trains
 * alone on the very passes it trains on in a batch. The whole training step runs in
 * {@link HermiteTrainingKernel} on one device, through Aparapi, in double precision or with the
 * SIREN's part in float32 ({@link OpenClFieldBatch}); the device needs {@code cl_khr_fp64} either way.
 *
 * <p>Parameters, gradient, Adam moments and every work buffer live on the device. Per step the
 * host puts the batch (coordinates, the per-point data of each point's residual, its term) and the
 * term weights, and gets the term losses; per Adam update it puts the segment table (a few numbers
 * per level). {@link #bytesTransferred()} counts it all. The problem's terms must be
 * {@link StandardResidual}s: the device evaluates their forms, the host their per-point data.
 */
public final class OpenClBackend implements TrainingBackend {
    /** Names of the kernel passes, indexed by their pass number. */
    public static final String[] PASS_NAMES = OpenClFieldBatch.PASS_NAMES;

    private final OpenClFieldBatch batch;
    private final OpenClFieldBatch.Field field;

    /**
     * @param deviceSelector {@code ""} for the first device, an index, or part of {@code platform/device}
     * @param capacity       the most points a launch handles (the batch size); evaluation runs in chunks of it
     */
    public OpenClBackend(NeuralField field, Problem problem, String deviceSelector, int capacity) {
        this(field, problem, deviceSelector, capacity, Precision.FLOAT64);
    }

    /** As {@link #OpenClBackend(NeuralField, Problem, String, int)}, in the given precision ({@link OpenClFieldBatch}). */
    public OpenClBackend(NeuralField field, Problem problem, String deviceSelector, int capacity, Precision precision) {
        this.batch = new OpenClFieldBatch(List.of(field), List.of(problem), deviceSelector, capacity, precision);
        this.field = batch.field(0);
    }

    /**
     * Why the OpenCL backend cannot train this field on this problem, or empty when it can (Hermite
     * encodings and {@link StandardResidual}s only).
     */
    public static Optional<String> unsupported(NeuralField field, Problem problem) {
        if (!(field.encoding() instanceof HermiteHashEncoding)) {
            return Optional.of("the OpenCL backend runs Hermite encodings only; this field uses "
                    + field.encoding().getClass().getSimpleName());
        }
        for (LossTerm term : problem.terms()) {
            if (!(term.residual() instanceof StandardResidual)) {
                return Optional.of(notStandard(problem, term));
            }
        }
        return Optional.empty();
    }

    static String notStandard(Problem problem, LossTerm term) {
        return "the OpenCL backend evaluates residuals in the standard forms (linear, pointwise linear, eikonal, "
                + "Navier-Stokes 2D) only; term '" + term.name() + "' of " + problem.type() + " has a residual of "
                + "another shape (" + term.residual().getClass().getName() + ")";
    }

    /**
     * A kernel with every buffer allocated for the field, the problem and a capacity in points,
     * on no device yet: enough to translate it to OpenCL.
     */
    public static HermiteTrainingKernel createKernel(NeuralField field, Problem problem, int capacity,
                                                     Precision precision) {
        return OpenClFieldBatch.createKernel(List.of(field), List.of(problem), capacity, precision);
    }

    @Override
    public String description() {
        return field.description();
    }

    /** Bytes moved between host and device since this backend opened. */
    @Override
    public long bytesTransferred() {
        return batch.bytesTransferred();
    }

    public int capacity() {
        return batch.capacity();
    }

    /** The most channels {@link #evaluate} can produce per point (the problem's, or value and gradient). */
    public int channelCapacity() {
        return batch.channelCapacity();
    }

    /** {@link OpenClFieldBatch#useLayerPasses}. */
    public void useLayerPasses(boolean layers) {
        batch.useLayerPasses(layers);
    }

    /** Whether the network runs in the layer passes ({@link OpenClFieldBatch#useLayerPasses}). */
    public boolean layerPasses() {
        return batch.layerPasses();
    }

    /** Wall time spent in each pass so far (launches are synchronous), in nanoseconds, by {@link #PASS_NAMES}. */
    public long[] passNanos() {
        return batch.passNanos();
    }

    @Override
    public void setParameters(double[] params) {
        field.setParameters(params);
    }

    @Override
    public void loadParameters(double[] params) {
        field.loadParameters(params);
    }

    @Override
    public double[] parameters() {
        return field.parameters();
    }

    /** A copy of the last computed gradient (downloaded; for verification against the Java backend). */
    public double[] gradient() {
        return field.gradient();
    }

    @Override
    public double[][] optimizerMoments() {
        return field.optimizerMoments();
    }

    @Override
    public void restore(double[] params, double[] firstMoment, double[] secondMoment) {
        field.restore(params, firstMoment, secondMoment);
    }

    @Override
    public void startAverage(double decay, double[] initial) {
        field.startAverage(decay, initial);
    }

    @Override
    public void updateAverage() {
        field.updateAverage();
    }

    @Override
    public double[] average() {
        return field.average();
    }

    @Override
    public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses) {
        field.computeGradient(batch, termWeights, activeLevels, termLosses);
    }

    @Override
    public double gradientNorm() {
        return field.gradientNorm();
    }

    @Override
    public void adamUpdate(Adam adam, List<AdamSegment> segments) {
        field.adamUpdate(adam, segments);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in chunks of {@link #capacity()} points, so any n fits; the channels must be over the
     * field's d axes (the kernel writes the value and every gradient per point) and at most
     * {@link #channelCapacity()} of them, as the device buffers were sized for that many.
     *
     * @throws IllegalArgumentException when the request does not fit, before anything is written
     */
    @Override
    public void evaluate(double[] points, int n, Channels channels, int activeLevels, double[] out) {
        field.evaluate(points, n, channels, activeLevels, out);
    }

    @Override
    public void close() {
        batch.close();
    }
}
