package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import io.hermitengp.encoding.HermiteEncodingMath;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.SirenFloatMath;
import io.hermitengp.network.SirenMath;
import io.hermitengp.optim.AdamMath;
import io.hermitengp.optim.ParameterAverage;
import io.hermitengp.problem.ResidualMath;

/**
 * Every pass of a training step as one Aparapi kernel, over a batch of B fields of one
 * architecture. Aparapi binds device buffers to one kernel object, so the passes share a kernel
 * and are selected by {@link #pass}; the arithmetic itself is in {@link HermiteEncodingMath},
 * {@link SirenMath}, {@link ResidualMath}, {@link TermLossMath} and {@link AdamMath}, the same code
 * the Java backend runs. Buffers are explicit: parameters, gradient, Adam moments and work buffers
 * stay on the device, and the host puts and gets only what a step must move.
 *
 * <p><b>Fields and slots.</b> Each field's state (parameters, gradient, moments, average,
 * transposed weights, term constants, average decay) is a block of its own at
 * {@code field * stride}. A launch works on up to B <em>slots</em>: slot {@code s} works for field
 * {@link #slotTable}{@code [s, FIELD]} on {@link #slotTable}{@code [s, POINTS]} points with
 * {@code [s, LEVELS]} active levels, in slot {@code s}'s block of every work buffer (points,
 * activations, contributions, ...). A launch of {@code slots x itemsPerSlot} work items gives
 * item {@code id} to slot {@code s = id / itemsPerSlot}, as item {@code id - s * itemsPerSlot} of
 * that slot's pass; {@code itemsPerSlot} covers the largest slot, and a smaller slot's surplus
 * items return at once. Fields not in the slot table are not touched, so a field that stopped
 * keeps its numbers while the others train. A slot computes exactly what a batch of one computes
 * for its field, in the same order, so a field's bits do not depend on its batch.
 *
 * <p>Passes, in the order a step runs them (each per slot). Every reduction adds in an order fixed
 * by the indices alone, never by scheduling, so a step gives the same bits run to run:
 * <ol>
 *   <li>{@link #TRANSPOSE}: network weights to {@code (in, out)} rows for the forward pass, only
 *       after the host wrote parameters ({@link #ADAM} keeps the copy current otherwise);</li>
 *   <li>the network, in one of two shapes that compute the same sums in the same order:
 *       <ul>
 *         <li>{@link #POINT} (a CPU device): per point, the encoding and the SIREN forward with
 *             the derivative channels, then (when {@link #training} is 1) its term's residual in
 *             the term's {@link ResidualMath} form (components and partials into
 *             {@link #pointResidual} and {@link #pointPartials}), the point's loss and seeds
 *             ({@link TermLossMath#pointSeeds}), and the SIREN backward down to the encoding's
 *             adjoint, each layer's products one loop over the row;</li>
 *         <li>the layer passes (a GPU): {@link #ENCODE} per point; {@link #FORWARD}, one launch
 *             per layer ({@link #layer}), per (block of {@link SirenMath#UNIT_BLOCK} outputs,
 *             point), the block's products with its sums in registers and its activations (an
 *             evaluation stops after the last layer); {@link #SEED} per point; {@link #BACKWARD},
 *             one launch per layer from the last, per (block of inputs, point). A 128-wide layer
 *             gives points x 16 work items, where POINT gives points;</li>
 *       </ul></li>
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
 *       {@link #SCAN_BLOCK_OFFSETS} (one work item per slot: the totals' exclusive prefix) and
 *       {@link #SCAN_ENTRIES} (per block, each key's slice start); {@link #FILL} (contribution ids
 *       into per-entry slices, at the key and rank COUNT kept: no hashing, no atomics);
 *       {@link #GATHER} (per entry: sort its slice by contribution id = point * 2^d + corner, by
 *       insertion when short and by heapsort when long, then sum in that order, and zero the
 *       entry's count for the next step).
 *       Every table receives exactly points * 2^d contributions, so the one scan over all tables
 *       starts table t's slices at t * points * 2^d. The sum order is the Java backend's, so the
 *       result does not depend on scheduling. {@link #CLEAR_COUNTS} zeroes every slot's counts
 *       where a step did not finish;</li>
 *   <li>{@link #ADAM}: per parameter, one Adam update within its segment, and for a network
 *       weight its transposed copy;</li>
 *   <li>the gradient's Euclidean norm (grad-norm weighting): {@link #NORM_CHUNKS}, per chunk of
 *       {@link #NORM_CHUNK} entries, the sum of squares; {@link #NORM_SUM}, one work item per slot,
 *       the chunks' sums in order and the square root;</li>
 *   <li>{@link #AVERAGE}: per parameter, the running average folds in the new value
 *       ({@link ParameterAverage#fold}), so an EMA run moves no parameters to the host per step;</li>
 *   <li>{@link #STAGE_IN} and {@link #STAGE_OUT}: one field's block of a state buffer from or to
 *       {@link #staging}, so that the host reads and writes one field without moving the others'.</li>
 * </ol>
 *
 * <p><b>float32.</b> With {@link #floatNetwork} set, a training step rounds the encoded row to
 * float and runs the SIREN forward and backward in float ({@link SirenFloatMath}) on
 * {@link #networkFloat} and {@link #transposedFloat}, the weights rounded to float where
 * {@link #TRANSPOSE} and {@link #ADAM} write the double copy; the outputs are widened to double
 * for the residual and seeds, and the encoding's adjoint back to double for GATHER.
 * WEIGHT_GRADIENT_TILES sums each tile in float ({@link #actFloat}, {@link #zBarFloat}) into the
 * double tile rows. Everything else, and evaluation, is the float64 code.
 *
 * <p>Buffer layouts ({@code B} fields, {@code P} parameters per field, {@code cap} = points per
 * slot, {@code rows = B * cap}, point {@code p} of slot {@code s} is row {@code g = s * cap + p},
 * {@code C} = channel count):
 * <pre>
 *   params, gradient, firstMoment, secondMoment, average (B, P); transposed (B, network parameters)
 *   termConstants (B, constantStride); averageDecay (B); staging (P)
 *   slotTable (B, SLOT_COLUMNS): field, points, active levels, Adam segments
 *   pointCoordinates (rows, d); pointData (rows, dataStride); pointLoss, pointTerm (rows)
 *   termStart (B, terms + 1) slot-relative points; termSeedScale, termLoss (B, terms)
 *   pointResidual (rows, maxComponents); pointPartials (rows, maxComponents, C * outputs)
 *   act    blocks per layer input k: (rows, C, n_k) at rows*C*cumIn[k]  (block 0 is the encoding)
 *   actBar same layout as act (block 0 is dL/d encoding)
 *   z, zBar blocks per layer output k: (rows, C, n_{k+1}) at rows*C*cumOut[k]
 *   cosines blocks per layer output k: (rows, n_{k+1}) at rows*cumOut[k]
 *   output (rows, C, outputs)
 *   weightGradientTiles (B, tileStride, network parameters)
 *   contributionCount, contributionStart (B, entryCount); scanBlockOffset (B, scanStride)
 *   contributionKey, contributionRank (B, contributionStride): per COUNT work item of the slot
 *       ((p * activeLevels + level) * (d+1) + order) * 2^d + corner
 *   contributions (B, contributionStride): the slot's entries' slices back to back, table by table
 *   segmentRange (B, segmentCapacity, 2): first parameter, end (exclusive), field-relative
 *   adamFactors (B, 3 + 3 * segmentCapacity): beta1, beta2, epsilon, then per segment learning
 *       rate and bias corrections 1 - beta1^t, 1 - beta2^t
 *   normPartials (B, normChunks); norm (B)
 *   float32 only (one number each otherwise): networkFloat, transposedFloat as transposed;
 *       actFloat, actBarFloat, zFloat, zBarFloat, cosinesFloat as act, actBar, z, zBar, cosines
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
    public static final int STAGE_IN = 16;
    public static final int STAGE_OUT = 17;
    public static final int ENCODE = 18;
    public static final int FORWARD = 19;
    public static final int SEED = 20;
    public static final int BACKWARD = 21;

    /** Points per tile of {@link #WEIGHT_GRADIENT_TILES}: enough work per item, few tiles to sum. */
    public static final int GRADIENT_TILE = 128;
    /** Table entries per block of the contribution scan. */
    public static final int SCAN_BLOCK = 512;
    /** Gradient entries per partial sum of squares of {@link #NORM_CHUNKS}. */
    public static final int NORM_CHUNK = 2048;
    /** Slices up to this many contributions are sorted by insertion, longer ones by heapsort. */
    static final int INSERTION_SORT_LIMIT = 16;

    /** Columns of {@link #slotTable}: the slot's field, its points, its active levels, its Adam segments. */
    static final int SLOT_COLUMNS = 4;
    static final int SLOT_FIELD = 0;
    static final int SLOT_POINTS = 1;
    static final int SLOT_LEVELS = 2;
    static final int SLOT_SEGMENTS = 3;

    /** {@link #stageBuffer}: which field state buffer {@link #STAGE_IN} and {@link #STAGE_OUT} move. */
    static final int STAGE_PARAMS = 0;
    static final int STAGE_GRADIENT = 1;
    static final int STAGE_FIRST_MOMENT = 2;
    static final int STAGE_SECOND_MOMENT = 3;
    static final int STAGE_AVERAGE = 4;

    // Pass selection and sizes, set before each launch.
    int pass;
    /** Number of work items that do work; the launch may be padded beyond it. */
    int items;
    /** Work items per slot: {@code items = slots * itemsPerSlot}. */
    int itemsPerSlot;
    int laplacianAxes;
    /** The layer {@link #FORWARD} and {@link #BACKWARD} work on. */
    int layer;
    /** Points per block of units in a {@link #FORWARD} or {@link #BACKWARD} launch: its slot items are blocks x this. */
    int layerPoints;
    int channelCount;
    /** 1 for a training forward (residuals, seeds, backward), 0 for evaluation only. */
    int training;
    /**
     * 1 when the fields train in float32: a training step's SIREN part runs in float
     * ({@link SirenFloatMath}, the float buffers); 0 in float64. Fixed when the buffers are
     * allocated. Evaluation is double either way.
     */
    int floatNetwork;
    /** The field, the buffer ({@code STAGE_*}) and whether to write zeros, for {@link #STAGE_IN} and {@link #STAGE_OUT}. */
    int stageField;
    int stageBuffer;
    int stageZero;
    /**
     * An evaluation's field, points (all slots together) and active levels: every slot evaluates
     * the same field, slot {@code s} the chunk's points {@code s * capacity} on, so an evaluation
     * leaves the slot table as the last step left it.
     */
    int evaluationField;
    int evaluationPoints;
    int evaluationLevels;

    // Batch shape, fixed when the buffers are allocated.
    /** Points per slot. */
    int capacity;
    /** Rows of every per-point work buffer: slots x {@link #capacity}. */
    int rows;
    int terms;
    /** Numbers of per-point residual data per point ({@link #pointData}'s row length). */
    int dataStride;
    /** The most residual components of any term ({@link #pointResidual}'s row length). */
    int maxComponents;
    /** Parameters of one field, P. */
    int parameterCount;
    /** Term constants of one field ({@link #termConstants}' row length). */
    int constantStride;
    /** Table entry keys of one field, all levels. */
    int entryCount;
    /** Contributions a slot can hold: capacity x tables x 2^d. */
    int contributionStride;
    /** Scan blocks per slot: ceil(entryCount / SCAN_BLOCK). */
    int scanStride;
    /** Weight-gradient tiles per slot: ceil(capacity / GRADIENT_TILE). */
    int tileStride;
    /** Partial sums of squares per field: ceil(P / NORM_CHUNK). */
    int normChunks;
    /** Adam segments a slot can hold (levels + 1). */
    int segmentCapacity;

    // Constant descriptions, shared by the batch.
    int[] encLayout;          // HermiteEncodingMath layout
    double[] encGeometry;     // HermiteEncodingMath geometry
    int[] net;                // network layout, see class comment
    double[] omegas;          // per layer
    int[] tableEntryStart;    // per table (level * (d+1) + order): first entry key; one extra at the end
    int[] termKind;            // (terms): the residual's ResidualMath form
    int[] termComponents;      // (terms): its residual components
    int[] termConstantStart;   // (terms): where its constants start in a field's row of termConstants

    // Per field (B blocks): parameters, optimizer state and the field's own constants (stay on the device).
    double[] termConstants;    // (B, constantStride): every term's ResidualMath constants, one after another
    double[] params;           // (B, P)
    double[] gradient;         // (B, P)
    double[] firstMoment;      // (B, P)
    double[] secondMoment;     // (B, P)
    double[] average;          // (B, P): the parameters' running average (AVERAGE)
    double[] averageDecay;     // (B)
    double[] transposed;       // (B, network parameters): network weights transposed, network-relative offsets
    double[] staging;          // (P): one field's block on its way to or from the host
    float[] networkFloat;      // (B, network parameters): the network's weights and biases rounded to float; float32 only
    float[] transposedFloat;   // (B, network parameters): transposed rounded to float; float32 only

    // Per launch inputs, per slot.
    int[] slotTable;           // (B, SLOT_COLUMNS)
    double[] pointCoordinates; // (rows, d)
    double[] pointData;        // (rows, dataStride): the per-point data of the point's residual
    int[] pointTerm;           // (rows)
    int[] termStart;           // (B, terms + 1)
    double[] termSeedScale;    // (B, terms): w_k * 2 / n_k (TermLossMath.seedScale)
    int[] segmentRange;        // (B, segmentCapacity, 2)
    double[] adamFactors;      // (B, 3 + 3 * segmentCapacity)

    // Work buffers, per slot.
    double[] act;
    double[] actBar;
    double[] z;
    double[] zBar;
    double[] cosines;
    double[] output;
    // float32's SIREN work buffers, the layouts of act, actBar, z, zBar and cosines (one number each in float64)
    float[] actFloat;
    float[] actBarFloat;
    float[] zFloat;
    float[] zBarFloat;
    float[] cosinesFloat;
    double[] pointLoss;
    double[] pointResidual;    // (rows, maxComponents)
    double[] pointPartials;    // (rows, maxComponents, C * outputs)
    double[] termLoss;         // (B, terms)
    double[] weightGradientTiles; // (B, tileStride, network parameters) row-major
    double[] normPartials;     // (B, normChunks): sums of squares per chunk
    double[] norm;             // (B)
    int[] contributionCount;   // (B, entryCount); zero between steps (GATHER clears what COUNT counted)
    int[] contributionStart;   // (B, entryCount): each key's slice start within the slot's block
    int[] contributionKey;     // (B, contributionStride) per COUNT work item: the entry key it touches
    int[] contributionRank;    // (B, contributionStride) per COUNT work item: its place in the key's slice
    int[] scanBlockOffset;     // (B, scanStride): block totals, then their exclusive prefix
    int[] contributions;       // (B, contributionStride): slices of contribution ids

    @Override
    public void run() {
        int id = getGlobalId();
        if (id >= items) {
            return;
        }
        int s = id / itemsPerSlot;
        int item = id - s * itemsPerSlot;
        if (pass == POINT) {
            pointPass(s, item);
        } else if (pass == ENCODE) {
            encodePass(s, item);
        } else if (pass == FORWARD) {
            forwardPass(s, item);
        } else if (pass == SEED) {
            seedPass(s, item);
        } else if (pass == BACKWARD) {
            backwardPass(s, item);
        } else if (pass == TRANSPOSE) {
            transposePass(slotField(s), item);
        } else if (pass == TERM_LOSS) {
            termLossPass(s, item);
        } else if (pass == WEIGHT_GRADIENT_TILES) {
            weightGradientTilePass(s, item);
        } else if (pass == WEIGHT_GRADIENT_SUM) {
            weightGradientSumPass(s, item);
        } else if (pass == CLEAR_COUNTS) {
            contributionCount[id] = 0;
        } else if (pass == COUNT) {
            countPass(s, item);
        } else if (pass == SCAN_BLOCKS) {
            scanBlockPass(s, item);
        } else if (pass == SCAN_BLOCK_OFFSETS) {
            scanBlockOffsetPass(s);
        } else if (pass == SCAN_ENTRIES) {
            scanEntryPass(s, item);
        } else if (pass == FILL) {
            fillPass(s, item);
        } else if (pass == GATHER) {
            gatherPass(s, item);
        } else if (pass == ADAM) {
            adamPass(s, item);
        } else if (pass == NORM_CHUNKS) {
            normChunkPass(s, item);
        } else if (pass == NORM_SUM) {
            normSumPass(s);
        } else if (pass == AVERAGE) {
            int f = slotField(s);
            ParameterAverage.fold(average, params, f * parameterCount + item, averageDecay[f]);
        } else if (pass == STAGE_IN) {
            stageInPass(id);
        } else if (pass == STAGE_OUT) {
            stageOutPass(id);
        }
    }

    private int slotField(int s) {
        return slotTable[s * SLOT_COLUMNS + SLOT_FIELD];
    }

    private int slotPoints(int s) {
        return slotTable[s * SLOT_COLUMNS + SLOT_POINTS];
    }

    private int slotLevels(int s) {
        return slotTable[s * SLOT_COLUMNS + SLOT_LEVELS];
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

    /** TRANSPOSE: field {@code f}'s network parameter {@code id}, if it is a weight, to its transposed place. */
    private void transposePass(int f, int id) {
        int k = layerOf(id);
        int in = width(k);
        int out = width(k + 1);
        int inLayer = id - weightOffset(k);
        if (inLayer < in * out) {
            SirenMath.transposeWeight(params, f * parameterCount + networkStart() + weightOffset(k), transposed,
                    f * networkCount() + weightOffset(k), in, out, inLayer);
        }
        if (floatNetwork == 1) {
            // the weights rounded once per update, as the CPU's float32 path rounds them once per step
            networkFloat[f * networkCount() + id] = (float) params[f * parameterCount + networkStart() + id];
            if (inLayer < in * out) {
                SirenFloatMath.transposeWeight(networkFloat, f * networkCount() + weightOffset(k), transposedFloat,
                        f * networkCount() + weightOffset(k), in, out, inLayer);
            }
        }
    }

    /** Points the launch's slot {@code s} covers: its batch in training, its share of the chunk in evaluation. */
    private int launchPoints(int s) {
        return training == 1 ? slotPoints(s) : min(capacity, evaluationPoints - s * capacity);
    }

    /** The field slot {@code s} works for in this launch. */
    private int launchField(int s) {
        return training == 1 ? slotField(s) : evaluationField;
    }

    /** 1 when this launch runs the SIREN in float: a training launch of a float32 batch. */
    private int floatLaunch() {
        return training == 1 && floatNetwork == 1 ? 1 : 0;
    }

    /**
     * POINT: point {@code p} of slot {@code s} through the whole network in one work item: its
     * encoding, every layer forward, and in training its seeds and every layer backward, each
     * layer's products as one loop over the row ({@link SirenMath#linearForward},
     * {@link SirenMath#linearBackward}). The shape for a CPU device.
     */
    private void pointPass(int s, int p) {
        if (p >= launchPoints(s)) {
            return;
        }
        int g = s * capacity + p;
        int f = launchField(s);
        encodePoint(s, g);
        int last = layers() - 1;
        for (int k = 0; k <= last; k++) {
            forwardUnits(g, f, k, 0, width(k + 1));
        }
        if (training == 1) {
            seedPoint(s, g);
            for (int k = last; k >= 0; k--) {
                backwardUnits(g, f, k, 0, width(k));
            }
        }
    }

    /** ENCODE: point {@code p} of slot {@code s}, its encoding ({@link #encodePoint}). */
    private void encodePass(int s, int p) {
        if (p < launchPoints(s)) {
            encodePoint(s, s * capacity + p);
        }
    }

    /**
     * Row {@code g}'s encoding, every active level of slot {@code s}'s field, into {@link #act}'s
     * block 0, and in a float launch rounded to {@link #actFloat}.
     */
    private void encodePoint(int s, int g) {
        int d = encLayout[0];
        int width = channelCount * encLayout[1] * encLayout[2];
        int encodingOffset = g * width;
        for (int i = 0; i < width; i++) {
            act[encodingOffset + i] = 0.0;
        }
        int activeLevels = training == 1 ? slotLevels(s) : evaluationLevels;
        for (int level = 0; level < activeLevels; level++) {
            HermiteEncodingMath.forwardLevel(encLayout, encGeometry, params, launchField(s) * parameterCount,
                    pointCoordinates, g * d, level, laplacianAxes, act, encodingOffset);
        }
        if (floatLaunch() == 1) {
            for (int i = 0; i < width; i++) {
                actFloat[encodingOffset + i] = (float) act[encodingOffset + i];
            }
        }
    }

    /**
     * FORWARD of layer {@link #layer}: slot item {@code block * layerPoints + point} computes the
     * block's {@link SirenMath#UNIT_BLOCK} outputs of the point's row ({@link #forwardUnits}). Neighbouring items are neighbouring points of one
     * block: they read the same weights.
     */
    private void forwardPass(int s, int item) {
        int k = layer;
        int out = width(k + 1);
        int block = item / layerPoints;
        int p = item - block * layerPoints;
        if (p >= launchPoints(s)) {
            return;
        }
        int from = block * SirenMath.UNIT_BLOCK;
        forwardUnits(s * capacity + p, launchField(s), k, from, min(out, from + SirenMath.UNIT_BLOCK));
    }

    /**
     * Layer {@code k}'s outputs {@code [from, to)} of row {@code g}, field {@code f}, every channel:
     * the products (the row's loop when they are the whole layer, one block's otherwise: the same
     * sums in the same order), then their sine activations, or on the last layer the outputs' copy
     * to {@link #output} (and in float to {@link #z}, widened, for the residual). A float launch
     * runs it in float on the float copies of the weights.
     */
    private void forwardUnits(int g, int f, int k, int from, int to) {
        int c = channelCount;
        int in = width(k);
        int out = width(k + 1);
        int aOffset = rows * c * cumIn(k) + g * c * in;
        int zOffset = rows * c * cumOut(k) + g * c * out;
        int isFloat = floatLaunch();
        if (isFloat == 1) {
            int base = f * networkCount();
            if (to - from == out) {
                SirenFloatMath.linearForward(networkFloat, base + biasOffset(k), transposedFloat,
                        base + weightOffset(k), in, out, c, actFloat, aOffset, zFloat, zOffset);
            } else {
                SirenFloatMath.linearForwardBlock(networkFloat, base + biasOffset(k), transposedFloat,
                        base + weightOffset(k), in, out, c, actFloat, aOffset, zFloat, zOffset, from);
            }
        } else {
            int bias = f * parameterCount + networkStart() + biasOffset(k);
            int weights = f * networkCount() + weightOffset(k);
            if (to - from == out) {
                SirenMath.linearForward(params, bias, transposed, weights, in, out, c, act, aOffset, z, zOffset);
            } else {
                SirenMath.linearForwardBlock(params, bias, transposed, weights, in, out, c, act, aOffset, z, zOffset,
                        from);
            }
        }
        if (k == layers() - 1) {
            for (int ch = 0; ch < c; ch++) {
                for (int o = from; o < to; o++) {
                    if (isFloat == 1) {
                        z[zOffset + ch * out + o] = zFloat[zOffset + ch * out + o];
                    }
                    output[g * c * out + ch * out + o] = z[zOffset + ch * out + o];
                }
            }
            return;
        }
        int nextOffset = rows * c * cumIn(k + 1) + g * c * out;
        int cosOffset = rows * cumOut(k) + g * out;
        if (isFloat == 1) {
            // w z carried as x + e (e: the float product's rounding error, and w's own beyond float),
            // sine and cosine corrected to first order in e, as the CPU's float32 path carries it
            float w = (float) omegas[k];
            float wLow = (float) (omegas[k] - w);
            for (int o = from; o < to; o++) {
                float zo = zFloat[zOffset + o];
                float x = w * zo;
                float e = fma(w, zo, -x) + wLow * zo;
                float sx = sin(x);
                float cx = cos(x);
                float sine = fma(e, cx, sx);
                float co = fma(-e, sx, cx);
                cosinesFloat[cosOffset + o] = co;
                SirenFloatMath.sineForwardUnit(zFloat, zOffset, actFloat, nextOffset, out, o, encLayout[0],
                        laplacianAxes, w, sine, co);
            }
            return;
        }
        double w = omegas[k];
        for (int o = from; o < to; o++) {
            double sine = sin(w * z[zOffset + o]);
            double co = cos(w * z[zOffset + o]);
            cosines[cosOffset + o] = co;
            SirenMath.sineForwardUnit(z, zOffset, act, nextOffset, out, o, encLayout[0], laplacianAxes, w, sine, co);
        }
    }

    /** SEED: point {@code p} of slot {@code s}, its residual, loss and seeds ({@link #seedPoint}). */
    private void seedPass(int s, int p) {
        if (p < slotPoints(s)) {
            seedPoint(s, s * capacity + p);
        }
    }

    /**
     * Row {@code g}'s residual in its term's {@link ResidualMath} form on the outputs' jet
     * (components and partials into {@link #pointResidual} and {@link #pointPartials}), its loss
     * into {@link #pointLoss} and its seeds into {@link #zBar}'s last block ({@link
     * TermLossMath#pointSeeds}), rounded to {@link #zBarFloat} for a float backward.
     */
    private void seedPoint(int s, int g) {
        int f = slotField(s);
        int jet = channelCount * width(layers());
        int lastOffset = rows * channelCount * cumOut(layers() - 1) + g * jet;
        int term = pointTerm[g];
        int kind = termKind[term];
        int constants = f * constantStride + termConstantStart[term];
        int rOffset = g * maxComponents;
        int partialsOffset = rOffset * jet;
        double root = sqrt(ResidualMath.radicand(kind, termConstants, constants, z, lastOffset));
        ResidualMath.evaluate(kind, termComponents[term], jet, termConstants, constants, pointData,
                g * dataStride, z, lastOffset, root, pointResidual, rOffset, pointPartials, partialsOffset);
        pointLoss[g] = TermLossMath.pointSeeds(termSeedScale[s * terms + term], termComponents[term], jet,
                pointResidual, rOffset, pointPartials, partialsOffset, zBar, lastOffset);
        if (floatLaunch() == 1) {
            for (int j = 0; j < jet; j++) {
                zBarFloat[lastOffset + j] = (float) zBar[lastOffset + j];
            }
        }
    }

    /**
     * BACKWARD of layer {@link #layer} (training only): slot item {@code block * layerPoints + point}
     * computes the adjoints of the block's {@link SirenMath#UNIT_BLOCK} inputs of the point's row
     * ({@link #backwardUnits}).
     */
    private void backwardPass(int s, int item) {
        int k = layer;
        int in = width(k);
        int block = item / layerPoints;
        int p = item - block * layerPoints;
        if (p >= slotPoints(s)) {
            return;
        }
        int from = block * SirenMath.UNIT_BLOCK;
        backwardUnits(s * capacity + p, slotField(s), k, from, min(in, from + SirenMath.UNIT_BLOCK));
    }

    /**
     * Layer {@code k}'s inputs {@code [from, to)} of row {@code g}, field {@code f}, every channel:
     * their adjoints (the row's loop or one block's, as {@link #forwardUnits}), then for a hidden
     * layer those units' pre-activation adjoints in the layer below; in float, layer 0's adjoints,
     * the encoding's, are widened to {@link #actBar} for GATHER.
     */
    private void backwardUnits(int g, int f, int k, int from, int to) {
        int c = channelCount;
        int in = width(k);
        int out = width(k + 1);
        int aOffset = rows * c * cumIn(k) + g * c * in;
        int zOffset = rows * c * cumOut(k) + g * c * out;
        int isFloat = floatLaunch();
        if (isFloat == 1) {
            int weights = f * networkCount() + weightOffset(k);
            if (to - from == in) {
                SirenFloatMath.linearBackward(networkFloat, weights, in, out, c, zBarFloat, zOffset, actBarFloat,
                        aOffset);
            } else {
                SirenFloatMath.linearBackwardBlock(networkFloat, weights, in, out, c, zBarFloat, zOffset, actBarFloat,
                        aOffset, from);
            }
        } else {
            int weights = f * parameterCount + networkStart() + weightOffset(k);
            if (to - from == in) {
                SirenMath.linearBackward(params, weights, in, out, c, zBar, zOffset, actBar, aOffset);
            } else {
                SirenMath.linearBackwardBlock(params, weights, in, out, c, zBar, zOffset, actBar, aOffset, from);
            }
        }
        if (k == 0) {
            if (isFloat == 1) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = from; i < to; i++) {
                        actBar[aOffset + ch * in + i] = actBarFloat[aOffset + ch * in + i];
                    }
                }
            }
            return;
        }
        int previousZ = rows * c * cumOut(k - 1) + g * c * in;
        int cosOffset = rows * cumOut(k - 1) + g * in;
        if (isFloat == 1) {
            float w = (float) omegas[k - 1];
            for (int o = from; o < to; o++) {
                SirenFloatMath.sineBackwardUnit(zFloat, previousZ, actBarFloat, aOffset, zBarFloat, previousZ, in, o,
                        encLayout[0], laplacianAxes, w, actFloat[aOffset + o], cosinesFloat[cosOffset + o]);
            }
            return;
        }
        double w = omegas[k - 1];
        for (int o = from; o < to; o++) {
            SirenMath.sineBackwardUnit(z, previousZ, actBar, aOffset, zBar, previousZ, in, o, encLayout[0],
                    laplacianAxes, w, act[aOffset + o], cosines[cosOffset + o]);
        }
    }

    /** TERM_LOSS: term {@code k} of slot {@code s}, over the slot's rows of the term. */
    private void termLossPass(int s, int k) {
        int starts = s * (terms + 1);
        int first = s * capacity;
        termLoss[s * terms + k] = TermLossMath.termLoss(pointLoss, first + termStart[starts + k],
                first + termStart[starts + k + 1]);
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
     * WEIGHT_GRADIENT_TILES: slot item {@code id = tile * (sum_k gradientItems(k)) + item}, where a
     * layer's items are {@code (column block, row block)}, row block fastest, for the weight blocks
     * and then one per output row for the biases: neighbouring items read the same columns of the
     * activations and neighbouring rows of zBar. Writes the sums of its weights (or bias) over the
     * tile's points, in ascending order, to the tile's row of {@link #weightGradientTiles}.
     */
    private void weightGradientTilePass(int s, int id) {
        int perTile = 0;
        for (int k = 0; k < layers(); k++) {
            perTile += gradientItems(k);
        }
        int tile = id / perTile;
        int points = slotPoints(s);
        if (tile * GRADIENT_TILE >= points) {
            return;
        }
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
        int first = s * capacity;
        int from = first + tile * GRADIENT_TILE;
        int to = first + min(points, tile * GRADIENT_TILE + GRADIENT_TILE);
        int zOffset = rows * c * cumOut(k);
        int tileRow = (s * tileStride + tile) * networkCount();
        if (item < rowBlocks * blocks) {
            int block = item / rowBlocks;
            int o = (item - block * rowBlocks) * SirenMath.GRADIENT_BLOCK_ROWS;
            int i0 = block * SirenMath.GRADIENT_BLOCK;
            if (floatLaunch() == 1) {
                SirenFloatMath.weightGradientBlock(from, to, c, in, out, o, i0, zBarFloat, zOffset, actFloat,
                        rows * c * cumIn(k), weightGradientTiles, tileRow + weightOffset(k) + o * in + i0);
            } else {
                SirenMath.weightGradientBlock(from, to, c, in, out, o, i0, zBar, zOffset, act, rows * c * cumIn(k),
                        weightGradientTiles, tileRow + weightOffset(k) + o * in + i0);
            }
        } else {
            int o = item - rowBlocks * blocks;
            weightGradientTiles[tileRow + biasOffset(k) + o] = floatLaunch() == 1
                    ? SirenFloatMath.biasGradient(from, to, c, out, o, zBarFloat, zOffset)
                    : SirenMath.biasGradient(from, to, c, out, o, zBar, zOffset);
        }
    }

    /** WEIGHT_GRADIENT_SUM: per network parameter, the slot's tiles' sums added in ascending tile order. */
    private void weightGradientSumPass(int s, int parameter) {
        int tiles = (slotPoints(s) + GRADIENT_TILE - 1) / GRADIENT_TILE;
        double sum = 0.0;
        for (int tile = 0; tile < tiles; tile++) {
            sum += weightGradientTiles[(s * tileStride + tile) * networkCount() + parameter];
        }
        gradient[slotField(s) * parameterCount + networkStart() + parameter] = sum;
    }

    /** Contributions slot {@code s} makes: points x active tables x 2^d. */
    private int slotContributions(int s) {
        int d = encLayout[0];
        return slotPoints(s) * slotLevels(s) * (d + 1) * (1 << d);
    }

    /**
     * COUNT: slot item id is a (point, level, order, corner) contribution, corner fastest, level
     * below the slot's active levels; its key is the table entry the corner touches. Counts the
     * key's contributions and keeps the key and the count before this one (the contribution's rank
     * among the key's, in whatever order the atomics ran) for FILL.
     */
    private void countPass(int s, int id) {
        if (id >= slotContributions(s)) {
            return;
        }
        int d = encLayout[0];
        int activeLevels = slotLevels(s);
        int corners = 1 << d;
        int corner = id % corners;
        int order = id / corners % (d + 1);
        int level = id / corners / (d + 1) % activeLevels;
        int p = id / corners / (d + 1) / activeLevels;
        int key = tableEntryStart[level * (d + 1) + order] + HermiteEncodingMath.cornerEntry(encLayout, encGeometry,
                pointCoordinates, (s * capacity + p) * d, level, order, corner);
        contributionKey[s * contributionStride + id] = key;
        contributionRank[s * contributionStride + id] = atomicAdd(contributionCount, s * entryCount + key, 1);
    }

    /**
     * FILL: contribution {@code id} (COUNT's numbering) to its place in its key's slice, as the
     * id {@code point * 2^d + corner} that GATHER sorts by.
     */
    private void fillPass(int s, int id) {
        if (id >= slotContributions(s)) {
            return;
        }
        int d = encLayout[0];
        int corners = 1 << d;
        int p = id / corners / (d + 1) / slotLevels(s);
        int corner = id % corners;
        int slice = contributionStart[s * entryCount + contributionKey[s * contributionStride + id]];
        contributions[s * contributionStride + slice + contributionRank[s * contributionStride + id]]
                = p * corners + corner;
    }

    /** Table entries of slot {@code s}'s active levels: the keys COUNT, the scan and GATHER cover. */
    private int activeEntries(int s) {
        return tableEntryStart[slotLevels(s) * (encLayout[0] + 1)];
    }

    /** SCAN_BLOCKS: per block of {@link #SCAN_BLOCK} keys, its total count of contributions. */
    private void scanBlockPass(int s, int block) {
        int from = block * SCAN_BLOCK;
        int to = min(activeEntries(s), from + SCAN_BLOCK);
        if (from >= to) {
            return;
        }
        int total = 0;
        for (int key = from; key < to; key++) {
            total += contributionCount[s * entryCount + key];
        }
        scanBlockOffset[s * scanStride + block] = total;
    }

    /** SCAN_BLOCK_OFFSETS, one work item per slot: the block totals become their exclusive prefix, in place. */
    private void scanBlockOffsetPass(int s) {
        int blocks = (activeEntries(s) + SCAN_BLOCK - 1) / SCAN_BLOCK;
        int running = 0;
        for (int block = 0; block < blocks; block++) {
            int total = scanBlockOffset[s * scanStride + block];
            scanBlockOffset[s * scanStride + block] = running;
            running += total;
        }
    }

    /** SCAN_ENTRIES: per block, each key's slice start, from the block's offset on. */
    private void scanEntryPass(int s, int block) {
        int from = block * SCAN_BLOCK;
        int to = min(activeEntries(s), from + SCAN_BLOCK);
        if (from >= to) {
            return;
        }
        int running = scanBlockOffset[s * scanStride + block];
        for (int key = from; key < to; key++) {
            contributionStart[s * entryCount + key] = running;
            running += contributionCount[s * entryCount + key];
        }
    }

    private void gatherPass(int s, int key) {
        if (key >= activeEntries(s)) {
            return;
        }
        int paramBase = slotField(s) * parameterCount;
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
        int base = paramBase + HermiteEncodingMath.tableOffset(encLayout, level, order) + entry * coefficients;
        for (int i = 0; i < coefficients; i++) {
            gradient[base + i] = 0.0;
        }
        int from = s * contributionStride + contributionStart[s * entryCount + key];
        int to = from + contributionCount[s * entryCount + key];
        contributionCount[s * entryCount + key] = 0;   // zero again for the next step's COUNT
        // the atomics filled the slice in arbitrary order; sorted, it is in the Java backend's order
        if (to - from <= INSERTION_SORT_LIMIT) {
            insertionSortContributions(from, to);
        } else {
            heapSortContributions(from, to);
        }
        int corners = 1 << d;
        int pointSize = channelCount * encLayout[1] * features;
        int first = s * capacity;
        for (int i = from; i < to; i++) {
            int contribution = contributions[i];
            int p = contribution / corners;
            int corner = contribution - p * corners;
            HermiteEncodingMath.backwardCorner(encLayout, encGeometry, gradient, paramBase, pointCoordinates,
                    (first + p) * d, level, order, corner, laplacianAxes, actBar, (first + p) * pointSize);
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
     * ADAM: the slot's field's parameter {@code id}, updated within its segment of the slot's table,
     * if any; a network weight then also refreshes its transposed copy, so the next step needs no
     * {@link #TRANSPOSE} launch.
     */
    private void adamPass(int s, int id) {
        int f = slotField(s);
        int segments = slotTable[s * SLOT_COLUMNS + SLOT_SEGMENTS];
        int ranges = s * 2 * segmentCapacity;
        int factors = s * (3 + 3 * segmentCapacity);
        int seg = 0;
        while (seg < segments && !(id >= segmentRange[ranges + 2 * seg] && id < segmentRange[ranges + 2 * seg + 1])) {
            seg++;
        }
        if (seg < segments) {
            int i = f * parameterCount + id;
            int factor = factors + 3 + 3 * seg;
            // AdamMath.update with the device's square root
            AdamMath.updateMoments(gradient, firstMoment, secondMoment, i, adamFactors[factors],
                    adamFactors[factors + 1]);
            double root = sqrt(AdamMath.correctedSecondMoment(secondMoment, i, adamFactors[factor + 2]));
            AdamMath.updateParameter(params, firstMoment, i, adamFactors[factor], adamFactors[factor + 1], root,
                    adamFactors[factors + 2]);
        }
        int parameter = id - networkStart();
        if (parameter >= 0 && parameter < networkCount()) {
            transposePass(f, parameter);
        }
    }

    /** NORM_CHUNKS: per chunk of {@link #NORM_CHUNK} entries of the slot's field's gradient, their sum of squares. */
    private void normChunkPass(int s, int chunk) {
        int base = slotField(s) * parameterCount;
        int from = chunk * NORM_CHUNK;
        int to = min(parameterCount, from + NORM_CHUNK);
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            sum += gradient[base + i] * gradient[base + i];
        }
        normPartials[s * normChunks + chunk] = sum;
    }

    /** NORM_SUM, one work item per slot: the chunks' sums in ascending order, and the square root. */
    private void normSumPass(int s) {
        double sum = 0.0;
        for (int chunk = 0; chunk < normChunks; chunk++) {
            sum += normPartials[s * normChunks + chunk];
        }
        norm[s] = sqrt(sum);
    }

    /** STAGE_IN: {@link #staging}{@code [i]} (or zero) to the chosen buffer of field {@link #stageField}. */
    private void stageInPass(int i) {
        int target = stageField * parameterCount + i;
        double value = stageZero == 1 ? 0.0 : staging[i];
        if (stageBuffer == STAGE_PARAMS) {
            params[target] = value;
        } else if (stageBuffer == STAGE_GRADIENT) {
            gradient[target] = value;
        } else if (stageBuffer == STAGE_FIRST_MOMENT) {
            firstMoment[target] = value;
        } else if (stageBuffer == STAGE_SECOND_MOMENT) {
            secondMoment[target] = value;
        } else if (stageBuffer == STAGE_AVERAGE) {
            average[target] = value;
        }
    }

    /** STAGE_OUT: the chosen buffer of field {@link #stageField} to {@link #staging}{@code [i]}. */
    private void stageOutPass(int i) {
        int source = stageField * parameterCount + i;
        if (stageBuffer == STAGE_PARAMS) {
            staging[i] = params[source];
        } else if (stageBuffer == STAGE_GRADIENT) {
            staging[i] = gradient[source];
        } else if (stageBuffer == STAGE_FIRST_MOMENT) {
            staging[i] = firstMoment[source];
        } else if (stageBuffer == STAGE_SECOND_MOMENT) {
            staging[i] = secondMoment[source];
        } else if (stageBuffer == STAGE_AVERAGE) {
            staging[i] = average[source];
        }
    }
}
