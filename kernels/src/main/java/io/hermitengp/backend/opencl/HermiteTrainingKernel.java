package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import io.hermitengp.encoding.HermiteEncodingMath;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.SirenMath;
import io.hermitengp.optim.AdamMath;
import io.hermitengp.optim.ParameterAverage;
import io.hermitengp.problem.ResidualMath;

/**
 * Every pass of a training step as one Aparapi kernel. Aparapi binds device buffers to one kernel
 * object, so the passes share a kernel and are selected by {@link #pass}; the arithmetic itself is
 * in {@link HermiteEncodingMath}, {@link SirenMath}, {@link ResidualMath}, {@link TermLossMath} and
 * {@link AdamMath}, the same code the Java backend runs. Buffers are explicit: parameters, gradient, Adam moments and work buffers stay
 * on the device, and the host puts and gets only what a step must move.
 *
 * <p>Passes, in the order a step runs them. Every reduction adds in an order fixed by the
 * indices alone, never by scheduling, so a step gives the same bits run to run:
 * <ol>
 *   <li>{@link #TRANSPOSE}: network weights to {@code (in, out)} rows for the forward pass, only
 *       after the host wrote parameters ({@link #ADAM} keeps the copy current otherwise);</li>
 *   <li>{@link #POINT}: per point, encoding and SIREN forward with the derivative channels, then
 *       (when {@link #training} is 1) its term's residual in the term's {@link ResidualMath} form
 *       (components and partials into {@link #pointResidual} and {@link #pointPartials}), the
 *       point's loss and seeds ({@link TermLossMath#pointSeeds}), and the SIREN backward down to
 *       the encoding's adjoint;</li>
 *   <li>{@link #TERM_LOSS}: per loss term, the mean of its points' squared residuals, in point order;</li>
 *   <li>network gradient in two passes: {@link #WEIGHT_GRADIENT_TILES}, per (tile of
 *       {@link #GRADIENT_TILE} points, block of {@link SirenMath#GRADIENT_BLOCK_ROWS} x
 *       {@link SirenMath#GRADIENT_BLOCK} weights of a layer or one bias), the gradients over the
 *       tile's points in ascending order; then {@link #WEIGHT_GRADIENT_SUM}, per parameter, the
 *       tiles' sums in ascending tile order. The
 *       points x parameters products spread over many work items, neighbours reading the same
 *       tile of activations, and no item's work grows with the batch;</li>
 *   <li>table gradients without float atomics: {@link #COUNT} (contributions per table entry, int
 *       atomics); an exclusive prefix sum of the counts over all active entries in three passes,
 *       {@link #SCAN_BLOCKS} (per block of {@link #SCAN_BLOCK} keys, its total),
 *       {@link #SCAN_BLOCK_OFFSETS} (one work item: the totals' exclusive prefix) and
 *       {@link #SCAN_ENTRIES} (per block, each key's slice start); {@link #FILL} (contribution ids
 *       into per-entry slices, at the key and rank COUNT kept: no hashing, no atomics);
 *       {@link #GATHER} (per entry: sort its slice by contribution id = point * 2^d + corner, by
 *       insertion when short and by heapsort when long, then sum in that order, and zero the
 *       entry's count for the next step).
 *       Every table receives exactly points * 2^d contributions, so the one scan over all tables
 *       starts table t's slices at t * points * 2^d. The sum order is the Java backend's, so the
 *       result does not depend on scheduling. {@link #CLEAR_COUNTS} zeroes the counts where a step
 *       did not finish;</li>
 *   <li>{@link #ADAM}: per parameter, one Adam update within its segment, and for a network
 *       weight its transposed copy;</li>
 *   <li>the gradient's Euclidean norm (grad-norm weighting): {@link #NORM_CHUNKS}, per chunk of
 *       {@link #NORM_CHUNK} entries, the sum of squares; {@link #NORM_SUM}, one work item, the
 *       chunks' sums in order and the square root;</li>
 *   <li>{@link #AVERAGE}: per parameter, the running average folds in the new value
 *       ({@link ParameterAverage#fold}), so an EMA run moves no parameters to the host per step.</li>
 * </ol>
 *
 * <p>Buffer layouts ({@code cap} = capacity in points, {@code C} = channel count):
 * <pre>
 *   points (cap, d); pointData (cap, dataStride); pointLoss, pointTerm (cap)
 *   pointResidual (cap, maxComponents); pointPartials (cap, maxComponents, C * outputs)
 *   act    blocks per layer input k: (cap, C, n_k) at cap*C*cumIn[k]  (block 0 is the encoding)
 *   actBar same layout as act (block 0 is dL/d encoding)
 *   z, zBar blocks per layer output k: (cap, C, n_{k+1}) at cap*C*cumOut[k]
 *   cosines blocks per layer output k: (cap, n_{k+1}) at cap*cumOut[k]
 *   output (cap, C, outputs)
 *   weightGradientTiles (ceil(cap / GRADIENT_TILE), network parameters)
 *   contributionCount, contributionStart (entry keys); scanBlockOffset (ceil(entry keys / SCAN_BLOCK))
 *   contributionKey, contributionRank (cap * tables * 2^d): per COUNT work item
 *       ((p * activeLevels + level) * (d+1) + order) * 2^d + corner
 *   contributions (cap * tables * 2^d): the entries' slices back to back, table by table
 *   normPartials (ceil(parameters / NORM_CHUNK))
 * </pre>
 * The network layout array {@link #net}: {@code [0] K, [1+k] n_k (k = 0..K), [2+K+k] weight offset,
 * [2+2K+k] bias offset, [2+3K+k] cumIn, [2+4K+k] cumOut, [2+5K] network start in the buffer,
 * [3+5K] network parameter count} (offsets relative to the network start).
 */
