package io.hermitengp.backend;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.backend.cpu.TiledStep;
import io.hermitengp.encoding.Encoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.FiniteDifferenceStencil;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.LossSeeds;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenActivations;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.ParameterAverage;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The CPU backend: Java on a {@link WorkerPool}, on one of the {@link CpuPath}s. A field trains on
 * the tiled path ({@link TiledStep}), a Hermite field and an INGP-FD one (derivatives by finite
 * differences) alike, with the vector kernels when the JVM has
 * {@code --add-modules jdk.incubator.vector} and the scalar ones (the same bits) otherwise; a
 * caller that asks for it trains on the reference path described below.
 * Everything is double unless {@link Precision#FLOAT32} is asked for, which the tiled paths give to
 * the network's tile arithmetic and the reference path refuses. {@link #description()} names the
 * path that runs, and float32 when it does: {@code java:threads=2,vector},
 * {@code java:threads=2,vector,float32}.
 *
 * <p>Reference path. The field is evaluated at "evaluation points": the collocation points themselves when the
 * encoding yields derivative channels analytically, or each point's {@code 2d+1}
 * {@link FiniteDifferenceStencil} points (value channel only) when it does not.
 *
 * <p>A training step runs in two parallel phases. Phase 1 goes over chunks of collocation points:
 * encode and run the network forward at the point's evaluation points, assemble its jet, evaluate
 * the residual and its seeds, carry the seeds back to the evaluation points, and run the network
 * backward down to the encoding's adjoint; every point writes only its own rows. Phase 2 reduces
 * over evaluation points: one task per active level scatters that level's table gradients (points
 * in order), and one task per block of output rows of each layer sums that block's weight
 * gradients (points in order). No float is ever added from two threads, so the result is
 * bit-identical for any number of threads.
 */
public final class JavaBackend implements TrainingBackend {
    private static final int POINT_GRAIN = 64;
    private static final int ROW_GRAIN = 16;
    /** The phases of a reference step whose thread time {@link #phaseNanos} reports. */
    private static final List<String> REFERENCE_PHASES = List.of("point_pass", "encoding_backward",
            "weight_gradient_products");

    private final NeuralField field;
    private final Problem problem;
    private final Channels channels;      // the problem's jet channels
    private final Channels evalChannels;  // channels evaluated per evaluation point
    private final FiniteDifferenceStencil stencil;   // null for analytic derivatives
    private final int stencilSize;
    private final WorkerPool pool;
    private final boolean ownsPool;      // false in a batch, whose fields share the batch's threads
    private final int jetSize;
    private final int maxComponents;
    private final CpuPath path;
    private final Precision precision;
    private final TiledStep tiled;                   // null on the reference path
    private final AtomicLongArray referenceNanos = new AtomicLongArray(REFERENCE_PHASES.size());

    private double[] params = new double[0];
    private double[] gradient = new double[0];
    private double[] firstMoment = new double[0];
    private double[] secondMoment = new double[0];
    /** The running average of the parameters, or null without one. */
    private ParameterAverage average;

    // Batch-wide work buffers over evaluation points, grown on demand.
    private int capacity;
    private double[] evalPoints;    // (m, d), m = n * stencilSize
    private double[] encoded;       // (m, Ce, L*F)
    private double[] dLdEncoded;    // (m, Ce, L*F)
    private double[] dLdOutput;     // (m, Ce, outputs)
    private double[] pointLoss;     // (n): sum_c r_c^2
    private SirenActivations acts;

    /** The fastest path for the field: tiled where {@link TiledStep#supports} it, the reference path otherwise. */
    public JavaBackend(NeuralField field, Problem problem, int threads) {
        this(field, problem, threads, Precision.FLOAT64);
    }

    /**
     * The fastest path for the field in the given precision.
     *
     * @throws IllegalArgumentException for float32 and a field only the reference path trains
     */
    public JavaBackend(NeuralField field, Problem problem, int threads, Precision precision) {
        this(field, problem, threads, TiledStep.supports(field) ? CpuPath.fastestTiled() : CpuPath.REFERENCE,
                precision);
    }

    /**
     * The given path.
     *
     * @throws IllegalArgumentException for a tiled path and a field it cannot train
     * @throws IllegalStateException    for the vector path in a JVM without its module
     */
    public JavaBackend(NeuralField field, Problem problem, int threads, CpuPath path) {
        this(field, problem, threads, path, Precision.FLOAT64);
    }

