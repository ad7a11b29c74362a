package io.hermitengp.backend.cpu;

import io.hermitengp.backend.WorkerPool;
import io.hermitengp.encoding.HermiteTileEncoder;
import io.hermitengp.encoding.TileEncoder;
import io.hermitengp.field.Channels;
import io.hermitengp.field.FiniteDifferenceStencil;
import io.hermitengp.field.NeuralField;
import io.hermitengp.field.TiledForward;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.LossSeeds;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.FloatTileKernels;
import io.hermitengp.network.Precision;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.network.TileKernels;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A training step (loss and gradient) of a field on the CPU, tile by tile.
 *
 * <p>The batch is cut into tiles of consecutive points of one loss term, at most
 * {@link #TILE_ROWS} rows each. A row is one channel of one point, and a term carries only the
 * channels its residual reads ({@link TermChannels}): a boundary point is one row, an interior
 * Helmholtz point four. An INGP-FD field (linear encoding, derivatives by its
 * {@link FiniteDifferenceStencil}) has the value channel alone, so there a row is one evaluation
 * point: a point whose term reads derivatives is its stencil's {@code 2d+1} points, whose values
 * give the point's jet ({@link FiniteDifferenceStencil#jet}) and take its seeds back
 * ({@link FiniteDifferenceStencil#seeds}); any other point is itself.
 *
 * <p>A tile goes through the whole step while its numbers stay in cache: every SIREN layer as one
 * product over the tile's rows and the layer's units plus its sine activations
 * ({@link TiledForward}), the residuals and their seeds, and back down the layers to the
 * encoding's adjoint; each layer's weight and bias gradients are added from the tile's rows into
 * the gradient of the tile's chunk ({@link #CHUNK_TILES} consecutive tiles). The encoding
 * ({@link TileEncoder}: {@link HermiteTileEncoder} for a Hermite field) runs ahead of the tiles,
 * once per chunk and term, because its column loops want more points than a tile has. The
 * arithmetic is {@link TileKernels}; in {@link Precision#FLOAT32} the network's part of a tile is
 * {@link FloatTileNetwork}'s, in float with double at the tile's edges, and everything else stays
 * as described here.
 *
 * <p>Determinism: tiles and chunks are cut by the batch alone, never by the thread count; a chunk
 * is one task that sums its rows in order into its own gradient buffer; afterwards each network
 * parameter's gradient is the sum of the chunks' in chunk order, and each level's table gradient
 * is scattered by one task over all points in order ({@link TileEncoder#backwardLevel}). So
 * every number is summed in an order fixed by the batch, and the result is bit-identical for any
 * number of threads.
 */
public final class TiledStep {
    /** Rows per tile: the activations of a tile's 2x128 network stay within a core's L2 cache. */
    public static final int TILE_ROWS = 128;
    /** Tiles per chunk, the unit of weight-gradient partial sums; fixed so results do not depend on threads. */
    public static final int CHUNK_TILES = 8;
    private static final int REDUCTION_GRAIN = 4096;

    /** The phases of a step whose thread time {@link #phaseNanos} reports, in step order. */
    public static final List<String> PHASES = List.of("encoding_forward", "network_forward_products",
            "sine_forward", "loss_and_seeds", "network_backward_products", "sine_backward",
            "weight_gradient_products", "encoding_backward", "gradient_reduction");
    static final int ENCODING_FORWARD = 0;
    static final int FORWARD_PRODUCTS = 1;
    static final int SINE_FORWARD = 2;
    static final int LOSS = 3;
    static final int BACKWARD_PRODUCTS = 4;
    static final int SINE_BACKWARD = 5;
    static final int WEIGHT_GRADIENT = 6;
    static final int ENCODING_BACKWARD = 7;
    static final int REDUCTION = 8;

    private final NeuralField field;
    private final Problem problem;
    private final int encodedWidth;              // L*F
    private final SirenNetwork network;
    private final TileKernels kernels;
    private final FloatTileKernels floatKernels;   // null in float64
    private final WorkerPool pool;
    private final Channels problemChannels;
    private final Channels[] termChannels;       // per term: the channels its residual reads
    private final FiniteDifferenceStencil stencil;   // null for a Hermite field
    private final Channels[] networkChannels;    // per term: the channels of an evaluation point's rows
    private final int[] evaluationsPerPoint;     // per term: 1, or the stencil's 2d+1 points
    private final int jetSize;                   // problem channels * outputs
    private final int maxComponents;
    private final Workspaces workspaces;
    private long productFlops;

    // Batch-wide buffers, grown on demand.
    private double[] pointLoss = new double[0];       // (n): sum_c r_c^2
    private double[] evaluationPoints = new double[0];   // INGP-FD: (m, d), term by term: a stencil or the point
    private double[] dLdEncoded = new double[0];      // per level: (rows, F), rows term by term, (n_k, rows per point)
    private double[][] chunkGradient = new double[0][];   // [chunk]: the network's gradient from its rows

    /**
     * @throws IllegalArgumentException for a field the tiled path does not run ({@link #supports})
     */
    public TiledStep(NeuralField field, Problem problem, TileKernels kernels, WorkerPool pool) {
        this(field, problem, kernels, null, pool, null);
    }

    /**
     * A step whose threads work in {@code shared} buffers, those of every field of a batch
     * ({@link Workspaces}): the fields take turns on each thread, so one set of tile buffers per
     * thread stays in cache instead of one per field. Null: buffers of its own.
     */
    public TiledStep(NeuralField field, Problem problem, TileKernels kernels, WorkerPool pool, Workspaces shared) {
        this(field, problem, kernels, null, pool, shared);
    }

    /**
     * A step in {@link Precision#FLOAT32} when {@code floatKernels} is given (the network's tile
     * arithmetic, {@link FloatTileNetwork}; the encoding and evaluation stay on {@code kernels}),
     * in {@link Precision#FLOAT64} when it is null.
     *
     * @param shared the threads' buffers ({@link Workspaces}) for the same precision, or null
     */
    public TiledStep(NeuralField field, Problem problem, TileKernels kernels, FloatTileKernels floatKernels,
                     WorkerPool pool, Workspaces shared) {
        if (!TiledForward.supports(field)) {
            throw new IllegalArgumentException("the tiled CPU path runs Hermite and linear encodings, not a "
                    + field.encoding().getClass().getSimpleName());
        }
        this.field = field;
        this.problem = problem;
        this.encodedWidth = field.encoding().outputWidth();
        this.network = field.network();
        this.kernels = kernels;
        this.floatKernels = floatKernels;
        this.pool = pool;
        this.problemChannels = problem.channels();
        this.stencil = field.stencil();
        if (stencil == null) {
            field.encoding().requireChannels(problemChannels);
        } else if (problemChannels.dims() != 0 && problemChannels.dims() != stencil.dims()) {
            throw new IllegalArgumentException("the problem's channels " + problemChannels + " on a "
                    + stencil.dims() + "-axis stencil");
        }
        List<LossTerm> terms = problem.terms();
        this.termChannels = new Channels[terms.size()];
        this.networkChannels = new Channels[terms.size()];
        this.evaluationsPerPoint = new int[terms.size()];
        for (int k = 0; k < terms.size(); k++) {
            termChannels[k] = TermChannels.needed(terms.get(k).residual(), problemChannels, field.outputs());
            boolean finiteDifferences = stencil != null && termChannels[k].count() > 1;
            networkChannels[k] = stencil == null ? termChannels[k] : Channels.valueOnly();
            evaluationsPerPoint[k] = finiteDifferences ? stencil.size() : 1;
        }
        this.jetSize = problemChannels.count() * field.outputs();
        this.maxComponents = terms.stream().mapToInt(t -> t.residual().components()).max().orElse(1);
        this.workspaces = shared != null ? shared : new Workspaces(field, kernels, floatKernels, List.of(problem));
        workspaces.requireFits(field, jetSize, maxComponents, precision());
    }

    /**
     * Whether the tiled path can train this field: a Hermite field (derivatives analytic) or an
     * INGP-FD one (derivatives by its stencil), {@link TiledForward#supports}.
     */
    public static boolean supports(NeuralField field) {
        return TiledForward.supports(field);
    }

    /** The format of the network's tile arithmetic. */
    public Precision precision() {
        return floatKernels == null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /** Thread nanoseconds spent in each of {@link #PHASES} since the step was built, summed over threads. */
    public long[] phaseNanos() {
        return workspaces.phaseNanos();
    }

    /**
     * One tile workspace per thread for the steps of fields of one architecture, created on a
     * thread's first use: {@link TiledStep}s of a batch share one, since only one field's tile runs
     * on a thread at a time. Its problems share one jet size (channels x outputs: the stride of
     * a residual's partials), and the buffers hold the largest residual among them.
     */
    public static final class Workspaces {
        private final NeuralField field;
        private final TileKernels kernels;
        private final FloatTileKernels floatKernels;   // null in float64
        private final int jetSize;
        private final int maxComponents;
        private final ThreadLocal<Workspace> perThread = ThreadLocal.withInitial(this::create);
        private final List<Workspace> all = new ArrayList<>();

        /**
         * Workspaces for fields of {@code field}'s architecture training on these problems in float64.
         *
         * @throws IllegalArgumentException when the problems' jet sizes differ
         */
        public Workspaces(NeuralField field, TileKernels kernels, List<Problem> problems) {
            this(field, kernels, null, problems);
        }

        /** The same with float tile buffers when {@code floatKernels} is given ({@link Precision#FLOAT32}). */
        public Workspaces(NeuralField field, TileKernels kernels, FloatTileKernels floatKernels,
                          List<Problem> problems) {
            this.field = field;
            this.kernels = kernels;
            this.floatKernels = floatKernels;
            int jet = jetSize(field, problems.get(0));
            int components = 1;
            for (Problem problem : problems) {
                if (jetSize(field, problem) != jet) {
                    throw new IllegalArgumentException("tile workspaces serve one jet size; the problems have "
                            + jet + " and " + jetSize(field, problem));
                }
                for (LossTerm term : problem.terms()) {
                    components = Math.max(components, term.residual().components());
                }
            }
            this.jetSize = jet;
            this.maxComponents = components;
        }

        /** Channels times outputs: a jet's length, and the stride of a residual's partials. */
        public static int jetSize(NeuralField field, Problem problem) {
            return problem.channels().count() * field.outputs();
        }

        private synchronized Workspace create() {
            Workspace w = new Workspace(field, kernels, floatKernels, jetSize, maxComponents);
            all.add(w);
            return w;
        }

        Workspace get() {
            return perThread.get();
        }

        /**
         * Refuses a step the buffers were not sized for: another architecture, a larger jet or
         * residual, another precision.
         */
        void requireFits(NeuralField other, int jet, int components, Precision precision) {
            if ((floatKernels != null) != (precision == Precision.FLOAT32)) {
                throw new IllegalArgumentException("tile workspaces for "
                        + (floatKernels != null ? Precision.FLOAT32 : Precision.FLOAT64).configName()
                        + " serve a " + precision.configName() + " step");
            }
            if (other.dims() != field.dims() || other.outputs() != field.outputs()
                    || other.parameterCount() != field.parameterCount()
                    || other.encoding().outputWidth() != field.encoding().outputWidth()
                    || other.network().layers() != field.network().layers()
                    || other.network().maxWidth() != field.network().maxWidth()
                    || other.encoding().getClass() != field.encoding().getClass()
                    || jet != jetSize || components > maxComponents) {
                throw new IllegalArgumentException("tile workspaces for another field architecture or problem");
            }
        }

        synchronized long[] phaseNanos() {
            long[] total = new long[PHASES.size()];
            for (Workspace w : all) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += w.nanos[i];
                }
                long[] forward = w.forward.nanos();
                total[ENCODING_FORWARD] += forward[TiledForward.ENCODING];
                total[FORWARD_PRODUCTS] += forward[TiledForward.PRODUCTS];
                total[SINE_FORWARD] += forward[TiledForward.SINE];
            }
            return total;
        }
    }

    /** Floating-point operations of the three network products ({@code 2 rows in out} each) since the step was built. */
    public long productFlops() {
        return productFlops;
    }

    /** The tiles of a batch: for each, its term and its points {@code [from, to)}, in batch order. */
    private record Tiles(int[] term, int[] from, int[] to) {
        int count() {
            return term.length;
        }
    }

    private Tiles tiles(CollocationBatch batch) {
        int count = 0;
        for (int k = 0; k < batch.terms(); k++) {
            int perTile = pointsPerTile(k);
            count += (batch.termSize(k) + perTile - 1) / perTile;
        }
        int[] term = new int[count];
        int[] from = new int[count];
        int[] to = new int[count];
        int t = 0;
        for (int k = 0; k < batch.terms(); k++) {
            int perTile = pointsPerTile(k);
            for (int p = batch.termStart()[k]; p < batch.termStart()[k + 1]; p += perTile) {
                term[t] = k;
                from[t] = p;
                to[t] = Math.min(batch.termStart()[k + 1], p + perTile);
                t++;
            }
        }
        return new Tiles(term, from, to);
    }

    private int pointsPerTile(int term) {
        return Math.max(1, TILE_ROWS / rowsPerPoint(term));
    }

    /** Rows of one point of term k: its evaluation points times their channels. */
    private int rowsPerPoint(int term) {
        return evaluationsPerPoint[term] * networkChannels[term].count();
    }

    private static int pointsPerEvaluationTile(Channels channels) {
        return Math.max(1, TILE_ROWS / channels.count());
    }

    /**
     * Where the encoder finds the batch's points: its collocation points for a Hermite field, the
     * evaluation points ({@link #placeEvaluationPoints}) for an INGP-FD field.
     */
    private double[] encodedPoints(CollocationBatch batch) {
        return stencil == null ? batch.points() : evaluationPoints;
    }

    /**
     * The index among {@link #encodedPoints} of point p of term k (or, p being the term's end, of
     * the term's end): p itself for a Hermite field; for an INGP-FD field the first of its
     * evaluation points, laid out term by term from {@code evaluationStart[k]}.
     */
    private int encodedIndex(CollocationBatch batch, int[] evaluationStart, int k, int p) {
        return stencil == null ? p : evaluationStart[k] + (p - batch.termStart()[k]) * evaluationsPerPoint[k];
    }

    /** Writes the evaluation points of points {@code [from, to)} of term k from the {@code first}-th on. */
    private void placeEvaluationPoints(CollocationBatch batch, int k, int from, int to, int first, int activeLevels) {
        int d = field.dims();
        for (int p = from; p < to; p++) {
            int at = (first + (p - from) * evaluationsPerPoint[k]) * d;
            if (evaluationsPerPoint[k] == 1) {
                System.arraycopy(batch.points(), p * d, evaluationPoints, at, d);
            } else {
                stencil.points(batch.points(), p * d, activeLevels, evaluationPoints, at);
            }
        }
    }

    /**
     * Each term's loss and the gradient of {@code sum_k w_k L_k}, written into {@code gradient}
     * (every parameter; levels at or above activeLevels get zero).
     */
    public void lossAndGradient(double[] params, CollocationBatch batch, double[] termWeights, int activeLevels,
                                double[] termLosses, double[] gradient) {
        Work work = work(params, batch, termWeights, activeLevels, termLosses, gradient);
        pool.runAll(work.chunkTasks());
        pool.runAll(work.reductionTasks());
    }

    /**
     * The step of {@link #lossAndGradient} as two rounds of independent tasks, for a caller that
     * runs the rounds of several fields together ({@link io.hermitengp.backend.JavaFieldBatch}):
     * every task of {@link Work#chunkTasks} must have run before {@link Work#reductionTasks} is
     * called. One step at a time per {@code TiledStep}: its batch-wide buffers serve the step in
     * flight.
     */
    public Work work(double[] params, CollocationBatch batch, double[] termWeights, int activeLevels,
                     double[] termLosses, double[] gradient) {
        int n = batch.size();
        int[] rowStart = new int[batch.terms() + 1];   // per term: its first row (point channel) in dLdEncoded
        int[] evaluationStart = new int[batch.terms() + 1];   // per term: its first evaluation point
        for (int k = 0; k < batch.terms(); k++) {
            rowStart[k + 1] = rowStart[k] + batch.termSize(k) * rowsPerPoint(k);
            evaluationStart[k + 1] = evaluationStart[k] + batch.termSize(k) * evaluationsPerPoint[k];
        }
        if (stencil != null && evaluationPoints.length < evaluationStart[batch.terms()] * field.dims()) {
            evaluationPoints = new double[evaluationStart[batch.terms()] * field.dims()];
        }
        double[] encodedPoints = encodedPoints(batch);
        int features = field.encoding().layout().features();
        int levelStride = rowStart[batch.terms()] * features;   // dLdEncoded: one level after another
        if (pointLoss.length < n) {
            pointLoss = new double[n];
        }
        if (dLdEncoded.length < levelStride * field.encoding().layout().levels()) {
            dLdEncoded = new double[levelStride * field.encoding().layout().levels()];
        }
        Tiles tiles = tiles(batch);
        int chunks = (tiles.count() + CHUNK_TILES - 1) / CHUNK_TILES;
        if (chunkGradient.length < chunks) {
            double[][] grown = Arrays.copyOf(chunkGradient, chunks);
            for (int c = chunkGradient.length; c < chunks; c++) {
                grown[c] = new double[network.parameterCount()];
            }
            chunkGradient = grown;
        }
        double[] transposed = network.transposedWeights(params, field.networkOffset());
        FloatTileNetwork.Weights floatWeights = floatKernels == null ? null
                : FloatTileNetwork.Weights.of(network, params, field.networkOffset(), transposed);

        List<Runnable> chunkTasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int chunk = c;
            chunkTasks.add(() -> {
                Workspace w = workspaces.get();
                double[] partial = chunkGradient[chunk];
                Arrays.fill(partial, 0.0);
                int first = chunk * CHUNK_TILES;
                int last = Math.min(tiles.count(), (chunk + 1) * CHUNK_TILES);
                // the chunk's tiles term by term: each run of one term's tiles is encoded at once
                for (int runStart = first; runStart < last; ) {
                    int k = tiles.term[runStart];
                    int runEnd = runStart;
                    while (runEnd < last && tiles.term[runEnd] == k) {
                        runEnd++;
                    }
                    int runFrom = tiles.from[runStart];
                    int runTo = tiles.to[runEnd - 1];
                    int encodedFrom = encodedIndex(batch, evaluationStart, k, runFrom);
                    if (stencil != null) {
                        placeEvaluationPoints(batch, k, runFrom, runTo, encodedFrom, activeLevels);
                    }
                    w.forward.encode(params, encodedPoints, encodedFrom, encodedIndex(batch, evaluationStart, k, runTo),
                            activeLevels, networkChannels[k]);
                    for (int t = runStart; t < runEnd; t++) {
                        int firstRow = rowStart[k] + (tiles.from[t] - batch.termStart()[k]) * rowsPerPoint(k);
                        trainTile(w, params, transposed, floatWeights, batch, k, tiles.from[t], tiles.to[t],
                                encodedIndex(batch, evaluationStart, k, tiles.from[t]) - encodedFrom,
                                termWeights[k], partial, firstRow, levelStride, activeLevels);
                    }
                    runStart = runEnd;
                }
            });
        }
        productFlops += 2L * multiplyAddsPerRow() * rows(batch);
        return new Work(chunkTasks, () -> reductions(batch, activeLevels, termLosses, gradient, rowStart,
                evaluationStart, levelStride, chunks));
    }

    /** One step's two rounds of tasks ({@link #work}). */
    public static final class Work {
        private final List<Runnable> chunkTasks;
        private final Supplier<List<Runnable>> reductions;

        private Work(List<Runnable> chunkTasks, Supplier<List<Runnable>> reductions) {
            this.chunkTasks = chunkTasks;
            this.reductions = reductions;
        }

        /** Round 1: the chunks of tiles, forward and backward; each writes only its own rows and partial gradient. */
        public List<Runnable> chunkTasks() {
            return chunkTasks;
        }

        /**
         * Round 2, once round 1 has run: writes the term losses, clears the gradient and gives the
         * reductions (each level's table scatter, blocks of the network's chunk sums).
         */
        public List<Runnable> reductionTasks() {
            return reductions.get();
        }
    }

    private List<Runnable> reductions(CollocationBatch batch, int activeLevels, double[] termLosses, double[] gradient,
                                      int[] rowStart, int[] evaluationStart, int levelStride, int chunks) {
        int features = field.encoding().layout().features();
        for (int k = 0; k < batch.terms(); k++) {
            termLosses[k] = TermLossMath.termLoss(pointLoss, batch.termStart()[k], batch.termStart()[k + 1]);
        }

        Arrays.fill(gradient, 0.0);
        List<Runnable> reductions = new ArrayList<>();
        for (int level = 0; level < activeLevels; level++) {
            int l = level;
            reductions.add(() -> {
                long started = System.nanoTime();
                Workspace w = workspaces.get();
                TileEncoder threadEncoder = w.forward.encoder();   // its working memory is this thread's
                for (int k = 0; k < batch.terms(); k++) {
                    threadEncoder.backwardLevel(l, encodedPoints(batch),
                            encodedIndex(batch, evaluationStart, k, batch.termStart()[k]),
                            encodedIndex(batch, evaluationStart, k, batch.termStart()[k + 1]), networkChannels[k],
                            dLdEncoded, l * levelStride + rowStart[k] * features, gradient, field.encodingOffset());
                }
                w.nanos[ENCODING_BACKWARD] += System.nanoTime() - started;
            });
        }
        int networkOffset = field.networkOffset();
        for (int from = 0; from < network.parameterCount(); from += REDUCTION_GRAIN) {
            int start = from;
            int end = Math.min(network.parameterCount(), from + REDUCTION_GRAIN);
            reductions.add(() -> {
                long started = System.nanoTime();
                for (int c = 0; c < chunks; c++) {
                    double[] partial = chunkGradient[c];
                    for (int i = start; i < end; i++) {
                        gradient[networkOffset + i] += partial[i];
                    }
                }
                workspaces.get().nanos[REDUCTION] += System.nanoTime() - started;
            });
        }
        return reductions;
    }

    /** Multiply-adds per row of the three products (forward, backward, weight gradient): {@code 3 sum_k in_k out_k}. */
    private long multiplyAddsPerRow() {
        long sum = 0;
        for (int k = 0; k < network.layers(); k++) {
            sum += (long) network.inputWidth(k) * network.width(k);
        }
        return 3 * sum;
    }

    private long rows(CollocationBatch batch) {
        long rows = 0;
        for (int k = 0; k < batch.terms(); k++) {
            rows += (long) batch.termSize(k) * rowsPerPoint(k);
        }
        return rows;
    }

    /**
     * One tile through the rest of the step, its points {@code [from, to)} of term k already encoded
     * from the {@code encodedPoint}-th point of the workspace's encoding (an INGP-FD field's
     * evaluation points: the network's "points" are those). Writes the points' losses,
     * their encoding adjoints into each active level's part of {@link #dLdEncoded} from row
     * {@code firstRow}, and adds the tile's weight and bias gradients into {@code partial} (the
     * network's layout). In float32 the network's part is {@link FloatTileNetwork}'s, with
     * {@code floatWeights}.
     */
    private void trainTile(Workspace w, double[] params, double[] transposed, FloatTileNetwork.Weights floatWeights,
                           CollocationBatch batch, int k, int from, int to, int encodedPoint, double termWeight,
                           double[] partial, int firstRow, int levelStride, int activeLevels) {
        Channels channels = networkChannels[k];
        int channelCount = channels.count();
        int points = (to - from) * evaluationsPerPoint[k];   // the network's: evaluation points
        int rows = points * channelCount;
        int networkOffset = field.networkOffset();
        int layers = network.layers();
        long[] nanos = w.nanos;
        double[] outputSeed = w.zbar[layers - 1];
        TiledForward forward = w.forward;
        int encodedOffset = encodedPoint * channelCount * encodedWidth;

        if (w.floatNetwork != null) {
            w.floatNetwork.forward(floatWeights, forward.encoded(), encodedOffset, points, channels, nanos);
            long t2 = System.nanoTime();
            seedOutputs(w, w.floatNetwork.output(), outputSeed, batch, k, from, to, termWeight, activeLevels);
            nanos[LOSS] += System.nanoTime() - t2;
            w.floatNetwork.backward(floatWeights, outputSeed, points, channels, partial, w.abar, nanos);
            layOutEncodingAdjoint(w, rows, firstRow, levelStride, activeLevels);
            return;
        }

        forward.network(params, transposed, encodedPoint, points, channels);
        long t2 = System.nanoTime();
        seedOutputs(w, forward.output(), outputSeed, batch, k, from, to, termWeight, activeLevels);
        long t3 = System.nanoTime();
        nanos[LOSS] += t3 - t2;

        for (int layer = layers - 1; layer >= 0; layer--) {
            int in = network.inputWidth(layer);
            int out = network.width(layer);
            double[] zbar = w.zbar[layer];
            double[] input = layer == 0 ? forward.encoded() : forward.activation(layer - 1);
            int inputOffset = layer == 0 ? encodedOffset : 0;
            long s = System.nanoTime();
            kernels.multiplyAddTransposed(zbar, 0, input, inputOffset, partial, network.weightOffset(layer), rows, out,
                    in);
            kernels.addRows(zbar, 0, channelCount * out, points, partial, network.biasOffset(layer), out);
            long e = System.nanoTime();
            nanos[WEIGHT_GRADIENT] += e - s;
            // layer 0's input adjoint is the encoding's: (R, L*F) here, then level by level into dLdEncoded
            Arrays.fill(w.abar, 0, rows * in, 0.0);
            kernels.multiplyAdd(zbar, 0, params, networkOffset + network.weightOffset(layer), w.abar, 0, rows, out, in);
            long e2 = System.nanoTime();
            nanos[BACKWARD_PRODUCTS] += e2 - e;
            if (layer == 0) {
                layOutEncodingAdjoint(w, rows, firstRow, levelStride, activeLevels);
            }
            if (layer > 0) {
                long s2 = System.nanoTime();
                kernels.sineBackward(forward.preActivation(layer - 1), forward.activation(layer - 1),
                        forward.cosine(layer - 1), w.abar, w.zbar[layer - 1], points, channels, in,
                        network.omega(layer - 1));
                nanos[SINE_BACKWARD] += System.nanoTime() - s2;
            }
        }
    }

    /**
     * The tile's encoding adjoint, {@code (R, L*F)} in the workspace's {@code abar}, level by level
     * into {@link #dLdEncoded} from row {@code firstRow}.
     */
    private void layOutEncodingAdjoint(Workspace w, int rows, int firstRow, int levelStride, int activeLevels) {
        long started = System.nanoTime();
        int features = field.encoding().layout().features();
        for (int level = 0; level < activeLevels; level++) {
            int into = level * levelStride + firstRow * features;
            for (int row = 0; row < rows; row++) {
                System.arraycopy(w.abar, row * encodedWidth + level * features, dLdEncoded, into + row * features,
                        features);
            }
        }
        w.nanos[ENCODING_BACKWARD] += System.nanoTime() - started;
    }

    /**
     * The residuals of the tile's points and their seeds: each point's jet in the problem's
     * channels from {@code output (P, C_k, outputs)} (channels the term does not carry are zero,
     * and their coefficients too), its loss into {@link #pointLoss}, and the seeds of the carried
     * channels into {@code outputSeed (P, C_k, outputs)}, the output layer's adjoint rows. A point
     * of an INGP-FD field's stencil has its values in {@code output (2d+1, outputs)} instead: its jet
     * is the stencil's, and its seeds go back to the stencil's values.
     */
    private void seedOutputs(Workspace w, double[] output, double[] outputSeed, CollocationBatch batch, int k,
                             int from, int to, double termWeight, int activeLevels) {
        int outputs = field.outputs();
        int carried = networkChannels[k].count() * outputs;
        boolean byStencil = evaluationsPerPoint[k] > 1;
        int pointRows = rowsPerPoint(k) * outputs;
        LossTerm term = problem.terms().get(k);
        double seedScale = TermLossMath.seedScale(termWeight, batch.termSize(k));
        int d = field.dims();
        for (int p = from; p < to; p++) {
            int row = (p - from) * pointRows;
            if (byStencil) {
                stencil.jet(output, row, outputs, problemChannels, activeLevels, w.jet, 0);
            } else {
                System.arraycopy(output, row, w.jet, 0, carried);
                Arrays.fill(w.jet, carried, jetSize, 0.0);
            }
            pointLoss[p] = w.seeds.evaluate(term.residual(), batch.points(), p * d, batch.attributes(),
                    batch.attributeOffset(k, p), w.jet, 0, seedScale, w.jetSeed, 0);
            if (byStencil) {
                stencil.seeds(w.jetSeed, 0, outputs, problemChannels, activeLevels, outputSeed, row);
            } else {
                System.arraycopy(w.jetSeed, 0, outputSeed, row, carried);
            }
        }
    }

    /**
     * Evaluates the field at points {@code [from, to)}: {@code out (n, C, outputs)} for channels
     * the encoder writes (value alone, or value, gradient and any Laplacian), or for an INGP-FD
     * field any channels its stencil gives ({@link #evaluateByStencil}).
     */
    public void evaluate(double[] params, double[] transposed, double[] points, int from, int to, Channels channels,
                         int activeLevels, double[] out) {
        if (stencil != null && channels.count() > 1) {
            evaluateByStencil(params, transposed, points, from, to, channels, activeLevels, out);
            return;
        }
        TiledForward forward = workspaces.get().evaluation;
        int channelCount = channels.count();
        int perTile = pointsPerEvaluationTile(channels);
        int perEncoding = forward.maxEncodedRows() / channelCount;
        int outputs = field.outputs();
        for (int segment = from; segment < to; segment += perEncoding) {
            int segmentEnd = Math.min(to, segment + perEncoding);
            forward.encode(params, points, segment, segmentEnd, activeLevels, channels);
            for (int start = segment; start < segmentEnd; start += perTile) {
                int end = Math.min(segmentEnd, start + perTile);
                forward.network(params, transposed, start - segment, end - start, channels);
                System.arraycopy(forward.output(), 0, out, start * channelCount * outputs,
                        (end - start) * channelCount * outputs);
            }
        }
    }

    /**
     * An INGP-FD field's channels at points {@code [from, to)}: each point's stencil through the
     * network as value rows, then the stencil's jet, as in training.
     */
    private void evaluateByStencil(double[] params, double[] transposed, double[] points, int from, int to,
                                   Channels channels, int activeLevels, double[] out) {
        Workspace w = workspaces.get();
        TiledForward forward = w.evaluation;
        Channels value = Channels.valueOnly();
        int size = stencil.size();
        int d = field.dims();
        int outputs = field.outputs();
        int jet = channels.count() * outputs;
        int perTile = Math.max(1, TILE_ROWS / size);
        int perEncoding = forward.maxEncodedRows() / size;
        for (int segment = from; segment < to; segment += perEncoding) {
            int segmentEnd = Math.min(to, segment + perEncoding);
            for (int p = segment; p < segmentEnd; p++) {
                stencil.points(points, p * d, activeLevels, w.stencilPoints, (p - segment) * size * d);
            }
            forward.encode(params, w.stencilPoints, 0, (segmentEnd - segment) * size, activeLevels, value);
            for (int start = segment; start < segmentEnd; start += perTile) {
                int end = Math.min(segmentEnd, start + perTile);
                forward.network(params, transposed, (start - segment) * size, (end - start) * size, value);
                for (int p = start; p < end; p++) {
                    stencil.jet(forward.output(), (p - start) * size * outputs, outputs, channels, activeLevels, out,
                            p * jet);
                }
            }
        }
    }

    /** Points per evaluation task of {@link #evaluate}. */
    public static int evaluationGrain() {
        return 4 * TILE_ROWS;
    }

    /** One thread's tile buffers, every one sized for {@link #TILE_ROWS} rows. */
    private static final class Workspace {
        final TiledForward forward;      // training tiles, encoded a chunk's run of one term at a time
        final TiledForward evaluation;   // evaluation's own, so that its time does not count in the training phases
        final FloatTileNetwork floatNetwork;   // the network's tiles in float32; null in float64
        final double[][] zbar;           // per layer: (R, width); in float32 the output layer's alone, for the seeds
        final double[] abar;             // (R, width) of one layer
        final double[] jet;              // (C_problem, outputs)
        final double[] jetSeed;
        final LossSeeds seeds;
        final double[] stencilPoints;    // INGP-FD evaluation: (encoded rows, d); null for a Hermite field
        final long[] nanos = new long[PHASES.size()];

        Workspace(NeuralField field, TileKernels kernels, FloatTileKernels floatKernels, int jetSize,
                  int maxComponents) {
            SirenNetwork network = field.network();
            forward = new TiledForward(field, kernels, TILE_ROWS, CHUNK_TILES * TILE_ROWS);
            evaluation = new TiledForward(field, kernels, TILE_ROWS, CHUNK_TILES * TILE_ROWS);
            floatNetwork = floatKernels == null ? null
                    : new FloatTileNetwork(network, floatKernels, field.encoding().outputWidth(), TILE_ROWS);
            zbar = new double[network.layers()][];
            for (int k = floatNetwork == null ? 0 : network.layers() - 1; k < network.layers(); k++) {
                zbar[k] = new double[TILE_ROWS * network.width(k)];
            }
            abar = new double[TILE_ROWS * network.maxWidth()];
            jet = new double[jetSize];
            jetSeed = new double[jetSize];
            seeds = new LossSeeds(maxComponents, jetSize);
            stencilPoints = field.stencil() == null ? null : new double[evaluation.maxEncodedRows() * field.dims()];
        }
    }
}