public final class HermiteTrainingKernel extends Kernel {
    public static final int TRANSPOSE = 0;
    public static final int POINT = 1;
    public static final int TERM_LOSS = 2;
    public static final int WEIGHT_GRADIENT_TILES = 3;
    public static final int WEIGHT_GRADIENT_SUM = 4;
    public static final int CLEAR_COUNTS = 5;
    public static final int COUNT = 6;
    public static final int SCAN_BLOCKS = 7;
    public static final int SCAN_BLOCK_OFFSETS = 8;
    public static final int SCAN_ENTRIES = 9;
    public static final int FILL = 10;
    public static final int GATHER = 11;
    public static final int ADAM = 12;
    public static final int NORM_CHUNKS = 13;
    public static final int NORM_SUM = 14;
    public static final int AVERAGE = 15;

    /** Points per tile of {@link #WEIGHT_GRADIENT_TILES}: enough work per item, few tiles to sum. */
    public static final int GRADIENT_TILE = 128;
    /** Table entries per block of the contribution scan. */
    public static final int SCAN_BLOCK = 512;
    /** Gradient entries per partial sum of squares of {@link #NORM_CHUNKS}. */
    public static final int NORM_CHUNK = 2048;
    /** Slices up to this many contributions are sorted by insertion, longer ones by heapsort. */
    static final int INSERTION_SORT_LIMIT = 16;

    // Pass selection and sizes, set before each launch.
    int pass;
    /** Number of work items that do work; the launch may be padded beyond it. */
    int items;
    int points;
    int capacity;
    int activeLevels;
    int laplacianAxes;
    int channelCount;
    /** 1 for a training forward (residuals, seeds, backward), 0 for evaluation only. */
    int training;
    int terms;
    /** Numbers of per-point residual data per point ({@link #pointData}'s row length). */
    int dataStride;
    /** The most residual components of any term ({@link #pointResidual}'s row length). */
    int maxComponents;
    int segments;
    double beta1;
    /** The running average's decay ({@link #AVERAGE}). */
    double averageDecay;
    double beta2;
    double epsilon;