    /**
     * The given path and precision.
     *
     * @throws IllegalArgumentException for float32 on the reference path, or a tiled path and a
     *                                  field it cannot train
     * @throws IllegalStateException    for the vector path in a JVM without its module
     */
    public JavaBackend(NeuralField field, Problem problem, int threads, CpuPath path, Precision precision) {
        this(field, problem, poolFor(path, precision, threads), true, path, precision, null);
    }

    /**
     * A field of a batch on the batch's threads ({@link JavaFieldBatch}), which stay open when
     * this backend closes, and on the batch's tile buffers (null on the reference path).
     */
    JavaBackend(NeuralField field, Problem problem, WorkerPool sharedPool, CpuPath path, Precision precision,
                TiledStep.Workspaces sharedWorkspaces) {
        this(field, problem, sharedPool, false, path, precision, sharedWorkspaces);
    }

    /** The threads of a backend of this path and precision, refused before any starts when the two cannot run. */
    private static WorkerPool poolFor(CpuPath path, Precision precision, int threads) {
        if (precision == Precision.FLOAT32 && path == CpuPath.REFERENCE) {
            throw new IllegalArgumentException("training.precision float32 runs on the tiled CPU path only; the "
                    + "reference path computes in double");
        }
        return new WorkerPool(threads);
    }

    private JavaBackend(NeuralField field, Problem problem, WorkerPool pool, boolean ownsPool, CpuPath path,
                        Precision precision, TiledStep.Workspaces workspaces) {
        this.field = field;
        this.problem = problem;
        this.channels = problem.channels();
        this.stencil = field.stencil();
        this.stencilSize = stencil == null ? 1 : stencil.size();
        this.evalChannels = stencil == null ? channels : Channels.valueOnly();
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.jetSize = channels.count() * field.outputs();
        this.maxComponents = problem.terms().stream().mapToInt(t -> t.residual().components()).max().orElse(1);
        this.path = path;
        this.precision = precision;
        this.tiled = path == CpuPath.REFERENCE ? null : new TiledStep(field, problem, path.kernels(),
                precision == Precision.FLOAT32 ? path.floatKernels() : null, pool, workspaces);
    }

    @Override
    public String description() {
        return "java:threads=" + pool.threads() + "," + path.label()
                + (precision == Precision.FLOAT32 ? "," + precision.configName() : "");
    }

    /** The format of the network's tile arithmetic. */
    public Precision precision() {
        return precision;
    }

    /** The path this backend runs. */
    public CpuPath path() {
        return path;
    }

    /** The phases {@link #phaseNanos} reports, in step order. */
    public List<String> phases() {
        return tiled != null ? TiledStep.PHASES : REFERENCE_PHASES;
    }

    /** Thread nanoseconds spent in each of {@link #phases} so far, summed over threads. */
    public long[] phaseNanos() {
        if (tiled != null) {
            return tiled.phaseNanos();
        }
        long[] nanos = new long[REFERENCE_PHASES.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = referenceNanos.get(i);
        }
        return nanos;
    }

    /**
     * Floating-point operations of the network's three products (forward, backward to the
     * previous layer, weight gradient) so far, on the tiled path; 0 on the reference path, which
     * does not separate them.
     */
    public long productFlops() {
        return tiled != null ? tiled.productFlops() : 0;
    }

    public int threads() {
        return pool.threads();
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        int m = n * stencilSize;
        int c = evalChannels.count();
        evalPoints = new double[m * field.dims()];
        encoded = new double[m * c * field.encoding().outputWidth()];
        dLdEncoded = new double[m * c * field.encoding().outputWidth()];
        dLdOutput = new double[m * c * field.outputs()];
        pointLoss = new double[n];
        acts = new SirenActivations(field.network(), m, c);
        capacity = n;
    }

    @Override
    public void setParameters(double[] newParams) {
        requireLength(newParams);
        params = newParams.clone();
        gradient = new double[params.length];
        firstMoment = new double[params.length];
        secondMoment = new double[params.length];
    }

    @Override
    public double[] parameters() {
        return params.clone();
    }

    @Override
    public void loadParameters(double[] newParams) {
        requireLength(newParams);
        System.arraycopy(newParams, 0, params, 0, params.length);
    }

    @Override
    public double[][] optimizerMoments() {
        return new double[][]{firstMoment.clone(), secondMoment.clone()};
    }

    @Override
    public void restore(double[] newParams, double[] newFirstMoment, double[] newSecondMoment) {
        setParameters(newParams);
        requireLength(newFirstMoment);
        requireLength(newSecondMoment);
        System.arraycopy(newFirstMoment, 0, firstMoment, 0, firstMoment.length);
        System.arraycopy(newSecondMoment, 0, secondMoment, 0, secondMoment.length);
    }

    @Override
    public void startAverage(double decay, double[] initial) {
        requireLength(initial);
        average = new ParameterAverage(decay, initial);
    }

