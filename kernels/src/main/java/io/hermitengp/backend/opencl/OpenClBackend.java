package io.hermitengp.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.SirenMath;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamMath;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.optim.ParameterAverage;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.StandardResidual;

import java.util.List;
import java.util.Optional;

/**
 * The OpenCL backend: the whole training step in {@link HermiteTrainingKernel} on one device,
 * through Aparapi, in double precision (the device needs {@code cl_khr_fp64}).
 *
 * <p>Parameters, gradient, Adam moments and every work buffer live on the device. Per step the
 * host puts the batch (coordinates, the per-point data of each point's residual, its term) and the
 * term weights, and gets the term losses; per Adam update it puts the segment table (a few numbers
 * per level). {@link #bytesTransferred()} counts it all. The problem's terms must be
 * {@link StandardResidual}s: the device evaluates their forms, the host their per-point data.
 */
public final class OpenClBackend implements TrainingBackend {
    private final NeuralField field;
    private final Problem problem;
    private final Channels channels;
    private final HermiteTrainingKernel kernel;
    private final OpenClLauncher launcher;
    private final StandardResidual[] residuals;
    private final int networkCount;
    private final int dims;
    private final int channelCapacity;
    private long bytesTransferred;
    private final long[] passNanos = new long[PASS_NAMES.length];
    /** Names of the kernel passes, indexed by their pass number. */
    public static final String[] PASS_NAMES = {"transpose", "point", "term_loss", "weight_gradient_tiles",
        "weight_gradient_sum", "clear_counts", "count", "scan_blocks", "scan_block_offsets", "scan_entries", "fill",
        "gather", "adam", "norm_chunks", "norm_sum", "average"};
    private boolean buffersOnDevice;
    /** Whether the device holds a running average of the parameters. */
    private boolean averaging;
    /** Whether every contribution count on the device is zero, as GATHER leaves them (see {@link #computeGradient}). */
    private boolean countsZero = true;
    /** Whether the device's transposed weights match its parameters (ADAM keeps them so; host writes do not). */
    private boolean transposedCurrent;
    private boolean launched;