    // Constant descriptions.
    int[] encLayout;          // HermiteEncodingMath layout
    double[] encGeometry;     // HermiteEncodingMath geometry
    int[] net;                // network layout, see class comment
    double[] omegas;          // per layer
    int[] tableEntryStart;    // per table (level * (d+1) + order): first global entry key; one extra at the end
    int[] termKind;            // (terms): the residual's ResidualMath form
    int[] termComponents;      // (terms): its residual components
    int[] termConstantStart;   // (terms): where its constants start in termConstants
    double[] termConstants;    // every term's ResidualMath constants, one after another

    // Parameters and optimizer state (stay on the device).
    double[] params;
    double[] gradient;
    double[] firstMoment;
    double[] secondMoment;
    double[] average;          // the parameters' running average (AVERAGE)
    double[] transposed;      // network weights transposed, network-relative offsets

    // Per step inputs.
    double[] pointCoordinates; // (cap, d)
    double[] pointData;        // (cap, dataStride): the per-point data of the point's residual
    int[] pointTerm;           // (cap)
    int[] termStart;           // (terms + 1)
    double[] termSeedScale;    // (terms): w_k * 2 / n_k (TermLossMath.seedScale)
    int[] segmentRange;        // (segments, 2): first parameter, end (exclusive); one put per update
    double[] segmentFactors;   // (segments, 3): learning rate, bias corrections 1 - beta1^t and 1 - beta2^t

    // Work buffers.
    double[] act;
    double[] actBar;
    double[] z;
    double[] zBar;
    double[] cosines;
    double[] output;
    double[] pointLoss;
    double[] pointResidual;    // (cap, maxComponents)
    double[] pointPartials;    // (cap, maxComponents, C * outputs)
    double[] termLoss;
    double[] weightGradientTiles; // (tiles of GRADIENT_TILE points in cap, network parameters) row-major
    double[] normPartials;     // (ceil(parameters / NORM_CHUNK)): sums of squares per chunk
    double[] norm;             // (1)
    int[] contributionCount;   // per entry key; zero between steps (GATHER clears what COUNT counted)
    int[] contributionStart;   // per entry key: its slice's start
    int[] contributionKey;     // (cap * tables * 2^d) per COUNT work item: the entry key it touches
    int[] contributionRank;    // (cap * tables * 2^d) per COUNT work item: its place in the key's slice
    int[] scanBlockOffset;     // (ceil(entry keys / SCAN_BLOCK)): block totals, then their exclusive prefix
    int[] contributions;       // slices of contribution ids

    @Override
    public void run() {
        int id = getGlobalId();
        if (id >= items) {
            return;
        }
        if (pass == POINT) {
            pointPass(id);
        } else if (pass == TRANSPOSE) {
            transposePass(id);
        } else if (pass == TERM_LOSS) {
            termLossPass(id);
        } else if (pass == WEIGHT_GRADIENT_TILES) {
            weightGradientTilePass(id);
        } else if (pass == WEIGHT_GRADIENT_SUM) {
            weightGradientSumPass(id);
        } else if (pass == CLEAR_COUNTS) {
            contributionCount[id] = 0;
        } else if (pass == COUNT) {
            countPass(id);
        } else if (pass == SCAN_BLOCKS) {
            scanBlockPass(id);
        } else if (pass == SCAN_BLOCK_OFFSETS) {
            scanBlockOffsetPass();
        } else if (pass == SCAN_ENTRIES) {
            scanEntryPass(id);
        } else if (pass == FILL) {
            fillPass(id);
        } else if (pass == GATHER) {
            gatherPass(id);
        } else if (pass == ADAM) {
            adamPass(id);
        } else if (pass == NORM_CHUNKS) {
            normChunkPass(id);
        } else if (pass == NORM_SUM) {
            normSumPass();
        } else if (pass == AVERAGE) {
            ParameterAverage.fold(average, params, id, averageDecay);
        }
    }