    @Override
    public void updateAverage() {
        if (average != null) {
            average.update(params);
        }
    }

    @Override
    public double[] average() {
        return average == null ? null : average.values().clone();
    }

    private void requireLength(double[] buffer) {
        if (buffer.length != field.parameterCount()) {
            throw new IllegalArgumentException("expected " + field.parameterCount() + " parameters, got " + buffer.length);
        }
    }

    @Override
    public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses) {
        lossAndGradient(params, batch, termWeights, activeLevels, termLosses, gradient);
    }

    /**
     * {@link #computeGradient}'s work as two rounds of tasks on the tiled path, for a batch that
     * runs the rounds of all its fields together; null on the reference path, whose step runs
     * through {@link #computeGradient} alone.
     */
    TiledStep.Work gradientWork(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses) {
        return tiled == null ? null : tiled.work(params, batch, termWeights, activeLevels, termLosses, gradient);
    }

    @Override
    public double gradientNorm() {
        double sum = 0;
        for (double g : gradient) {
            sum += g * g;
        }
        return Math.sqrt(sum);
    }

    @Override
    public void adamUpdate(Adam adam, List<AdamSegment> segments) {
        for (AdamSegment s : segments) {
            adam.update(params, gradient, firstMoment, secondMoment, s.from(), s.to(), s.learningRate(), s.step());
        }
    }

    /** Writes the evaluation points of collocation point p (itself, or its stencil). */
    private void evaluationPoints(double[] x, int p, int activeLevels) {
        int d = field.dims();
        if (stencil == null) {
            System.arraycopy(x, p * d, evalPoints, p * d, d);
        } else {
            stencil.points(x, p * d, activeLevels, evalPoints, p * stencilSize * d);
        }
    }

    /**
     * The loss and gradient for explicit parameters, written into {@code gradient}: the
     * computation behind {@link #computeGradient}, open for gradient checks.
     */
    public void lossAndGradient(double[] params, CollocationBatch batch, double[] termWeights, int activeLevels,
                                double[] termLosses, double[] gradient) {
        if (tiled != null) {
            tiled.lossAndGradient(params, batch, termWeights, activeLevels, termLosses, gradient);
        } else {
            referenceLossAndGradient(params, batch, termWeights, activeLevels, termLosses, gradient);
        }
    }

    private void referenceLossAndGradient(double[] params, CollocationBatch batch, double[] termWeights,
                                          int activeLevels, double[] termLosses, double[] gradient) {
        int n = batch.size();
        ensureCapacity(n);
        List<LossTerm> terms = problem.terms();
        Encoding encoding = field.encoding();
        SirenNetwork network = field.network();
        int d = field.dims();
        int c = evalChannels.count();
        int outputs = field.outputs();
        int encodedSize = c * encoding.outputWidth();
        double[] x = batch.points();
        double[] transposed = network.transposedWeights(params, field.networkOffset());

        pool.forRange(n, POINT_GRAIN, (from, to) -> {
            long started = System.nanoTime();
            LossSeeds seeds = new LossSeeds(maxComponents, jetSize);
            double[] backwardScratch = new double[c * network.maxWidth()];
            double[] jet = new double[jetSize];
            double[] jetSeed = new double[jetSize];
            double[] stencilValues = new double[stencilSize * outputs];
            int term = batch.termOf(from);
            for (int p = from; p < to; p++) {
                while (p >= batch.termStart()[term + 1]) {
                    term++;
                }
                evaluationPoints(x, p, activeLevels);
                for (int s = 0; s < stencilSize; s++) {
                    int q = p * stencilSize + s;
                    encoding.forward(params, field.encodingOffset(), evalPoints, q * d, activeLevels, evalChannels,
                            encoded, q * encodedSize);
                    network.forward(params, field.networkOffset(), transposed, encoded, q, evalChannels, acts);
                }
                double seedScale = TermLossMath.seedScale(termWeights[term], batch.termSize(term));
                if (stencil == null) {
                    pointLoss[p] = seeds.evaluate(terms.get(term).residual(), x, p * d, batch.attributes(),
                            batch.attributeOffset(term, p), acts.output(), p * jetSize,
                            seedScale, dLdOutput, p * jetSize);
                } else {
                    int base = p * stencilSize * outputs;
                    System.arraycopy(acts.output(), base, stencilValues, 0, stencilSize * outputs);
                    stencil.jet(stencilValues, 0, outputs, channels, activeLevels, jet, 0);
                    pointLoss[p] = seeds.evaluate(terms.get(term).residual(), x, p * d, batch.attributes(),
                            batch.attributeOffset(term, p), jet, 0, seedScale, jetSeed, 0);
                    stencil.seeds(jetSeed, 0, outputs, channels, activeLevels, dLdOutput, base);
                }
                for (int s = 0; s < stencilSize; s++) {
                    network.backward(params, field.networkOffset(), p * stencilSize + s, evalChannels, acts, dLdOutput,
                            dLdEncoded, backwardScratch);
                }
            }
            referenceNanos.addAndGet(0, System.nanoTime() - started);
        });

        for (int k = 0; k < batch.terms(); k++) {
            termLosses[k] = TermLossMath.termLoss(pointLoss, batch.termStart()[k], batch.termStart()[k + 1]);
        }

        int m = n * stencilSize;
        Arrays.fill(gradient, 0.0);
        List<Runnable> reductions = new ArrayList<>();
        for (int level = 0; level < activeLevels; level++) {
            int l = level;
            reductions.add(() -> {
                long started = System.nanoTime();
                encoding.backwardLevel(l, evalPoints, m, evalChannels, dLdEncoded, gradient, field.encodingOffset());
                referenceNanos.addAndGet(1, System.nanoTime() - started);
            });
        }
        for (int k = 0; k < network.layers(); k++) {
            int layer = k;
            for (int row = 0; row < network.width(k); row += ROW_GRAIN) {
                int from = row;
                int to = Math.min(network.width(k), row + ROW_GRAIN);
                reductions.add(() -> {
                    long started = System.nanoTime();
                    network.accumulateWeightGradient(layer, from, to, m, evalChannels, acts, encoded, gradient,
                            field.networkOffset());
                    referenceNanos.addAndGet(2, System.nanoTime() - started);
                });
            }
        }
        pool.runAll(reductions);
    }

    @Override
    public void evaluate(double[] points, int n, Channels requested, int activeLevels, double[] out) {
        evaluate(params, points, n, requested, activeLevels, out);
    }

    /** On the tiled path: its encoder writes the value alone (a quarter of a 3D Hermite jet's rows). */
    @Override
    public boolean evaluatesValueOnly() {
        return tiled != null;
    }

    /** Evaluates the field for explicit parameters: {@code out (n, C, outputs)} for the requested channels. */
    public void evaluate(double[] params, double[] points, int n, Channels requested, int activeLevels, double[] out) {
        if (tiled == null) {
            referenceEvaluate(params, points, n, requested, activeLevels, out);
            return;
        }
        // the tiled encoder also writes the value alone; a stencil gives an INGP-FD field's derivatives
        if (!requested.equals(Channels.valueOnly()) && stencil == null) {
            field.encoding().requireChannels(requested);
        }
        double[] transposed = field.network().transposedWeights(params, field.networkOffset());
        pool.forRange(n, TiledStep.evaluationGrain(),
                (from, to) -> tiled.evaluate(params, transposed, points, from, to, requested, activeLevels, out));
    }

    private void referenceEvaluate(double[] params, double[] points, int n, Channels requested, int activeLevels,
                                   double[] out) {
        Encoding encoding = field.encoding();
        SirenNetwork network = field.network();
        int d = field.dims();
        int outputs = field.outputs();
        Channels perPoint = stencil == null ? requested : Channels.valueOnly();
        int c = perPoint.count();
        int jet = requested.count() * outputs;
        double[] transposed = network.transposedWeights(params, field.networkOffset());
        pool.forRange(n, 256, (from, to) -> {
            double[] enc = new double[c * encoding.outputWidth()];
            SirenActivations local = new SirenActivations(network, 1, c);
            double[] stencilPoints = new double[stencilSize * d];
            double[] stencilValues = new double[stencilSize * outputs];
            for (int p = from; p < to; p++) {
                if (stencil == null) {
                    encoding.forward(params, field.encodingOffset(), points, p * d, activeLevels, perPoint, enc, 0);
                    network.forward(params, field.networkOffset(), transposed, enc, 0, perPoint, local);
                    System.arraycopy(local.output(), 0, out, p * jet, jet);
                    continue;
                }
                stencil.points(points, p * d, activeLevels, stencilPoints, 0);
                for (int s = 0; s < stencilSize; s++) {
                    encoding.forward(params, field.encodingOffset(), stencilPoints, s * d, activeLevels, perPoint, enc, 0);
                    network.forward(params, field.networkOffset(), transposed, enc, 0, perPoint, local);
                    System.arraycopy(local.output(), 0, stencilValues, s * outputs, outputs);
                }
                stencil.jet(stencilValues, 0, outputs, requested, activeLevels, out, p * jet);
            }
        });
    }

    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
