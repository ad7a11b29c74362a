package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import io.hermitengp.encoding.HermiteEncodingMath;
import io.hermitengp.loss.TermLossMath;
import io.hermitengp.network.SirenMath;
import io.hermitengp.optim.AdamMath;
import io.hermitengp.problem.ResidualMath;

/**
 * Every pass of a training step as one Aparapi kernel. Aparapi binds device buffers to one kernel
 * object, so the passes share a kernel and are selected by {@link #pass}; the arithmetic itself is
 * in {@link HermiteEncodingMath}, {@link SirenMath}, {@link ResidualMath}, {@link TermLossMath} and
 * {@link AdamMath}, the same code the Java backend runs. Buffers are explicit: parameters, gradient, Adam moments and work buffers stay
 * on the device, and the host puts and gets only what a step must move.
 *
 * <p>Passes, in the order a step runs them:
 * <ol>
 *   <li>{@link #TRANSPOSE}: network weights to {@code (in, out)} rows for the forward pass;</li>
 *   <li>{@link #POINT}: per point, encoding and SIREN forward with the derivative channels, then
 *       (when {@link #training} is 1) its term's residual in the term's {@link ResidualMath} form
 *       (components and partials into {@link #pointResidual} and {@link #pointPartials}), the
 *       point's loss and seeds ({@link TermLossMath#pointSeeds}), and the SIREN backward down to
 *       the encoding's adjoint;</li>
 *   <li>{@link #TERM_LOSS}: per loss term, the mean of its points' squared residuals, in point order;</li>
 *   <li>{@link #WEIGHT_GRADIENT}: per network parameter, its gradient summed over points in order;</li>
 *   <li>table gradients without float atomics: {@link #CLEAR_COUNTS}, {@link #COUNT} (contributions per
 *       table entry, int atomics), {@link #SCAN} (per table, an exclusive prefix sum), {@link #FILL}
 *       (contribution ids into per-entry slices, int atomics), {@link #GATHER} (per entry: sort its
 *       slice by contribution id = point * 2^d + corner, then sum in that order). The sum order is
 *       the Java backend's, so the result does not depend on scheduling;</li>
 *   <li>{@link #ADAM}: per parameter, one Adam update within its segment;</li>
 *   <li>{@link #NORM}: the gradient's Euclidean norm (grad-norm weighting).</li>
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
 * </pre>
 * The network layout array {@link #net}: {@code [0] K, [1+k] n_k (k = 0..K), [2+K+k] weight offset,
 * [2+2K+k] bias offset, [2+3K+k] cumIn, [2+4K+k] cumOut, [2+5K] network start in the buffer,
 * [3+5K] network parameter count} (offsets relative to the network start).
 */
public final class HermiteTrainingKernel extends Kernel {
    public static final int TRANSPOSE = 0;
    public static final int POINT = 1;
    public static final int TERM_LOSS = 2;
    public static final int WEIGHT_GRADIENT = 3;
    public static final int CLEAR_COUNTS = 4;
    public static final int COUNT = 5;
    public static final int SCAN = 6;
    public static final int FILL = 7;
    public static final int GATHER = 8;
    public static final int ADAM = 9;
    public static final int NORM = 10;

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
    double[] transposed;      // network weights transposed, network-relative offsets