    private int layers() {
        return net[0];
    }

    private int width(int k) {
        return net[1 + k];
    }

    private int weightOffset(int k) {
        return net[2 + net[0] + k];
    }

    private int biasOffset(int k) {
        return net[2 + 2 * net[0] + k];
    }

    private int cumIn(int k) {
        return net[2 + 3 * net[0] + k];
    }

    private int cumOut(int k) {
        return net[2 + 4 * net[0] + k];
    }

    private int networkStart() {
        return net[2 + 5 * net[0]];
    }

    private int networkCount() {
        return net[3 + 5 * net[0]];
    }

    /** The layer whose weights or biases hold network parameter {@code parameter} (network-relative). */
    private int layerOf(int parameter) {
        int k = 0;
        while (k + 1 < layers() && parameter >= weightOffset(k + 1)) {
            k++;
        }
        return k;
    }

    private void transposePass(int id) {
        int k = layerOf(id);
        int in = width(k);
        int out = width(k + 1);
        int inLayer = id - weightOffset(k);
        if (inLayer < in * out) {
            SirenMath.transposeWeight(params, networkStart() + weightOffset(k), transposed, weightOffset(k), in, out,
                    inLayer);
        }
    }

    private void pointPass(int p) {
        int d = encLayout[0];
        int c = channelCount;
        int encodingWidth = encLayout[1] * encLayout[2];
        int encodingOffset = p * c * encodingWidth;
        for (int i = 0; i < c * encodingWidth; i++) {
            act[encodingOffset + i] = 0.0;
        }
        for (int level = 0; level < activeLevels; level++) {
            HermiteEncodingMath.forwardLevel(encLayout, encGeometry, params, 0, pointCoordinates, p * d, level,
                    laplacianAxes, act, encodingOffset);
        }
        int last = layers() - 1;
        for (int k = 0; k <= last; k++) {
            int in = width(k);
            int out = width(k + 1);
            int aOffset = capacity * c * cumIn(k) + p * c * in;
            int zOffset = capacity * c * cumOut(k) + p * c * out;
            SirenMath.linearForward(params, networkStart() + biasOffset(k), transposed, weightOffset(k), in, out, c,
                    act, aOffset, z, zOffset);
            if (k < last) {
                int nextOffset = capacity * c * cumIn(k + 1) + p * c * out;
                int cosOffset = capacity * cumOut(k) + p * out;
                double w = omegas[k];
                for (int o = 0; o < out; o++) {
                    double s = sin(w * z[zOffset + o]);
                    double co = cos(w * z[zOffset + o]);
                    cosines[cosOffset + o] = co;
                    SirenMath.sineForwardUnit(z, zOffset, act, nextOffset, out, o, d, laplacianAxes, w, s, co);
                }
            }
        }
        int outputs = width(last + 1);
        int jet = c * outputs;
        int lastOffset = capacity * c * cumOut(last) + p * jet;
        for (int j = 0; j < jet; j++) {
            output[p * jet + j] = z[lastOffset + j];
        }
        if (training == 1) {
            int term = pointTerm[p];
            int kind = termKind[term];
            int constants = termConstantStart[term];
            int rOffset = p * maxComponents;
            int partialsOffset = rOffset * jet;
            double root = sqrt(ResidualMath.radicand(kind, termConstants, constants, z, lastOffset));
            ResidualMath.evaluate(kind, termComponents[term], jet, termConstants, constants, pointData,
                    p * dataStride, z, lastOffset, root, pointResidual, rOffset, pointPartials, partialsOffset);
            pointLoss[p] = TermLossMath.pointSeeds(termSeedScale[term], termComponents[term], jet, pointResidual,
                    rOffset, pointPartials, partialsOffset, zBar, lastOffset);
            backwardPoint(p);
        }
    }

