package io.hermitengp.backend.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import io.hermitengp.backend.FieldBatchBackend;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenMath;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamMath;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.optim.ParameterAverage;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.StandardResidual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * B fields of one architecture trained on one OpenCL device through {@link HermiteTrainingKernel}
 * (the device needs {@code cl_khr_fp64}): every pass of a step is one launch
 * over fields x points (or x table entries, x parameters), whatever B is. A single field is a
 * batch of one ({@link OpenClBackend}); there is no other code path.
 *
 * <p>Each field's parameters, gradient, Adam moments and average are a block of their own on the
 * device, as are its residuals' constants (Helmholtz's {@code k^2}, a viscosity). A step puts the
 * requested fields' batches into the slots of the work buffers, one slot per requested field in
 * the order of the requests, with the slot table saying which field each slot trains; fields not
 * requested are not touched. A field's step computes the same numbers, summed in the same order,
 * as the field trained alone, so a field trained in a batch is bit-identical to the field trained
 * by {@link OpenClBackend}.
 *
 * <p>What a batch requires of its fields ({@link #incompatible} says why a list does not qualify):
 * what {@link OpenClBackend#unsupported} requires of each field; one encoding, equal in layout,
 * domain box, periodic axes and coefficient units; one network shape (widths, frequencies); and
 * problems whose terms match one for one in residual form, components, number of constants and
 * width of per-point data, over the same channels. The constants' values, the per-point data, the
 * batches (points per term, total points up to the capacity) and the active levels may differ
 * between fields. {@link #compatibleGroups} cuts a list of fields into batches that qualify.
 *
 * <p>Per step the host puts the requested slots' batches (coordinates, per-point data, term of
 * each point, term starts and seed scales) and the slot table, and gets the term losses; per Adam
 * update the slots' segment tables. A field's own reads and writes (parameters, moments, average)
 * go through a staging buffer of one field's size. {@link #bytesTransferred()} counts it all.
 * Device memory grows with B: every work buffer holds B slots of {@code capacity} points.
 *
 * <p>Precision, as {@code training.precision} on the CPU's tiled path: in float64 everything is
 * double. In float32 a training step's SIREN part runs in float ({@link
 * io.hermitengp.network.SirenFloatMath}): the encoded rows rounded to float, the weights rounded
 * once per update, the products, activations, cosines ({@code sin} and {@code cos} by the device's
 * float built-ins, {@code w z}'s rounding error carried to first order) and adjoints in float, and
 * each weight-gradient sum
 * in float over at most one tile of {@link HermiteTrainingKernel#GRADIENT_TILE} points. The
 * encoding and its table gradients, the residuals and seeds, the sums across tiles, the
 * parameters, Adam and the average stay double, as does evaluation (the error, the stored field),
 * so float32 adds its float buffers to the double ones rather than replacing them. The numbers
 * are not the CPU's float32 bits (other sine and cosine, other sum shapes), but they are the same
 * bits run to run, and a field's bits do not depend on its batch.
 */
public final class OpenClFieldBatch implements FieldBatchBackend {
    /** Names of the kernel passes, indexed by their pass number. */
    public static final String[] PASS_NAMES = {"transpose", "point", "term_loss", "weight_gradient_tiles",
        "weight_gradient_sum", "clear_counts", "count", "scan_blocks", "scan_block_offsets", "scan_entries", "fill",
        "gather", "adam", "norm_chunks", "norm_sum", "average", "stage_in", "stage_out", "encode", "forward", "seed",
        "backward"};

    private final List<Problem> problems;
    private final NeuralField architecture;
    private final Precision precision;
    private final Channels channels;
    private final HermiteTrainingKernel kernel;
    private final OpenClLauncher launcher;
    private final StandardResidual[][] residuals;   // per field, per term
    private final int networkCount;
    private final int parameterCount;
    private final int dims;
    private final int channelCapacity;
    private final Field[] views;
    /** Per field: whether the device's transposed weights match its parameters (ADAM keeps them so; host writes do not). */
    private final boolean[] transposedCurrent;
    /** Per field: whether the device holds a running average of its parameters. */
    private final boolean[] averaging;
    /** The slot table as the device holds it. */
    private final int[] slotsOnDevice;
    private final long[] passNanos = new long[PASS_NAMES.length];
    private long bytesTransferred;
    private boolean buffersOnDevice;
    /** Whether every contribution count on the device is zero, as GATHER leaves them (see {@link #computeGradients}). */
    private boolean countsZero = true;
    private boolean launched;
    /** Whether the network runs in the layer passes (the default on a GPU) or in the POINT pass. */
    private boolean layerPasses;

    /**
     * @param fields         the fields, one architecture (see the class comment)
     * @param problems       each field's problem, in the order of {@code fields}
     * @param deviceSelector {@code ""} for the first device, an index, or part of {@code platform/device}
     * @param capacity       the most points a field's step holds (its batch size); evaluation runs in chunks of
     *                       B times it
     * @throws IllegalArgumentException      when the fields cannot share a batch ({@link #incompatible})
     * @throws OpenClUnavailableException    when a field cannot train on OpenCL at all, or no device fits
     */
    public OpenClFieldBatch(List<NeuralField> fields, List<Problem> problems, String deviceSelector, int capacity) {
        this(fields, problems, deviceSelector, capacity, Precision.FLOAT64);
    }

    /**
     * As {@link #OpenClFieldBatch(List, List, String, int)}, in the given precision: float32 runs
     * a training step's SIREN part in float ({@link HermiteTrainingKernel#floatNetwork}).
     */
    public OpenClFieldBatch(List<NeuralField> fields, List<Problem> problems, String deviceSelector, int capacity,
                            Precision precision) {
        this.kernel = createKernel(fields, problems, capacity, precision);
        this.precision = precision;
        this.problems = List.copyOf(problems);
        this.architecture = fields.get(0);
        this.channels = problems.get(0).channels();
        this.dims = architecture.dims();
        this.residuals = new StandardResidual[fields.size()][];
        for (int f = 0; f < fields.size(); f++) {
            residuals[f] = standardResiduals(problems.get(f));
        }
        this.channelCapacity = channelCapacity(problems.get(0), dims);
        this.networkCount = architecture.network().parameterCount();
        this.parameterCount = architecture.parameterCount();
        this.views = new Field[fields.size()];
        for (int f = 0; f < views.length; f++) {
            views[f] = new Field(f);
        }
        this.transposedCurrent = new boolean[fields.size()];
        this.averaging = new boolean[fields.size()];
        this.slotsOnDevice = kernel.slotTable.clone();
        OpenCLDevice device = OpenClDevices.select(deviceSelector);
        kernel.setExplicit(true);
        this.launcher = new OpenClLauncher(kernel, device);
        this.layerPasses = device.getType() == Device.TYPE.GPU;
    }

    /**
     * Runs the network in the layer passes (ENCODE, FORWARD, SEED, BACKWARD: many work items per
     * point, the default on a GPU) or in the POINT pass (one work item per point, the default on
     * any other device). Both compute the same sums in the same order
     * ({@link HermiteTrainingKernel}); this is for timing one against the other on a device.
     */
    public void useLayerPasses(boolean layers) {
        this.layerPasses = layers;
    }

    /** Whether the network runs in the layer passes ({@link #useLayerPasses}). */
    public boolean layerPasses() {
        return layerPasses;
    }

    /**
     * Why these fields cannot train as one OpenCL batch, or empty when they can: the requirements
     * of the class comment, checked so that a caller can group its fields before opening batches.
     */
    public static Optional<String> incompatible(List<NeuralField> fields, List<Problem> problems) {
        if (fields.isEmpty() || fields.size() != problems.size()) {
            return Optional.of("a batch needs one problem per field and at least one field, got " + fields.size()
                    + " fields and " + problems.size() + " problems");
        }
        for (int f = 0; f < fields.size(); f++) {
            Optional<String> unsupported = OpenClBackend.unsupported(fields.get(f), problems.get(f));
            if (unsupported.isPresent()) {
                return Optional.of("field " + f + ": " + unsupported.get());
            }
        }
        NeuralField first = fields.get(0);
        HermiteHashEncoding encoding = (HermiteHashEncoding) first.encoding();
        Problem firstProblem = problems.get(0);
        for (int f = 1; f < fields.size(); f++) {
            NeuralField field = fields.get(f);
            HermiteHashEncoding other = (HermiteHashEncoding) field.encoding();
            if (!Arrays.equals(encoding.layoutArray(), other.layoutArray())
                    || !Arrays.equals(encoding.geometryArray(), other.geometryArray())) {
                return Optional.of("field " + f + "'s encoding differs from field 0's in grid layout, domain box, "
                        + "periodic axes or coefficient units; the fields of one OpenCL batch share one encoding");
            }
            if (!Arrays.equals(networkLayout(first), networkLayout(field))
                    || !Arrays.equals(omegas(first.network()), omegas(field.network()))) {
                return Optional.of("field " + f + "'s network differs from field 0's in widths, frequencies or "
                        + "place in the parameters; the fields of one OpenCL batch share one network shape");
            }
            Problem problem = problems.get(f);
            if (!problem.channels().equals(firstProblem.channels())) {
                return Optional.of("field " + f + "'s problem (" + problem.type() + ") uses channels "
                        + problem.channels() + ", field 0's (" + firstProblem.type() + ") "
                        + firstProblem.channels() + "; the fields of one OpenCL batch use the same channels");
            }
            Optional<String> terms = termsDiffer(firstProblem, problem);
            if (terms.isPresent()) {
                return Optional.of("field " + f + "'s terms differ from field 0's: " + terms.get()
                        + "; the fields of one OpenCL batch have terms of the same forms, one for one");
            }
        }
        return Optional.empty();
    }

    /**
     * The fields cut into groups that can each train as one batch ({@link #incompatible} empty for
     * each group), in the order given: a field joins the first group whose first field it is
     * compatible with, else starts a group of its own. Compatibility compares every field with the
     * first of its group, so this cut is the coarsest there is. A field the OpenCL backend cannot
     * train at all is a group of its own (opening it fails with the reason).
     *
     * @return each group's field indices, ascending
     */
    public static List<List<Integer>> compatibleGroups(List<NeuralField> fields, List<Problem> problems) {
        if (fields.size() != problems.size()) {
            throw new IllegalArgumentException("one problem per field: " + fields.size() + " fields, "
                    + problems.size() + " problems");
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            List<Integer> joined = null;
            if (OpenClBackend.unsupported(fields.get(f), problems.get(f)).isEmpty()) {
                for (List<Integer> group : groups) {
                    int first = group.get(0);
                    if (incompatible(List.of(fields.get(first), fields.get(f)),
                            List.of(problems.get(first), problems.get(f))).isEmpty()) {
                        joined = group;
                        break;
                    }
                }
            }
            if (joined == null) {
                joined = new ArrayList<>();
                groups.add(joined);
            }
            joined.add(f);
        }
        return groups;
    }

    /** How the two problems' terms differ in a way the shared kernel tables cannot hold, or empty. */
    private static Optional<String> termsDiffer(Problem first, Problem other) {
        List<LossTerm> a = first.terms();
        List<LossTerm> b = other.terms();
        if (a.size() != b.size()) {
            return Optional.of(b.size() + " terms (" + other.type() + ") against " + a.size() + " (" + first.type() + ")");
        }
        for (int k = 0; k < a.size(); k++) {
            StandardResidual ra = (StandardResidual) a.get(k).residual();
            StandardResidual rb = (StandardResidual) b.get(k).residual();
            if (ra.kind() != rb.kind() || ra.components() != rb.components() || ra.jetSize() != rb.jetSize()
                    || ra.constants().length != rb.constants().length || ra.dataWidth() != rb.dataWidth()) {
                return Optional.of("term " + k + " ('" + b.get(k).name() + "') is " + rb + ", field 0's ('"
                        + a.get(k).name() + "') is " + ra);
            }
        }
        return Optional.empty();
    }

    /** The problem's terms as standard residuals, or an error naming the first term that is not one. */
    static StandardResidual[] standardResiduals(Problem problem) {
        List<LossTerm> terms = problem.terms();
        StandardResidual[] standard = new StandardResidual[terms.size()];
        for (int k = 0; k < terms.size(); k++) {
            if (!(terms.get(k).residual() instanceof StandardResidual residual)) {
                throw new OpenClUnavailableException(OpenClBackend.notStandard(problem, terms.get(k)));
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

    /** The kernel's network layout array (see {@link HermiteTrainingKernel}'s class comment). */
    private static int[] networkLayout(NeuralField field) {
        SirenNetwork network = field.network();
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
        net[3 + 5 * layers] = network.parameterCount();
        return net;
    }

    private static double[] omegas(SirenNetwork network) {
        double[] omegas = new double[network.layers()];
        for (int k = 0; k < omegas.length; k++) {
            omegas[k] = network.omega(k);
        }
        return omegas;
    }

    /**
     * A kernel with every buffer allocated for the fields, their problems and a capacity in points
     * per field, on no device yet: enough to translate it to OpenCL.
     *
     * @throws IllegalArgumentException   when the fields cannot share a batch ({@link #incompatible})
     * @throws OpenClUnavailableException when a field's encoding or a term's residual is not one the kernel runs
     */
    public static HermiteTrainingKernel createKernel(List<NeuralField> fields, List<Problem> problems, int capacity,
                                                     Precision precision) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the point capacity must be positive, got " + capacity);
        }
        for (int f = 0; f < Math.min(fields.size(), problems.size()); f++) {
            if (!(fields.get(f).encoding() instanceof HermiteHashEncoding)) {
                throw new OpenClUnavailableException("the OpenCL backend runs Hermite encodings only; field " + f
                        + " uses " + fields.get(f).encoding().getClass().getSimpleName());
            }
            standardResiduals(problems.get(f));
        }
        Optional<String> incompatible = incompatible(fields, problems);
        if (incompatible.isPresent()) {
            throw new IllegalArgumentException(incompatible.get());
        }
        int batch = fields.size();
        NeuralField field = fields.get(0);
        Problem problem = problems.get(0);
        StandardResidual[] residuals = standardResiduals(problem);
        Channels channels = problem.channels();
        int dims = field.dims();
        int networkCount = field.network().parameterCount();
        HermiteHashEncoding encoding = (HermiteHashEncoding) field.encoding();
        encoding.requireChannels(channels);
        HermiteGridLayout layout = encoding.layout();
        SirenNetwork network = field.network();
        int maxChannels = channelCapacity(problem, dims);
        int[] net = networkLayout(field);
        int layers = network.layers();
        int cumIn = net[2 + 3 * layers + layers - 1] + network.inputWidth(layers - 1);
        int cumOut = net[2 + 4 * layers + layers - 1] + network.width(layers - 1);
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
        int constantStride = Math.max(1, constantCount);   // a device buffer is never empty
        double[] termConstants = new double[batch * constantStride];
        for (int f = 0; f < batch; f++) {
            StandardResidual[] own = standardResiduals(problems.get(f));
            for (int k = 0; k < terms; k++) {
                double[] constants = own[k].constants();
                System.arraycopy(constants, 0, termConstants, f * constantStride + termConstantStart[k],
                        constants.length);
            }
        }
        int parameters = field.parameterCount();
        long rows = (long) batch * capacity;
        int segments = layout.levels() + 1;   // one per level and one for the network
        int entries = tableEntryStart[tables];
        int contributionStride = length((long) capacity * tables * (1 << dims), "contributions per field");
        HermiteTrainingKernel kr = new HermiteTrainingKernel();
        kr.capacity = capacity;
        kr.rows = length(rows, "points of the batch");
        kr.terms = terms;
        kr.dataStride = dataStride;
        kr.maxComponents = maxComponents;
        kr.parameterCount = parameters;
        kr.constantStride = constantStride;
        kr.entryCount = entries;
        kr.contributionStride = contributionStride;
        kr.scanStride = blocks(entries, HermiteTrainingKernel.SCAN_BLOCK);
        kr.tileStride = blocks(capacity, HermiteTrainingKernel.GRADIENT_TILE);
        kr.normChunks = blocks(parameters, HermiteTrainingKernel.NORM_CHUNK);
        kr.segmentCapacity = segments;
        kr.encLayout = encoding.layoutArray();
        kr.encGeometry = encoding.geometryArray();
        kr.net = net;
        kr.omegas = omegas(network);
        kr.tableEntryStart = tableEntryStart;
        kr.termKind = termKind;
        kr.termComponents = termComponents;
        kr.termConstantStart = termConstantStart;
        kr.termConstants = termConstants;
        // Aparapi remakes a buffer from its array when the collector has moved the array, which is
        // harmless where the host's copy is the device's: the arrays only the host writes, and those
        // the host reads back right after the launch that writes them, before any other (staging,
        // termLoss, norm). Every other array the kernel writes is one the collector never moves.
        ImmovableArrays written = ImmovableArrays.forThisJvm();
        int state = length((long) batch * parameters, "parameters");
        kr.params = written.doubles(state);
        kr.gradient = written.doubles(state);
        kr.firstMoment = written.doubles(state);
        kr.secondMoment = written.doubles(state);
        kr.average = written.doubles(state);
        kr.averageDecay = new double[batch];
        int networkState = length((long) batch * networkCount, "transposed weights");
        kr.transposed = written.doubles(networkState);
        kr.staging = new double[parameters];
        kr.slotTable = new int[batch * HermiteTrainingKernel.SLOT_COLUMNS];
        kr.pointCoordinates = new double[length(rows * dims, "point coordinates")];
        kr.pointData = new double[length(rows * dataStride, "per-point data")];
        kr.pointTerm = new int[kr.rows];
        kr.termStart = new int[batch * (terms + 1)];
        kr.termSeedScale = new double[batch * terms];
        kr.segmentRange = new int[batch * 2 * segments];
        kr.adamFactors = new double[batch * (3 + 3 * segments)];
        // the weight gradient's last block of a row reads past the row (SirenMath.weightGradientBlock)
        int activations = length(rows * maxChannels * cumIn + SirenMath.GRADIENT_BLOCK - 1, "activations");
        int preActivations = length(rows * maxChannels * cumOut, "pre-activations");
        int cosines = length(rows * cumOut, "cosines");
        int activationAdjoints = length(rows * maxChannels * cumIn, "activation adjoints");
        kr.act = written.doubles(activations);
        kr.actBar = written.doubles(activationAdjoints);
        kr.z = written.doubles(preActivations);
        kr.zBar = written.doubles(preActivations);
        kr.cosines = written.doubles(cosines);
        kr.output = written.doubles(length(rows * maxChannels * field.outputs(), "outputs"));
        kr.pointLoss = written.doubles(kr.rows);
        kr.pointResidual = written.doubles(length(rows * maxComponents, "residuals"));
        kr.pointPartials = written.doubles(length(rows * maxComponents * jet, "residual partials"));
        kr.termLoss = new double[batch * terms];
        kr.weightGradientTiles = written.doubles(length((long) batch * kr.tileStride * networkCount,
                "weight gradient tiles"));
        kr.normPartials = written.doubles(batch * kr.normChunks);
        kr.norm = new double[batch];
        int counts = length((long) batch * entries, "contribution counts");
        kr.contributionCount = written.ints(counts);
        kr.contributionStart = written.ints(counts);
        kr.scanBlockOffset = written.ints(batch * kr.scanStride);
        int contributionSlots = length((long) batch * contributionStride, "contributions");
        kr.contributions = written.ints(contributionSlots);
        kr.contributionKey = written.ints(contributionSlots);
        kr.contributionRank = written.ints(contributionSlots);
        // float32 adds the SIREN's float copies; the double buffers stay, for evaluation
        boolean floats = precision == Precision.FLOAT32;
        kr.floatNetwork = floats ? 1 : 0;
        kr.networkFloat = floats ? written.floats(networkState) : new float[1];
        kr.transposedFloat = floats ? written.floats(networkState) : new float[1];
        kr.actFloat = floats ? written.floats(activations) : new float[1];
        kr.actBarFloat = floats ? written.floats(activationAdjoints) : new float[1];
        kr.zFloat = floats ? written.floats(preActivations) : new float[1];
        kr.zBarFloat = floats ? written.floats(preActivations) : new float[1];
        kr.cosinesFloat = floats ? written.floats(cosines) : new float[1];
        return kr;
    }

    /** {@code count} as an array length, or an error naming the buffer that would not fit in one. */
    private static int length(long count, String buffer) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the OpenCL buffer of " + buffer + " would need " + count
                    + " numbers, more than one array holds: train fewer fields per batch or fewer points per step");
        }
        return (int) count;
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
        return deviceDescription() + precisionSuffix() + ",fields=" + views.length;
    }

    /** {@code ,float32} when the fields train in float32, as the CPU backend names it; nothing in float64. */
    private String precisionSuffix() {
        return precision == Precision.FLOAT32 ? "," + precision.configName() : "";
    }

    /** The number format of the SIREN's part of a training step. */
    public Precision precision() {
        return precision;
    }

    private String deviceDescription() {
        return "opencl:" + OpenClDevices.name(launcher.device());
    }

    @Override
    public int size() {
        return views.length;
    }

    @Override
    public Field field(int index) {
        return views[index];
    }

    /** Bytes moved between host and device since this batch opened, for all its fields. */
    @Override
    public long bytesTransferred() {
        return bytesTransferred;
    }

    /** The most points one field's step holds. */
    public int capacity() {
        return kernel.capacity;
    }

    /** The most channels {@link Field#evaluate} can produce per point (see {@link #channelCapacity(Problem, int)}). */
    public int channelCapacity() {
        return channelCapacity;
    }

    /** Wall time spent in each pass so far (launches are synchronous), in nanoseconds, by {@link #PASS_NAMES}. */
    public long[] passNanos() {
        return passNanos.clone();
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
                .put(k.averageDecay).put(k.transposed).put(k.staging).put(k.slotTable)
                .put(k.pointCoordinates).put(k.pointData).put(k.pointTerm).put(k.termStart).put(k.termSeedScale)
                .put(k.segmentRange).put(k.adamFactors).put(k.act).put(k.actBar).put(k.z).put(k.zBar)
                .put(k.cosines).put(k.output).put(k.pointLoss).put(k.pointResidual).put(k.pointPartials)
                .put(k.termLoss).put(k.weightGradientTiles).put(k.normPartials).put(k.norm)
                .put(k.contributionCount).put(k.contributionStart).put(k.scanBlockOffset).put(k.contributions)
                .put(k.contributionKey).put(k.contributionRank).put(k.networkFloat).put(k.transposedFloat)
                .put(k.actFloat).put(k.actBarFloat).put(k.zFloat).put(k.zBarFloat).put(k.cosinesFloat);
        buffersOnDevice = true;
    }

    /**
     * A launch of {@code slots x itemsPerSlot} work items ({@link HermiteTrainingKernel}'s slot
     * numbering); passes without slots take one slot of all their items.
     */
    private void launch(int pass, int slots, int itemsPerSlot) {
        kernel.pass = pass;
        kernel.itemsPerSlot = Math.max(1, itemsPerSlot);
        kernel.items = slots * itemsPerSlot;
        long started = System.nanoTime();
        launcher.launch(kernel.items);
        passNanos[pass] += System.nanoTime() - started;
        launched |= kernel.items > 0;
    }

    /**
     * Sets a column of slot {@code s}'s row of the slot table on the host ({@link #putSlots} sends
     * it). Each call sets the columns its passes read and leaves the others, so that a step that
     * repeats the last one's table (a field training alone) moves no table at all.
     */
    private void slot(int s, int column, int value) {
        kernel.slotTable[s * HermiteTrainingKernel.SLOT_COLUMNS + column] = value;
    }

    /** Sends the slot table, unless the device already holds the same. */
    private void putSlots() {
        if (Arrays.equals(kernel.slotTable, slotsOnDevice)) {
            return;
        }
        kernel.put(kernel.slotTable);
        System.arraycopy(kernel.slotTable, 0, slotsOnDevice, 0, slotsOnDevice.length);
        bytesTransferred += (long) kernel.slotTable.length * Integer.BYTES;
    }

    /** Transposes the network weights of those of the fields whose host-written parameters are not transposed yet. */
    private void transposeStale(int[] fieldsToTrain) {
        int stale = 0;
        for (int f : fieldsToTrain) {
            if (!transposedCurrent[f]) {
                slot(stale++, HermiteTrainingKernel.SLOT_FIELD, f);
            }
        }
        if (stale == 0) {
            return;
        }
        putSlots();
        launch(HermiteTrainingKernel.TRANSPOSE, stale, networkCount);
        for (int f : fieldsToTrain) {
            transposedCurrent[f] = true;
        }
    }

    /** The distinct field indices of a call, in its order; an error for one out of range or named twice. */
    private int[] requestedFields(int[] indices) {
        if (indices.length > views.length) {
            throw new IllegalArgumentException(indices.length + " requests for a batch of " + views.length + " fields");
        }
        boolean[] seen = new boolean[views.length];
        for (int f : indices) {
            if (f < 0 || f >= views.length) {
                throw new IndexOutOfBoundsException("a batch of " + views.length + " fields has no field " + f);
            }
            if (seen[f]) {
                throw new IllegalArgumentException("field " + f + " is named twice in one step");
            }
            seen[f] = true;
        }
        return indices;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One launch per pass for all the requests: request {@code s} trains in slot {@code s}.
     * Each request's batch must hold at most {@link #capacity()} points and one point set per
     * term of its problem; the batches' sizes and the active levels may differ.
     */
    @Override
    public void computeGradients(List<GradientRequest> requests) {
        int[] requested = requestedFields(requests.stream().mapToInt(GradientRequest::field).toArray());
        if (requested.length == 0) {
            return;
        }
        HermiteTrainingKernel k = kernel;
        int levels = architecture.encoding().layout().levels();
        for (GradientRequest r : requests) {
            CollocationBatch batch = r.batch();
            if (batch.size() > k.capacity) {
                throw new IllegalArgumentException("batch of " + batch.size() + " points for field " + r.field()
                        + " exceeds the OpenCL backend's capacity " + k.capacity);
            }
            if (batch.terms() != k.terms || r.termWeights().length < k.terms || r.termLosses().length < k.terms) {
                throw new IllegalArgumentException("field " + r.field() + "'s problem has " + k.terms + " terms; its batch has "
                        + batch.terms() + ", its weights " + r.termWeights().length + ", its losses "
                        + r.termLosses().length);
            }
            if (r.activeLevels() < 0 || r.activeLevels() > levels) {
                throw new IllegalArgumentException("field " + r.field() + " asks for " + r.activeLevels()
                        + " active levels, the encoding has " + levels);
            }
        }
        ensureBuffersOnDevice();
        transposeStale(requested);
        int maxPoints = 0;
        int maxLevels = 0;
        for (int s = 0; s < requests.size(); s++) {
            GradientRequest r = requests.get(s);
            CollocationBatch batch = r.batch();
            StandardResidual[] own = residuals[r.field()];
            int n = batch.size();
            int first = s * k.capacity;
            double[] x = batch.points();
            System.arraycopy(x, 0, k.pointCoordinates, first * dims, n * dims);
            int starts = s * (k.terms + 1);
            for (int t = 0; t < k.terms; t++) {
                k.termStart[starts + t] = batch.termStart()[t];
                k.termSeedScale[s * k.terms + t] = TermLossMath.seedScale(r.termWeights()[t], batch.termSize(t));
                for (int p = batch.termStart()[t]; p < batch.termStart()[t + 1]; p++) {
                    k.pointTerm[first + p] = t;
                    own[t].data(x, p * dims, batch.attributes(), batch.attributeOffset(t, p), k.pointData,
                            (first + p) * k.dataStride);
                }
            }
            k.termStart[starts + k.terms] = n;
            slot(s, HermiteTrainingKernel.SLOT_FIELD, r.field());
            slot(s, HermiteTrainingKernel.SLOT_POINTS, n);
            slot(s, HermiteTrainingKernel.SLOT_LEVELS, r.activeLevels());
            maxPoints = Math.max(maxPoints, n);
            maxLevels = Math.max(maxLevels, r.activeLevels());
        }
        putSlots();
        k.put(k.pointCoordinates).put(k.pointData).put(k.pointTerm).put(k.termStart).put(k.termSeedScale);
        bytesTransferred += (long) k.rows * ((dims + k.dataStride) * Double.BYTES + Integer.BYTES)
                + (long) k.termStart.length * Integer.BYTES + (long) k.termSeedScale.length * Double.BYTES;

        int slots = requests.size();
        k.laplacianAxes = channels.laplacianAxes();
        k.channelCount = channels.count();
        k.training = 1;
        if (layerPasses) {
            forwardLayers(slots, maxPoints);
            launch(HermiteTrainingKernel.SEED, slots, maxPoints);
            SirenNetwork network = architecture.network();
            k.layerPoints = maxPoints;
            for (int layer = network.layers() - 1; layer >= 0; layer--) {
                k.layer = layer;
                launch(HermiteTrainingKernel.BACKWARD, slots, maxPoints * blocks(network.inputWidth(layer),
                        SirenMath.UNIT_BLOCK));
            }
        } else {
            launch(HermiteTrainingKernel.POINT, slots, maxPoints);
        }
        launch(HermiteTrainingKernel.TERM_LOSS, slots, k.terms);
        // read before the next launch, so that the host's copy is the device's whenever Aparapi may remake the buffer
        k.get(k.termLoss);
        bytesTransferred += (long) k.termLoss.length * Double.BYTES;
        for (int s = 0; s < slots; s++) {
            System.arraycopy(k.termLoss, s * k.terms, requests.get(s).termLosses(), 0, k.terms);
        }
        launch(HermiteTrainingKernel.WEIGHT_GRADIENT_TILES, slots, blocks(maxPoints, HermiteTrainingKernel.GRADIENT_TILE)
                * gradientItemsPerTile(architecture.network()));
        launch(HermiteTrainingKernel.WEIGHT_GRADIENT_SUM, slots, networkCount);

        int activeTables = maxLevels * (dims + 1);
        int activeEntries = k.tableEntryStart[activeTables];
        int contributions = maxPoints * activeTables * (1 << dims);
        int scanBlocks = blocks(activeEntries, HermiteTrainingKernel.SCAN_BLOCK);
        if (!countsZero) {
            // a step that stopped between COUNT and GATHER left counts behind, in any slot and table
            launch(HermiteTrainingKernel.CLEAR_COUNTS, 1, views.length * k.entryCount);
        }
        countsZero = false;
        launch(HermiteTrainingKernel.COUNT, slots, contributions);
        launch(HermiteTrainingKernel.SCAN_BLOCKS, slots, scanBlocks);
        launch(HermiteTrainingKernel.SCAN_BLOCK_OFFSETS, slots, 1);
        launch(HermiteTrainingKernel.SCAN_ENTRIES, slots, scanBlocks);
        launch(HermiteTrainingKernel.FILL, slots, contributions);
        launch(HermiteTrainingKernel.GATHER, slots, activeEntries);
        countsZero = true;
    }

    /** ENCODE, then FORWARD layer by layer, over {@code slots} slots of up to {@code points} points. */
    private void forwardLayers(int slots, int points) {
        launch(HermiteTrainingKernel.ENCODE, slots, points);
        SirenNetwork network = architecture.network();
        kernel.layerPoints = points;
        for (int layer = 0; layer < network.layers(); layer++) {
            kernel.layer = layer;
            launch(HermiteTrainingKernel.FORWARD, slots, points * blocks(network.width(layer), SirenMath.UNIT_BLOCK));
        }
    }

    /** {@inheritDoc} One launch for all the requests, request {@code s}'s segments in slot {@code s}'s table. */
    @Override
    public void adamUpdates(List<AdamRequest> requests) {
        int[] requested = requestedFields(requests.stream().mapToInt(AdamRequest::field).toArray());
        if (requested.length == 0) {
            return;
        }
        HermiteTrainingKernel k = kernel;
        int capacity = k.segmentCapacity;
        for (AdamRequest r : requests) {
            if (r.segments().size() > capacity) {
                throw new IllegalArgumentException("at most " + capacity + " Adam segments, got " + r.segments().size()
                        + " for field " + r.field());
            }
        }
        ensureBuffersOnDevice();
        for (int s = 0; s < requests.size(); s++) {
            AdamRequest r = requests.get(s);
            Adam adam = r.adam();
            List<AdamSegment> segments = r.segments();
            int ranges = s * 2 * capacity;
            int factors = s * (3 + 3 * capacity);
            k.adamFactors[factors] = adam.beta1();
            k.adamFactors[factors + 1] = adam.beta2();
            k.adamFactors[factors + 2] = adam.epsilon();
            for (int g = 0; g < segments.size(); g++) {
                AdamSegment seg = segments.get(g);
                k.segmentRange[ranges + 2 * g] = seg.from();
                k.segmentRange[ranges + 2 * g + 1] = seg.to();
                k.adamFactors[factors + 3 + 3 * g] = seg.learningRate();
                k.adamFactors[factors + 4 + 3 * g] = AdamMath.biasCorrection(adam.beta1(), seg.step());
                k.adamFactors[factors + 5 + 3 * g] = AdamMath.biasCorrection(adam.beta2(), seg.step());
            }
            slot(s, HermiteTrainingKernel.SLOT_FIELD, r.field());
            slot(s, HermiteTrainingKernel.SLOT_SEGMENTS, segments.size());
        }
        putSlots();
        k.put(k.segmentRange).put(k.adamFactors);
        bytesTransferred += (long) k.segmentRange.length * Integer.BYTES + (long) k.adamFactors.length * Double.BYTES;
        launch(HermiteTrainingKernel.ADAM, requests.size(), parameterCount);
        for (int f : requested) {
            transposedCurrent[f] = true;
        }
    }

    /** {@inheritDoc} One launch for the listed fields that hold an average; nothing crosses to the host but the slot table. */
    @Override
    public void updateAverages(int[] indices) {
        requestedFields(indices);
        int slots = 0;
        for (int f : indices) {
            if (averaging[f]) {
                slot(slots++, HermiteTrainingKernel.SLOT_FIELD, f);
            }
        }
        if (slots == 0) {
            return;
        }
        ensureBuffersOnDevice();
        putSlots();
        launch(HermiteTrainingKernel.AVERAGE, slots, parameterCount);
    }

    /** Field {@code f}'s block of a state buffer ({@code HermiteTrainingKernel.STAGE_*}) from {@code values}. */
    private void stageIn(int buffer, int f, double[] values) {
        ensureBuffersOnDevice();
        System.arraycopy(values, 0, kernel.staging, 0, parameterCount);
        kernel.put(kernel.staging);
        bytesTransferred += (long) parameterCount * Double.BYTES;
        stage(HermiteTrainingKernel.STAGE_IN, buffer, f, 0);
    }

    /** Zeroes field {@code f}'s block of a state buffer, on the device. */
    private void stageZero(int buffer, int f) {
        ensureBuffersOnDevice();
        stage(HermiteTrainingKernel.STAGE_IN, buffer, f, 1);
    }

    /** A copy of field {@code f}'s block of a state buffer. */
    private double[] stageOut(int buffer, int f) {
        ensureBuffersOnDevice();
        stage(HermiteTrainingKernel.STAGE_OUT, buffer, f, 0);
        kernel.get(kernel.staging);
        bytesTransferred += (long) parameterCount * Double.BYTES;
        return Arrays.copyOf(kernel.staging, parameterCount);
    }

    private void stage(int pass, int buffer, int f, int zero) {
        kernel.stageBuffer = buffer;
        kernel.stageField = f;
        kernel.stageZero = zero;
        launch(pass, 1, parameterCount);
    }

    @Override
    public void close() {
        try {
            if (!launched) {
                // Aparapi's dispose of a kernel that was compiled but never run crashes the JVM (in
                // JNI DeleteWeakGlobalRef); a batch closed before any launch (a refused request, a
                // failed setup) runs one empty launch first.
                ensureBuffersOnDevice();
                kernel.pass = HermiteTrainingKernel.NORM_SUM;
                kernel.items = 0;   // every work item returns at once
                kernel.itemsPerSlot = 1;
                launcher.launch(1);
            }
        } finally {
            synchronized (OpenClDevices.RUNTIME_LOCK) {
                kernel.dispose();
            }
        }
    }

    /**
     * One field of the batch as a {@link TrainingBackend}: its own parameters, moments and average,
     * its steps launched with its slot alone (so the other fields are untouched). Closing a view
     * closes nothing; the batch owns the device.
     */
    public final class Field implements TrainingBackend {
        private final int index;

        private Field(int index) {
            this.index = index;
        }

        @Override
        public String description() {
            return deviceDescription() + precisionSuffix();
        }

        /** Bytes moved between host and device so far for the whole batch (its fields share the transfers). */
        @Override
        public long bytesTransferred() {
            return bytesTransferred;
        }

        @Override
        public void setParameters(double[] params) {
            requireLength(params);
            transposedCurrent[index] = false;
            stageIn(HermiteTrainingKernel.STAGE_PARAMS, index, params);
            stageZero(HermiteTrainingKernel.STAGE_GRADIENT, index);
            stageZero(HermiteTrainingKernel.STAGE_FIRST_MOMENT, index);
            stageZero(HermiteTrainingKernel.STAGE_SECOND_MOMENT, index);
        }

        @Override
        public void loadParameters(double[] params) {
            requireLength(params);
            transposedCurrent[index] = false;
            stageIn(HermiteTrainingKernel.STAGE_PARAMS, index, params);
        }

        @Override
        public double[] parameters() {
            return stageOut(HermiteTrainingKernel.STAGE_PARAMS, index);
        }

        /** A copy of the last computed gradient (downloaded; for verification against the Java backend). */
        public double[] gradient() {
            return stageOut(HermiteTrainingKernel.STAGE_GRADIENT, index);
        }

        @Override
        public double[][] optimizerMoments() {
            return new double[][]{stageOut(HermiteTrainingKernel.STAGE_FIRST_MOMENT, index),
                stageOut(HermiteTrainingKernel.STAGE_SECOND_MOMENT, index)};
        }

        @Override
        public void restore(double[] params, double[] firstMoment, double[] secondMoment) {
            requireLength(params);
            requireLength(firstMoment);
            requireLength(secondMoment);
            transposedCurrent[index] = false;
            stageIn(HermiteTrainingKernel.STAGE_PARAMS, index, params);
            stageIn(HermiteTrainingKernel.STAGE_FIRST_MOMENT, index, firstMoment);
            stageIn(HermiteTrainingKernel.STAGE_SECOND_MOMENT, index, secondMoment);
            stageZero(HermiteTrainingKernel.STAGE_GRADIENT, index);
        }

        @Override
        public void startAverage(double decay, double[] initial) {
            requireLength(initial);
            kernel.averageDecay[index] = ParameterAverage.requireDecay(decay);
            ensureBuffersOnDevice();
            kernel.put(kernel.averageDecay);
            bytesTransferred += (long) kernel.averageDecay.length * Double.BYTES;
            stageIn(HermiteTrainingKernel.STAGE_AVERAGE, index, initial);
            averaging[index] = true;
        }

        /** One {@link HermiteTrainingKernel#AVERAGE} pass over this field: no parameters cross to the host. */
        @Override
        public void updateAverage() {
            updateAverages(new int[]{index});
        }

        @Override
        public double[] average() {
            return averaging[index] ? stageOut(HermiteTrainingKernel.STAGE_AVERAGE, index) : null;
        }

        @Override
        public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels,
                                    double[] termLosses) {
            computeGradients(List.of(new GradientRequest(index, batch, termWeights, activeLevels, termLosses)));
        }

        @Override
        public double gradientNorm() {
            ensureBuffersOnDevice();
            slot(0, HermiteTrainingKernel.SLOT_FIELD, index);
            putSlots();
            launch(HermiteTrainingKernel.NORM_CHUNKS, 1, kernel.normChunks);
            launch(HermiteTrainingKernel.NORM_SUM, 1, 1);
            kernel.get(kernel.norm);
            bytesTransferred += (long) kernel.norm.length * Double.BYTES;
            return kernel.norm[0];
        }

        @Override
        public void adamUpdate(Adam adam, List<AdamSegment> segments) {
            adamUpdates(List.of(new AdamRequest(index, adam, segments)));
        }

        /**
         * {@inheritDoc}
         *
         * <p>Runs in chunks of the batch's B x {@link #capacity()} points, every slot evaluating this
         * field (named by the launch, not by the slot table, which stays as the steps left it), so
         * any n fits; the channels must be over the field's d axes (the kernel writes the
         * value and every gradient per point) and at most {@link #channelCapacity()} of them, as the
         * device buffers were sized for that many.
         *
         * @throws IllegalArgumentException when the request does not fit, before anything is written
         */
        @Override
        public void evaluate(double[] points, int n, Channels evalChannels, int activeLevels, double[] out) {
            // checked here, not by the kernel: a device overruns its buffers without a word
            architecture.encoding().requireChannels(evalChannels);
            requireEvaluationFits(points, n, evalChannels, activeLevels, out);
            ensureBuffersOnDevice();
            transposeStale(new int[]{index});
            HermiteTrainingKernel k = kernel;
            int jet = evalChannels.count() * architecture.outputs();
            k.laplacianAxes = evalChannels.laplacianAxes();
            k.channelCount = evalChannels.count();
            k.training = 0;
            k.evaluationField = index;
            k.evaluationLevels = activeLevels;
            for (int from = 0; from < n; from += k.rows) {
                int count = Math.min(k.rows, n - from);
                // every slot but the last is full, so the chunk's points and outputs are contiguous rows
                System.arraycopy(points, from * dims, k.pointCoordinates, 0, count * dims);
                k.put(k.pointCoordinates);
                k.evaluationPoints = count;
                if (layerPasses) {
                    forwardLayers(blocks(count, k.capacity), Math.min(k.capacity, count));
                } else {
                    launch(HermiteTrainingKernel.POINT, blocks(count, k.capacity), Math.min(k.capacity, count));
                }
                k.get(k.output);
                bytesTransferred += (long) k.pointCoordinates.length * Double.BYTES
                        + (long) k.output.length * Double.BYTES;
                System.arraycopy(k.output, 0, out, from * jet, count * jet);
            }
        }

        /** Fails, naming what was asked and what fits, where {@link #evaluate} would write out of bounds. */
        private void requireEvaluationFits(double[] points, int n, Channels evalChannels, int activeLevels,
                                           double[] out) {
            if (evalChannels.count() > channelCapacity) {
                Problem problem = problems.get(index);
                throw new IllegalArgumentException("asked for " + evalChannels.count() + " channels per point (value, "
                        + dims + " gradients and a Laplacian), but the OpenCL backend's buffers hold " + channelCapacity
                        + " (built for " + problem.type() + ", whose terms use " + channels.count() + ")");
            }
            int levels = architecture.encoding().layout().levels();
            if (activeLevels < 0 || activeLevels > levels) {
                throw new IllegalArgumentException("asked for " + activeLevels + " active levels, the encoding has "
                        + levels);
            }
            if (n < 0 || points.length < (long) n * dims) {
                throw new IllegalArgumentException("asked to evaluate " + n + " points, but the points array holds "
                        + points.length / dims + " of " + dims + " coordinates");
            }
            long needed = (long) n * evalChannels.count() * architecture.outputs();
            if (out.length < needed) {
                throw new IllegalArgumentException("evaluating " + n + " points x " + evalChannels.count()
                        + " channels x " + architecture.outputs() + " outputs needs " + needed
                        + " numbers, the output array holds " + out.length);
            }
        }

        private void requireLength(double[] buffer) {
            if (buffer.length != parameterCount) {
                throw new IllegalArgumentException("expected " + parameterCount + " parameters, got " + buffer.length);
            }
        }

        /** Nothing: the batch owns the device and closes it. */
        @Override
        public void close() {
        }
    }
}