    /**
     * @param deviceSelector {@code ""} for the first device, an index, or part of {@code platform/device}
     * @param capacity       the most points a launch handles (the batch size); evaluation runs in chunks of it
     */
    public OpenClBackend(NeuralField field, Problem problem, String deviceSelector, int capacity) {
        this.field = field;
        this.problem = problem;
        this.channels = problem.channels();
        this.dims = field.dims();
        this.residuals = standardResiduals(problem);
        this.channelCapacity = channelCapacity(problem, dims);
        OpenCLDevice device = OpenClDevices.select(deviceSelector);
        this.networkCount = field.network().parameterCount();
        this.kernel = createKernel(field, problem, capacity);
        kernel.setExplicit(true);
        this.launcher = new OpenClLauncher(kernel, device);
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

    private static String notStandard(Problem problem, LossTerm term) {
        return "the OpenCL backend evaluates residuals in the standard forms (linear, pointwise linear, eikonal, "
                + "Navier-Stokes 2D) only; term '" + term.name() + "' of " + problem.type() + " has a residual of "
                + "another shape (" + term.residual().getClass().getName() + ")";
    }

    /** The problem's terms as standard residuals, or an error naming the first term that is not one. */
    static StandardResidual[] standardResiduals(Problem problem) {
        List<LossTerm> terms = problem.terms();
        StandardResidual[] standard = new StandardResidual[terms.size()];
        for (int k = 0; k < terms.size(); k++) {
            if (!(terms.get(k).residual() instanceof StandardResidual residual)) {
                throw new OpenClUnavailableException(notStandard(problem, terms.get(k)));
            }
            standard[k] = residual;
        }
        return standard;
    }

    /**
     * Channels per point the kernel's work buffers hold: the problem's (for training) or value and
     * gradient (for evaluation), whichever is more.
     */
    static int channelCapacity(Problem problem, int dims) {
        return Math.max(problem.channels().count(), Channels.valueAndGradient(dims).count());
    }

    /**
     * A kernel with every buffer allocated for the field, the problem and a capacity in points,
     * on no device yet: enough to translate it to OpenCL.
     */
    public static HermiteTrainingKernel createKernel(NeuralField field, Problem problem, int capacity) {
        StandardResidual[] residuals = standardResiduals(problem);
        Channels channels = problem.channels();
        int dims = field.dims();
        int networkCount = field.network().parameterCount();
        if (!(field.encoding() instanceof HermiteHashEncoding encoding)) {
            throw new OpenClUnavailableException("the OpenCL backend runs Hermite encodings only; this field uses "
                    + field.encoding().getClass().getSimpleName());
        }
        encoding.requireChannels(channels);
        HermiteGridLayout layout = encoding.layout();
        SirenNetwork network = field.network();
        int maxChannels = channelCapacity(problem, dims);
        int layers = network.layers();
        int[] net = new int[4 + 5 * layers];
        net[0] = layers;
        int cumIn = 0;
        int cumOut = 0;
        for (int k = 0; k <= layers; k++) {
            net[1 + k] = k == 0 ? network.inputWidth() : network.width(k - 1);
        }
        for (int k = 0; k < layers; k++) {
            net[2 + layers + k] = network.weightOffset(k);
            net[2 + 2 * layers + k] = network.biasOffset(k);
            net[2 + 3 * layers + k] = cumIn;
            net[2 + 4 * layers + k] = cumOut;
            cumIn += network.inputWidth(k);
            cumOut += network.width(k);
        }
        net[2 + 5 * layers] = field.networkOffset();
        net[3 + 5 * layers] = networkCount;
        double[] omegas = new double[layers];
        for (int k = 0; k < layers; k++) {
            omegas[k] = network.omega(k);
        }
        int tables = layout.levels() * (dims + 1);
        int[] tableEntryStart = new int[tables + 1];
        for (int l = 0; l < layout.levels(); l++) {
            for (int k = 0; k <= dims; k++) {
                int t = l * (dims + 1) + k;
                tableEntryStart[t + 1] = tableEntryStart[t] + layout.entries(l, k);
            }
        }
        int jet = channels.count() * field.outputs();
        int terms = residuals.length;
        int[] termKind = new int[terms];
        int[] termComponents = new int[terms];
        int[] termConstantStart = new int[terms];
        int constantCount = 0;
        int dataStride = 1;
        int maxComponents = 1;
        for (int k = 0; k < terms; k++) {
            StandardResidual residual = residuals[k];
            if (residual.jetSize() != jet) {
                throw new IllegalArgumentException("term " + k + " of " + problem.type() + " has partials over a jet of "
                        + residual.jetSize() + ", the field's is " + jet);
            }
            termKind[k] = residual.kind();
            termComponents[k] = residual.components();
            termConstantStart[k] = constantCount;
            constantCount += residual.constants().length;
            dataStride = Math.max(dataStride, residual.dataWidth());
            maxComponents = Math.max(maxComponents, residual.components());
        }
        double[] termConstants = new double[Math.max(1, constantCount)];   // a device buffer is never empty
        for (int k = 0; k < terms; k++) {
            double[] constants = residuals[k].constants();
            System.arraycopy(constants, 0, termConstants, termConstantStart[k], constants.length);
        }
        HermiteTrainingKernel kr = new HermiteTrainingKernel();
        kr.capacity = capacity;
        kr.encLayout = encoding.layoutArray();
        kr.encGeometry = encoding.geometryArray();
        kr.net = net;
        kr.omegas = omegas;
        kr.tableEntryStart = tableEntryStart;
        kr.termKind = termKind;
        kr.termComponents = termComponents;
        kr.termConstantStart = termConstantStart;
        kr.termConstants = termConstants;
        kr.dataStride = dataStride;
        kr.maxComponents = maxComponents;
        kr.params = new double[field.parameterCount()];
        kr.gradient = new double[field.parameterCount()];
        kr.firstMoment = new double[field.parameterCount()];
        kr.secondMoment = new double[field.parameterCount()];
        kr.average = new double[field.parameterCount()];
        kr.transposed = new double[networkCount];
        kr.pointCoordinates = new double[capacity * dims];
        kr.pointData = new double[capacity * dataStride];
        kr.pointTerm = new int[capacity];
        kr.termStart = new int[residuals.length + 1];
        kr.termSeedScale = new double[residuals.length];
        int segments = layout.levels() + 1;   // one per level and one for the network
        kr.segmentRange = new int[2 * segments];
        kr.segmentFactors = new double[3 * segments];
        // the weight gradient's last block of a row reads past the row (SirenMath.weightGradientBlock)
        kr.act = new double[capacity * maxChannels * cumIn + SirenMath.GRADIENT_BLOCK - 1];
        kr.actBar = new double[capacity * maxChannels * cumIn];
        kr.z = new double[capacity * maxChannels * cumOut];
        kr.zBar = new double[capacity * maxChannels * cumOut];
        kr.cosines = new double[capacity * cumOut];
        kr.output = new double[capacity * maxChannels * field.outputs()];
        kr.pointLoss = new double[capacity];
        kr.pointResidual = new double[capacity * maxComponents];
        kr.pointPartials = new double[capacity * maxComponents * jet];
        kr.termLoss = new double[residuals.length];
        kr.weightGradientTiles = new double[blocks(capacity, HermiteTrainingKernel.GRADIENT_TILE) * networkCount];
        kr.normPartials = new double[blocks(field.parameterCount(), HermiteTrainingKernel.NORM_CHUNK)];
        kr.norm = new double[1];
        kr.contributionCount = new int[tableEntryStart[tables]];
        kr.contributionStart = new int[tableEntryStart[tables]];
        kr.scanBlockOffset = new int[blocks(tableEntryStart[tables], HermiteTrainingKernel.SCAN_BLOCK)];
        kr.contributions = new int[capacity * tables * (1 << dims)];
        kr.contributionKey = new int[capacity * tables * (1 << dims)];
        kr.contributionRank = new int[capacity * tables * (1 << dims)];
        return kr;
    }

    /**
     * Work items per tile of the weight-gradient pass: per layer, one per block of
     * {@link SirenMath#GRADIENT_BLOCK_ROWS} x {@link SirenMath#GRADIENT_BLOCK} weights and one per
     * bias (the kernel's own count).
     */
    static int gradientItemsPerTile(SirenNetwork network) {
        int items = 0;
        for (int k = 0; k < network.layers(); k++) {
            items += blocks(network.width(k), SirenMath.GRADIENT_BLOCK_ROWS)
                    * blocks(network.inputWidth(k), SirenMath.GRADIENT_BLOCK) + network.width(k);
        }
        return items;
    }

    /** Blocks of {@code size} that cover {@code count} items, the last one possibly short. */
    private static int blocks(int count, int size) {
        return (count + size - 1) / size;
    }

    @Override
    public String description() {
        return "opencl:" + OpenClDevices.name(launcher.device());
    }

    /** Bytes moved between host and device since this backend opened. */
    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    public int capacity() {
        return kernel.capacity;
    }

    /** The most channels {@link #evaluate} can produce per point (see {@link #channelCapacity(Problem, int)}). */
    public int channelCapacity() {
        return channelCapacity;
    }

    /** The first launch sends every buffer; later only what a call names. */
    private void ensureBuffersOnDevice() {
        if (buffersOnDevice) {
            return;
        }
        HermiteTrainingKernel k = kernel;
        k.put(k.encLayout).put(k.encGeometry).put(k.net).put(k.omegas).put(k.tableEntryStart).put(k.termKind)
                .put(k.termComponents).put(k.termConstantStart).put(k.termConstants)
                .put(k.params).put(k.gradient).put(k.firstMoment).put(k.secondMoment).put(k.average)
                .put(k.transposed)
                .put(k.pointCoordinates).put(k.pointData).put(k.pointTerm).put(k.termStart).put(k.termSeedScale)
                .put(k.segmentRange).put(k.segmentFactors).put(k.act).put(k.actBar).put(k.z).put(k.zBar)
                .put(k.cosines).put(k.output).put(k.pointLoss).put(k.pointResidual).put(k.pointPartials)
                .put(k.termLoss).put(k.weightGradientTiles).put(k.normPartials).put(k.norm)
                .put(k.contributionCount).put(k.contributionStart).put(k.scanBlockOffset).put(k.contributions)
                .put(k.contributionKey).put(k.contributionRank);
        buffersOnDevice = true;
    }

    @Override
    public void setParameters(double[] params) {
        requireLength(params);
        transposedCurrent = false;
        System.arraycopy(params, 0, kernel.params, 0, params.length);
        java.util.Arrays.fill(kernel.gradient, 0.0);
        java.util.Arrays.fill(kernel.firstMoment, 0.0);
        java.util.Arrays.fill(kernel.secondMoment, 0.0);
        if (buffersOnDevice) {
            kernel.put(kernel.params).put(kernel.gradient).put(kernel.firstMoment).put(kernel.secondMoment);
        }
        bytesTransferred += 4L * params.length * Double.BYTES;
    }

    @Override
    public void loadParameters(double[] params) {
        requireLength(params);
        transposedCurrent = false;
        System.arraycopy(params, 0, kernel.params, 0, params.length);
        if (buffersOnDevice) {
            kernel.put(kernel.params);
        }
        bytesTransferred += (long) params.length * Double.BYTES;
    }

    @Override
    public double[][] optimizerMoments() {
        ensureBuffersOnDevice();
        kernel.get(kernel.firstMoment).get(kernel.secondMoment);
        bytesTransferred += 2L * kernel.firstMoment.length * Double.BYTES;
        return new double[][]{kernel.firstMoment.clone(), kernel.secondMoment.clone()};
    }

    @Override
    public void restore(double[] params, double[] firstMoment, double[] secondMoment) {
        requireLength(params);
        transposedCurrent = false;
        requireLength(firstMoment);
        requireLength(secondMoment);
        System.arraycopy(params, 0, kernel.params, 0, params.length);
        System.arraycopy(firstMoment, 0, kernel.firstMoment, 0, params.length);
        System.arraycopy(secondMoment, 0, kernel.secondMoment, 0, params.length);
        java.util.Arrays.fill(kernel.gradient, 0.0);
        if (buffersOnDevice) {
            kernel.put(kernel.params).put(kernel.gradient).put(kernel.firstMoment).put(kernel.secondMoment);
        }
        bytesTransferred += 4L * params.length * Double.BYTES;
    }

    @Override
    public void startAverage(double decay, double[] initial) {
        requireLength(initial);
        kernel.averageDecay = ParameterAverage.requireDecay(decay);
        System.arraycopy(initial, 0, kernel.average, 0, initial.length);
        if (buffersOnDevice) {
            kernel.put(kernel.average);
        }
        bytesTransferred += (long) initial.length * Double.BYTES;
        averaging = true;
    }

    /** One {@link HermiteTrainingKernel#AVERAGE} pass: nothing crosses to the host. */
    @Override
    public void updateAverage() {
        if (averaging) {
            ensureBuffersOnDevice();
            launch(HermiteTrainingKernel.AVERAGE, field.parameterCount());
        }
    }

    @Override
    public double[] average() {
        if (!averaging) {
            return null;
        }
        ensureBuffersOnDevice();
        kernel.get(kernel.average);
        bytesTransferred += (long) kernel.average.length * Double.BYTES;
        return kernel.average.clone();
    }

    private void requireLength(double[] buffer) {
        if (buffer.length != field.parameterCount()) {
            throw new IllegalArgumentException("expected " + field.parameterCount() + " parameters, got " + buffer.length);
        }
    }

    @Override
    public double[] parameters() {
        ensureBuffersOnDevice();
        kernel.get(kernel.params);
        bytesTransferred += (long) kernel.params.length * Double.BYTES;
        return kernel.params.clone();
    }

    /** A copy of the last computed gradient (downloaded; for verification against the Java backend). */
    public double[] gradient() {
        ensureBuffersOnDevice();
        kernel.get(kernel.gradient);
        bytesTransferred += (long) kernel.gradient.length * Double.BYTES;
        return kernel.gradient.clone();
    }

    private void launch(int pass, int items) {
        kernel.pass = pass;
        kernel.items = items;
        long started = System.nanoTime();
        launcher.launch(items);
        passNanos[pass] += System.nanoTime() - started;
        launched |= items > 0;
    }

    /** Transposes the network weights where the host wrote parameters since the last transpose or Adam update. */
    private void transposeIfStale() {
        if (!transposedCurrent) {
            launch(HermiteTrainingKernel.TRANSPOSE, networkCount);
            transposedCurrent = true;
        }
    }

    /** Wall time spent in each pass so far (launches are synchronous), in nanoseconds, by {@link #PASS_NAMES}. */
    public long[] passNanos() {
        return passNanos.clone();
    }

    @Override
    public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses) {
        int n = batch.size();
        if (n > kernel.capacity) {
            throw new IllegalArgumentException("batch of " + n + " points exceeds the OpenCL backend's capacity "
                    + kernel.capacity);
        }
        ensureBuffersOnDevice();
        HermiteTrainingKernel k = kernel;
        double[] x = batch.points();
        System.arraycopy(x, 0, k.pointCoordinates, 0, n * dims);
        for (int t = 0; t < batch.terms(); t++) {
            k.termStart[t] = batch.termStart()[t];
            k.termSeedScale[t] = TermLossMath.seedScale(termWeights[t], batch.termSize(t));
            for (int p = batch.termStart()[t]; p < batch.termStart()[t + 1]; p++) {
                k.pointTerm[p] = t;
                residuals[t].data(x, p * dims, batch.attributes(), batch.attributeOffset(t, p), k.pointData,
                        p * k.dataStride);
            }
        }
        k.termStart[batch.terms()] = n;
        k.put(k.pointCoordinates).put(k.pointData).put(k.pointTerm).put(k.termStart).put(k.termSeedScale);
        bytesTransferred += (long) k.capacity * ((dims + k.dataStride) * Double.BYTES + Integer.BYTES)
                + (long) k.termStart.length * Integer.BYTES + (long) k.termSeedScale.length * Double.BYTES;

        k.points = n;
        k.activeLevels = activeLevels;
        k.laplacianAxes = channels.laplacianAxes();
        k.channelCount = channels.count();
        k.training = 1;
        k.terms = batch.terms();
        transposeIfStale();
        launch(HermiteTrainingKernel.POINT, n);
        launch(HermiteTrainingKernel.TERM_LOSS, batch.terms());
        launch(HermiteTrainingKernel.WEIGHT_GRADIENT_TILES, blocks(n, HermiteTrainingKernel.GRADIENT_TILE)
                * gradientItemsPerTile(field.network()));
        launch(HermiteTrainingKernel.WEIGHT_GRADIENT_SUM, networkCount);

        int activeTables = activeLevels * (dims + 1);
        int activeEntries = k.tableEntryStart[activeTables];
        int contributions = n * activeTables * (1 << dims);
        int scanBlocks = blocks(activeEntries, HermiteTrainingKernel.SCAN_BLOCK);
        if (!countsZero) {
            // a step that stopped between COUNT and GATHER left counts behind, in any table
            launch(HermiteTrainingKernel.CLEAR_COUNTS, k.contributionCount.length);
        }
        countsZero = false;
        launch(HermiteTrainingKernel.COUNT, contributions);
        launch(HermiteTrainingKernel.SCAN_BLOCKS, scanBlocks);
        launch(HermiteTrainingKernel.SCAN_BLOCK_OFFSETS, 1);
        launch(HermiteTrainingKernel.SCAN_ENTRIES, scanBlocks);
        launch(HermiteTrainingKernel.FILL, contributions);
        launch(HermiteTrainingKernel.GATHER, activeEntries);
        countsZero = true;
        // read last: the term losses wait in device memory while the gradient passes run
        k.get(k.termLoss);
        bytesTransferred += (long) k.termLoss.length * Double.BYTES;
        System.arraycopy(k.termLoss, 0, termLosses, 0, batch.terms());
    }