    private void backwardPoint(int p) {
        int d = encLayout[0];
        int c = channelCount;
        for (int k = layers() - 1; k >= 0; k--) {
            int in = width(k);
            int out = width(k + 1);
            int zOffset = capacity * c * cumOut(k) + p * c * out;
            int aOffset = capacity * c * cumIn(k) + p * c * in;
            SirenMath.linearBackward(params, networkStart() + weightOffset(k), in, out, c, zBar, zOffset, actBar,
                    aOffset);
            if (k > 0) {
                int previousZ = capacity * c * cumOut(k - 1) + p * c * in;
                int cosOffset = capacity * cumOut(k - 1) + p * in;
                double w = omegas[k - 1];
                for (int o = 0; o < in; o++) {
                    SirenMath.sineBackwardUnit(z, previousZ, actBar, aOffset, zBar, previousZ, in, o, d, laplacianAxes,
                            w, act[aOffset + o], cosines[cosOffset + o]);
                }
            }
        }
    }

    private void termLossPass(int k) {
        termLoss[k] = TermLossMath.termLoss(pointLoss, termStart[k], termStart[k + 1]);
    }

    /**
     * Work items per tile that layer {@code k} gives {@link #WEIGHT_GRADIENT_TILES}: one per block of
     * {@link SirenMath#GRADIENT_BLOCK_ROWS} x {@link SirenMath#GRADIENT_BLOCK} weights and one per bias.
     */
    private int gradientItems(int k) {
        int rowBlocks = (width(k + 1) + SirenMath.GRADIENT_BLOCK_ROWS - 1) / SirenMath.GRADIENT_BLOCK_ROWS;
        return rowBlocks * ((width(k) + SirenMath.GRADIENT_BLOCK - 1) / SirenMath.GRADIENT_BLOCK) + width(k + 1);
    }

    /**
     * WEIGHT_GRADIENT_TILES: work item {@code id = tile * (sum_k gradientItems(k)) + item}, where a
     * layer's items are {@code (column block, row block)}, row block fastest, for the weight blocks
     * and then one per output row for the biases: neighbouring items read the same columns of the
     * activations and neighbouring rows of zBar. Writes the sums of its weights (or bias) over the
     * tile's points, in ascending order, to the tile's row of {@link #weightGradientTiles}.
     */
    private void weightGradientTilePass(int id) {
        int perTile = 0;
        for (int k = 0; k < layers(); k++) {
            perTile += gradientItems(k);
        }
        int tile = id / perTile;
        int item = id - tile * perTile;
        int k = 0;
        while (item >= gradientItems(k)) {
            item -= gradientItems(k);
            k++;
        }
        int c = channelCount;
        int in = width(k);
        int out = width(k + 1);
        int rowBlocks = (out + SirenMath.GRADIENT_BLOCK_ROWS - 1) / SirenMath.GRADIENT_BLOCK_ROWS;
        int blocks = (in + SirenMath.GRADIENT_BLOCK - 1) / SirenMath.GRADIENT_BLOCK;
        int from = tile * GRADIENT_TILE;
        int to = min(points, from + GRADIENT_TILE);
        int zOffset = capacity * c * cumOut(k);
        int tileRow = tile * networkCount();
        if (item < rowBlocks * blocks) {
            int block = item / rowBlocks;
            int o = (item - block * rowBlocks) * SirenMath.GRADIENT_BLOCK_ROWS;
            int i0 = block * SirenMath.GRADIENT_BLOCK;
            SirenMath.weightGradientBlock(from, to, c, in, out, o, i0, zBar, zOffset, act, capacity * c * cumIn(k),
                    weightGradientTiles, tileRow + weightOffset(k) + o * in + i0);
        } else {
            int o = item - rowBlocks * blocks;
            weightGradientTiles[tileRow + biasOffset(k) + o] = SirenMath.biasGradient(from, to, c, out, o, zBar,
                    zOffset);
        }
    }

