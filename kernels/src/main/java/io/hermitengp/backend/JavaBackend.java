package io.hermitengp.backend;

import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.field.Channels;
import io.hermitengp.field.HermiteField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.LossSeeds;
import io.hermitengp.network.SirenActivations;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend: plain Java on a {@link WorkerPool}, in double precision.
 *
 * <p>A training step runs in two parallel phases. Phase 1 goes over chunks of points: encode,
 * network forward, residuals and their seeds, network backward down to the encoding's adjoint;
 * every point writes only its own rows. Phase 2 reduces over points: one task per active level
 * scatters that level's table gradients (points in order), and one task per block of output rows
 * of each layer sums that block's weight gradients (points in order). No float is ever added from
 * two threads, so the result is bit-identical for any number of threads.
 */
public final class JavaBackend implements TrainingBackend {
    private static final int POINT_GRAIN = 64;
    private static final int ROW_GRAIN = 16;

    private final HermiteField field;
    private final Problem problem;
    private final Channels channels;
    private final WorkerPool pool;
    private final int jetSize;
    private final int maxComponents;

    private double[] params = new double[0];
    private double[] gradient = new double[0];
    private double[] firstMoment = new double[0];
    private double[] secondMoment = new double[0];

    // Batch-wide work buffers, grown on demand.
    private int capacity;
    private double[] encoded;       // (n, C, L*F)
    private double[] dLdEncoded;    // (n, C, L*F)
    private double[] dLdOutput;     // (n, C, outputs)
    private double[] pointLoss;     // (n): sum_c r_c^2
    private SirenActivations acts;

    public JavaBackend(HermiteField field, Problem problem, int threads) {
        this.field = field;
        this.problem = problem;
        this.channels = problem.channels();
        this.pool = new WorkerPool(threads);
        this.jetSize = channels.count() * field.outputs();
        this.maxComponents = problem.terms().stream().mapToInt(t -> t.residual().components()).max().orElse(1);
    }

    @Override
    public String description() {
        return "java:threads=" + pool.threads();
    }

    public int threads() {
        return pool.threads();
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        int c = channels.count();
        encoded = new double[n * c * field.encoding().outputWidth()];
        dLdEncoded = new double[n * c * field.encoding().outputWidth()];
        dLdOutput = new double[n * jetSize];
        pointLoss = new double[n];
        acts = new SirenActivations(field.network(), n, c);
        capacity = n;
    }

    @Override
    public void setParameters(double[] newParams) {
        if (newParams.length != field.parameterCount()) {
            throw new IllegalArgumentException("expected " + field.parameterCount() + " parameters, got " + newParams.length);
        }
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
    public void computeGradient(CollocationBatch batch, double[] termWeights, int activeLevels, double[] termLosses) {
        lossAndGradient(params, batch, termWeights, activeLevels, termLosses, gradient);
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

    /**
     * The loss and gradient for explicit parameters, written into {@code gradient}: the
     * computation behind {@link #computeGradient}, open for gradient checks.
     */
    public void lossAndGradient(double[] params, CollocationBatch batch, double[] termWeights, int activeLevels,
                                double[] termLosses, double[] gradient) {
        int n = batch.size();
        ensureCapacity(n);
        List<LossTerm> terms = problem.terms();
        HermiteHashEncoding encoding = field.encoding();
        SirenNetwork network = field.network();
        int d = field.dims();
        double[] x = batch.points();
        double[] transposed = network.transposedWeights(params, field.networkOffset());

        pool.forRange(n, POINT_GRAIN, (from, to) -> {
            LossSeeds seeds = new LossSeeds(maxComponents, jetSize);
            double[] backwardScratch = new double[channels.count() * network.maxWidth()];
            int term = batch.termOf(from);
            for (int p = from; p < to; p++) {
                while (p >= batch.termStart()[term + 1]) {
                    term++;
                }
                encoding.forward(params, field.encodingOffset(), x, p * d, activeLevels, channels,
                        encoded, p * channels.count() * encoding.outputWidth());
                network.forward(params, field.networkOffset(), transposed, encoded, p, channels, acts);
                double seedScale = termWeights[term] * 2.0 / batch.termSize(term);
                pointLoss[p] = seeds.evaluate(terms.get(term).residual(), x, p * d, acts.output(), p * jetSize,
                        seedScale, dLdOutput, p * jetSize);
                network.backward(params, field.networkOffset(), p, channels, acts, dLdOutput, dLdEncoded,
                        backwardScratch);
            }
        });

        for (int k = 0; k < batch.terms(); k++) {
            double sum = 0;
            for (int p = batch.termStart()[k]; p < batch.termStart()[k + 1]; p++) {
                sum += pointLoss[p];
            }
            termLosses[k] = sum / batch.termSize(k);
        }

        Arrays.fill(gradient, 0.0);
        List<Runnable> reductions = new ArrayList<>();
        for (int level = 0; level < activeLevels; level++) {
            int l = level;
            reductions.add(() -> encoding.backwardLevel(l, x, n, channels, dLdEncoded, gradient,
                    field.encodingOffset()));
        }
        for (int k = 0; k < network.layers(); k++) {
            int layer = k;
            for (int row = 0; row < network.width(k); row += ROW_GRAIN) {
                int from = row;
                int to = Math.min(network.width(k), row + ROW_GRAIN);
                reductions.add(() -> network.accumulateWeightGradient(layer, from, to, n, channels, acts, encoded,
                        gradient, field.networkOffset()));
            }
        }
        pool.runAll(reductions);
    }

    @Override
    public void evaluate(double[] points, int n, Channels evalChannels, int activeLevels, double[] out) {
        evaluate(params, points, n, evalChannels, activeLevels, out);
    }

    /** Evaluates the field for explicit parameters. */
    public void evaluate(double[] params, double[] points, int n, Channels evalChannels, int activeLevels,
                         double[] out) {
        HermiteHashEncoding encoding = field.encoding();
        SirenNetwork network = field.network();
        int d = field.dims();
        int c = evalChannels.count();
        int outputs = field.outputs();
        int grain = 256;
        double[] transposed = network.transposedWeights(params, field.networkOffset());
        pool.forRange(n, grain, (from, to) -> {
            double[] enc = new double[c * encoding.outputWidth()];
            SirenActivations local = new SirenActivations(network, 1, c);
            for (int p = from; p < to; p++) {
                encoding.forward(params, field.encodingOffset(), points, p * d, activeLevels, evalChannels, enc, 0);
                network.forward(params, field.networkOffset(), transposed, enc, 0, evalChannels, local);
                System.arraycopy(local.output(), 0, out, p * c * outputs, c * outputs);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }
}