    @Override
    public double gradientNorm() {
        ensureBuffersOnDevice();
        launch(HermiteTrainingKernel.NORM_CHUNKS, kernel.normPartials.length);
        launch(HermiteTrainingKernel.NORM_SUM, 1);
        kernel.get(kernel.norm);
        bytesTransferred += Double.BYTES;
        return kernel.norm[0];
    }

    @Override
    public void adamUpdate(Adam adam, List<AdamSegment> segments) {
        ensureBuffersOnDevice();
        HermiteTrainingKernel k = kernel;
        int capacity = k.segmentRange.length / 2;
        if (segments.size() > capacity) {
            throw new IllegalArgumentException("at most " + capacity + " Adam segments, got " + segments.size());
        }
        for (int s = 0; s < segments.size(); s++) {
            AdamSegment seg = segments.get(s);
            k.segmentRange[2 * s] = seg.from();
            k.segmentRange[2 * s + 1] = seg.to();
            k.segmentFactors[3 * s] = seg.learningRate();
            k.segmentFactors[3 * s + 1] = AdamMath.biasCorrection(adam.beta1(), seg.step());
            k.segmentFactors[3 * s + 2] = AdamMath.biasCorrection(adam.beta2(), seg.step());
        }
        k.segments = segments.size();
        k.beta1 = adam.beta1();
        k.beta2 = adam.beta2();
        k.epsilon = adam.epsilon();
        k.put(k.segmentRange).put(k.segmentFactors);
        bytesTransferred += (long) k.segmentRange.length * Integer.BYTES
                + (long) k.segmentFactors.length * Double.BYTES;
        launch(HermiteTrainingKernel.ADAM, field.parameterCount());
        transposedCurrent = true;
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
    public void evaluate(double[] points, int n, Channels evalChannels, int activeLevels, double[] out) {
        // checked here, not by the kernel: a device overruns its buffers without a word
        field.encoding().requireChannels(evalChannels);
        requireEvaluationFits(points, n, evalChannels, activeLevels, out);
        ensureBuffersOnDevice();
        HermiteTrainingKernel k = kernel;
        int jet = evalChannels.count() * field.outputs();
        k.activeLevels = activeLevels;
        k.laplacianAxes = evalChannels.laplacianAxes();
        k.channelCount = evalChannels.count();
        k.training = 0;
        transposeIfStale();
        for (int from = 0; from < n; from += k.capacity) {
            int count = Math.min(k.capacity, n - from);
            System.arraycopy(points, from * dims, k.pointCoordinates, 0, count * dims);
            k.put(k.pointCoordinates);
            k.points = count;
            launch(HermiteTrainingKernel.POINT, count);
            k.get(k.output);
            bytesTransferred += (long) k.pointCoordinates.length * Double.BYTES + (long) k.output.length * Double.BYTES;
            System.arraycopy(k.output, 0, out, from * jet, count * jet);
        }
    }

    /** Fails, naming what was asked and what fits, where {@link #evaluate} would write out of bounds. */
    private void requireEvaluationFits(double[] points, int n, Channels evalChannels, int activeLevels, double[] out) {
        if (evalChannels.count() > channelCapacity) {
            throw new IllegalArgumentException("asked for " + evalChannels.count() + " channels per point (value, "
                    + dims + " gradients and a Laplacian), but the OpenCL backend's buffers hold " + channelCapacity
                    + " (built for " + problem.type() + ", whose terms use " + channels.count() + ")");
        }
        int levels = field.encoding().layout().levels();
        if (activeLevels < 0 || activeLevels > levels) {
            throw new IllegalArgumentException("asked for " + activeLevels + " active levels, the encoding has "
                    + levels);
        }
        if (n < 0 || points.length < (long) n * dims) {
            throw new IllegalArgumentException("asked to evaluate " + n + " points, but the points array holds "
                    + points.length / dims + " of " + dims + " coordinates");
        }
        long needed = (long) n * evalChannels.count() * field.outputs();
        if (out.length < needed) {
            throw new IllegalArgumentException("evaluating " + n + " points x " + evalChannels.count() + " channels x "
                    + field.outputs() + " outputs needs " + needed + " numbers, the output array holds " + out.length);
        }
    }

    @Override
    public void close() {
        try {
            if (!launched) {
                // Aparapi's dispose of a kernel that was compiled but never run crashes the JVM (in
                // JNI DeleteWeakGlobalRef); a backend closed before any launch (a refused request, a
                // failed setup) runs one empty launch first.
                ensureBuffersOnDevice();
                kernel.pass = HermiteTrainingKernel.NORM_SUM;
                kernel.items = 0;   // every work item returns at once
                launcher.launch(1);
            }
        } finally {
            synchronized (OpenClDevices.RUNTIME_LOCK) {
                kernel.dispose();
            }
        }
    }
}