    /** WEIGHT_GRADIENT_SUM: per network parameter, its tiles' sums added in ascending tile order. */
    private void weightGradientSumPass(int parameter) {
        int tiles = (points + GRADIENT_TILE - 1) / GRADIENT_TILE;
        double sum = 0.0;
        for (int tile = 0; tile < tiles; tile++) {
            sum += weightGradientTiles[tile * networkCount() + parameter];
        }
        gradient[networkStart() + parameter] = sum;
    }

    /**
     * COUNT: work item id is a (point, level, order, corner) contribution, corner fastest, level
     * below activeLevels; its key is the table entry the corner touches. Counts the key's
     * contributions and keeps the key and the count before this one (the contribution's rank among
     * the key's, in whatever order the atomics ran) for FILL.
     */
    private void countPass(int id) {
        int d = encLayout[0];
        int corners = 1 << d;
        int corner = id % corners;
        int order = id / corners % (d + 1);
        int level = id / corners / (d + 1) % activeLevels;
        int p = id / corners / (d + 1) / activeLevels;
        int key = tableEntryStart[level * (d + 1) + order]
                + HermiteEncodingMath.cornerEntry(encLayout, encGeometry, pointCoordinates, p * d, level, order, corner);
        contributionKey[id] = key;
        contributionRank[id] = atomicAdd(contributionCount, key, 1);
    }

    /**
     * FILL: contribution {@code id} (COUNT's numbering) to its place in its key's slice, as the
     * id {@code point * 2^d + corner} that GATHER sorts by.
     */
    private void fillPass(int id) {
        int d = encLayout[0];
        int corners = 1 << d;
        int p = id / corners / (d + 1) / activeLevels;
        int corner = id % corners;
        contributions[contributionStart[contributionKey[id]] + contributionRank[id]] = p * corners + corner;
    }

    /** Table entries of the active levels: the keys COUNT, the scan and GATHER cover. */
    private int activeEntries() {
        return tableEntryStart[activeLevels * (encLayout[0] + 1)];
    }

    /** SCAN_BLOCKS: per block of {@link #SCAN_BLOCK} keys, its total count of contributions. */
    private void scanBlockPass(int block) {
        int from = block * SCAN_BLOCK;
        int to = min(activeEntries(), from + SCAN_BLOCK);
        int total = 0;
        for (int key = from; key < to; key++) {
            total += contributionCount[key];
        }
        scanBlockOffset[block] = total;
    }

    /** SCAN_BLOCK_OFFSETS, one work item: the block totals become their exclusive prefix, in place. */
    private void scanBlockOffsetPass() {
        int blocks = (activeEntries() + SCAN_BLOCK - 1) / SCAN_BLOCK;
        int running = 0;
        for (int block = 0; block < blocks; block++) {
            int total = scanBlockOffset[block];
            scanBlockOffset[block] = running;
            running += total;
        }
    }

    /** SCAN_ENTRIES: per block, each key's slice start, from the block's offset on. */
    private void scanEntryPass(int block) {
        int from = block * SCAN_BLOCK;
        int to = min(activeEntries(), from + SCAN_BLOCK);
        int running = scanBlockOffset[block];
        for (int key = from; key < to; key++) {
            contributionStart[key] = running;
            running += contributionCount[key];
        }
    }