    // Per step inputs.
    double[] pointCoordinates; // (cap, d)
    double[] pointData;        // (cap, dataStride): the per-point data of the point's residual
    int[] pointTerm;           // (cap)
    int[] termStart;           // (terms + 1)
    double[] termSeedScale;    // (terms): w_k * 2 / n_k (TermLossMath.seedScale)
    int[] segmentFrom;
    int[] segmentTo;
    double[] segmentRate;
    double[] segmentCorrection1;
    double[] segmentCorrection2;

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
    double[] norm;             // (1)
    int[] contributionCount;   // per entry key
    int[] contributionStart;   // per entry key
    int[] contributionCursor;  // per entry key
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
        } else if (pass == WEIGHT_GRADIENT) {
            weightGradientPass(id);
        } else if (pass == CLEAR_COUNTS) {
            contributionCount[id] = 0;
            contributionCursor[id] = 0;
        } else if (pass == COUNT) {
            bucketPass(id, false);
        } else if (pass == SCAN) {
            scanPass(id);
        } else if (pass == FILL) {
            bucketPass(id, true);
        } else if (pass == GATHER) {
            gatherPass(id);
        } else if (pass == ADAM) {
            adamPass(id);
        } else if (pass == NORM) {
            normPass();
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

    private void transposePass(int id) {
        int k = 0;
        while (k + 1 < layers() && id >= weightOffset(k + 1)) {
            k++;
        }
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

    private void weightGradientPass(int id) {
        int k = 0;
        while (k + 1 < layers() && id >= weightOffset(k + 1)) {
            k++;
        }
        int c = channelCount;
        int in = width(k);
        int out = width(k + 1);
        int zOffset = capacity * c * cumOut(k);
        int inLayer = id - weightOffset(k);
        if (inLayer < in * out) {
            int o = inLayer / in;
            int i = inLayer - o * in;
            gradient[networkStart() + id] = SirenMath.weightGradient(points, c, in, out, o, i, zBar, zOffset, act,
                    capacity * c * cumIn(k));
        } else {
            gradient[networkStart() + id] = SirenMath.biasGradient(points, c, out, inLayer - in * out, zBar, zOffset);
        }
    }

    /**
     * COUNT ({@code fill} false) and FILL ({@code fill} true): work item id is (point, level, order,
     * corner), corner fastest, level below activeLevels; its key is the table entry the corner touches.
     */
    private void bucketPass(int id, boolean fill) {
        int d = encLayout[0];
        int corners = 1 << d;
        int corner = id % corners;
        int order = id / corners % (d + 1);
        int level = id / corners / (d + 1) % activeLevels;
        int p = id / corners / (d + 1) / activeLevels;
        int key = tableEntryStart[level * (d + 1) + order]
                + HermiteEncodingMath.cornerEntry(encLayout, encGeometry, pointCoordinates, p * d, level, order, corner);
        if (fill) {
            int slot = contributionStart[key] + atomicAdd(contributionCursor, key, 1);
            contributions[slot] = p * corners + corner;
        } else {
            atomicAdd(contributionCount, key, 1);
        }
    }

    private void scanPass(int table) {
        int running = 0;
        for (int key = tableEntryStart[table]; key < tableEntryStart[table + 1]; key++) {
            contributionStart[key] = running + tableContributionBase(table);
            running += contributionCount[key];
        }
    }

    /** Contributions of all tables before this one: every table receives points * 2^d of them. */
    private int tableContributionBase(int table) {
        return table * points * (1 << encLayout[0]);
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
        // insertion sort of the slice: the atomics filled it in arbitrary order
        for (int i = from + 1; i < to; i++) {
            int value = contributions[i];
            int j = i - 1;
            while (j >= from && contributions[j] > value) {
                contributions[j + 1] = contributions[j];
                j--;
            }
            contributions[j + 1] = value;
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

    private void adamPass(int id) {
        int s = 0;
        while (s < segments && !(id >= segmentFrom[s] && id < segmentTo[s])) {
            s++;
        }
        if (s < segments) {
            // AdamMath.update with the device's square root
            AdamMath.updateMoments(gradient, firstMoment, secondMoment, id, beta1, beta2);
            double root = sqrt(AdamMath.correctedSecondMoment(secondMoment, id, segmentCorrection2[s]));
            AdamMath.updateParameter(params, firstMoment, id, segmentRate[s], segmentCorrection1[s], root, epsilon);
        }
    }

    private void normPass() {
        double sum = 0.0;
        for (int i = 0; i < gradient.length; i++) {
            sum += gradient[i] * gradient[i];
        }
        norm[0] = sqrt(sum);
    }
}