    private void gatherPass(int key) {
        int d = encLayout[0];
        int features = encLayout[2];
        int table = 0;
        while (key >= tableEntryStart[table + 1]) {
            table++;
        }
        int level = table / (d + 1);
        int order = table - level * (d + 1);
        int entry = key - tableEntryStart[table];
        int coefficients = HermiteEncodingMath.countOfOrder(d, order) * features;
        int base = HermiteEncodingMath.tableOffset(encLayout, level, order) + entry * coefficients;
        for (int i = 0; i < coefficients; i++) {
            gradient[base + i] = 0.0;
        }
        int from = contributionStart[key];
        int to = from + contributionCount[key];
        contributionCount[key] = 0;   // zero again for the next step's COUNT
        // the atomics filled the slice in arbitrary order; sorted, it is in the Java backend's order
        if (to - from <= INSERTION_SORT_LIMIT) {
            insertionSortContributions(from, to);
        } else {
            heapSortContributions(from, to);
        }
        int corners = 1 << d;
        int pointSize = channelCount * encLayout[1] * features;
        for (int i = from; i < to; i++) {
            int contribution = contributions[i];
            int p = contribution / corners;
            int corner = contribution - p * corners;
            HermiteEncodingMath.backwardCorner(encLayout, encGeometry, gradient, 0, pointCoordinates, p * d, level,
                    order, corner, laplacianAxes, actBar, p * pointSize);
        }
    }

    private void insertionSortContributions(int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int value = contributions[i];
            int j = i - 1;
            while (j >= from && contributions[j] > value) {
                contributions[j + 1] = contributions[j];
                j--;
            }
            contributions[j + 1] = value;
        }
    }

    /**
     * Ascending heapsort of {@code contributions[from, to)}, in place and in O(m log m): coarse levels
     * give one entry thousands of contributions. The ids are distinct, so the sorted slice is unique.
     */
    private void heapSortContributions(int from, int to) {
        int size = to - from;
        for (int root = size / 2 - 1; root >= 0; root--) {
            siftDown(from, root, size);
        }
        for (int end = size - 1; end > 0; end--) {
            int largest = contributions[from];
            contributions[from] = contributions[from + end];
            contributions[from + end] = largest;
            siftDown(from, 0, end);
        }
    }

    /** Moves the heap's {@code root} down until both children are smaller (a max-heap at {@code base}). */
    private void siftDown(int base, int root, int size) {
        int value = contributions[base + root];
        int hole = root;
        int child = 2 * hole + 1;
        while (child < size) {
            if (child + 1 < size && contributions[base + child + 1] > contributions[base + child]) {
                child++;
            }
            if (contributions[base + child] > value) {
                contributions[base + hole] = contributions[base + child];
                hole = child;
                child = 2 * hole + 1;
            } else {
                child = size;   // in place: stop sinking
            }
        }
        contributions[base + hole] = value;
    }

    /**
     * ADAM: parameter {@code id}'s update within its segment, if any; a network weight then also
     * refreshes its transposed copy, so the next step needs no {@link #TRANSPOSE} launch.
     */
    private void adamPass(int id) {
        int s = 0;
        while (s < segments && !(id >= segmentRange[2 * s] && id < segmentRange[2 * s + 1])) {
            s++;
        }
        if (s < segments) {
            // AdamMath.update with the device's square root
            AdamMath.updateMoments(gradient, firstMoment, secondMoment, id, beta1, beta2);
            double root = sqrt(AdamMath.correctedSecondMoment(secondMoment, id, segmentFactors[3 * s + 2]));
            AdamMath.updateParameter(params, firstMoment, id, segmentFactors[3 * s], segmentFactors[3 * s + 1], root,
                    epsilon);
        }
        int parameter = id - networkStart();
        if (parameter >= 0 && parameter < networkCount()) {
            transposePass(parameter);
        }
    }

    /** NORM_CHUNKS: per chunk of {@link #NORM_CHUNK} gradient entries, their sum of squares. */
    private void normChunkPass(int chunk) {
        int from = chunk * NORM_CHUNK;
        int to = min(gradient.length, from + NORM_CHUNK);
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            sum += gradient[i] * gradient[i];
        }
        normPartials[chunk] = sum;
    }

    /** NORM_SUM, one work item: the chunks' sums in ascending order, and the square root. */
    private void normSumPass() {
        double sum = 0.0;
        for (int chunk = 0; chunk < normPartials.length; chunk++) {
            sum += normPartials[chunk];
        }
        norm[0] = sqrt(sum);
    }
}
