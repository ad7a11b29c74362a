package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.field.NeuralField;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.optim.ExponentialDecay;
import io.hermitengp.problem.FinalMetrics;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains one field on one problem.
 *
 * <p>Each step: the curriculum fixes the active levels; every {@code resample_every} steps a new
 * batch is drawn from a generator seeded by {@code (seed, resample index)}; with grad-norm
 * weighting the weights are updated every {@code update_every} steps; the backend computes the
 * losses and gradient; Adam updates each active level's tables (with the tables' learning rate
 * and that level's own step count) and the network (with its own learning rate), both rates
 * decaying exponentially with the global step. The error is measured every {@code eval_every}
 * steps and at the end. Given the seed and the backend, the run is bit-for-bit reproducible
 * (a {@code max_seconds} budget only decides where it stops).
 */
public final class Trainer {
    private final TrainConfig config;
    private final Problem problem;
    private final NeuralField field;
    private final TrainingBackend backend;
    private final ProgressListener listener;
    private LossCurveBuffer lastLossCurve;   // the latest run's, for tests of its memory

    public Trainer(TrainConfig config, Problem problem, NeuralField field, TrainingBackend backend,
                   ProgressListener listener) {
        this.config = config;
        this.problem = problem;
        this.field = field;
        this.backend = backend;
        this.listener = listener;
    }

    /**
     * The Adam segments of one step: each active level's tables with the tables' learning rate and
     * that level's own update count, then the network with its rate and count.
     */
    public static List<AdamSegment> adamSegments(NeuralField field, int activeLevels, long[] levelSteps,
                                                 double tableRate, long networkStep, double networkRate) {
        HermiteGridLayout layout = field.encoding().layout();
        List<AdamSegment> segments = new ArrayList<>(activeLevels + 1);
        for (int l = 0; l < activeLevels; l++) {
            segments.add(new AdamSegment(field.encodingOffset() + layout.levelStart(l),
                    field.encodingOffset() + layout.levelEnd(l), tableRate, levelSteps[l]));
        }
        segments.add(new AdamSegment(field.networkOffset(), field.parameterCount(), networkRate, networkStep));
        return segments;
    }

    /** The generator of the r-th batch of a run: a SplitMix64 mix of the seed and r. */
    static SplittableRandom batchRandom(long seed, long resampleIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (resampleIndex + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    public TrainingResult train() {
        TrainConfig.Training t = config.training();
        List<LossTerm> terms = problem.terms();
        int termCount = terms.size();
        int levels = config.encoding().levels();
        int[] counts = terms.stream().mapToInt(term -> t.points().get(term.name())).toArray();
        double[] weights = terms.stream().mapToDouble(term -> t.lossWeights().weights().get(term.name())).toArray();
        boolean gradNorm = t.lossWeights().mode().equals(TrainConfig.LossWeights.GRAD_NORM);

        backend.setParameters(field.initialParameters(t.seed(), config.encoding().initRange()));
        HermiteGridLayout layout = field.encoding().layout();
        long[] levelSteps = new long[levels];
        long networkSteps = 0;
        Adam adam = new Adam(t.optimizer().beta1(), t.optimizer().beta2(), t.optimizer().epsilon());
        ExponentialDecay tableRate = new ExponentialDecay(t.optimizer().lrTables(), t.optimizer().decayRate(),
                t.optimizer().decaySteps());
        ExponentialDecay networkRate = new ExponentialDecay(t.optimizer().lrNetwork(), t.optimizer().decayRate(),
                t.optimizer().decaySteps());

        double[] termLosses = new double[termCount];
        // grown as steps complete: the budget may be far more steps than a time limit lets run
        LossCurveBuffer lossCurve = new LossCurveBuffer(LossCurveBuffer.MAX_STORED_STEPS);
        lastLossCurve = lossCurve;
        List<ErrorPoint> errorCurve = new ArrayList<>();
        CollocationBatch batch = null;
        TrainingStatus status = TrainingStatus.OK;
        String message = "";
        double lastLoss = Double.NaN;
        double lastRelL2 = Double.NaN;
        long trainNanos = 0;
        long stepBytes = 0;
        long step = 0;
        int active = config.training().curriculum().activeLevels(0, levels);
        while (step < t.steps() && (t.maxSeconds() <= 0 || trainNanos < t.maxSeconds() * 1e9)) {
            long started = System.nanoTime();
            long bytesBefore = backend.bytesTransferred();
            active = t.curriculum().activeLevels(step, levels);
            if (step % t.resampleEvery() == 0) {
                batch = CollocationBatch.sample(problem, counts, batchRandom(t.seed(), step / t.resampleEvery()));
            }
            if (gradNorm && step % t.lossWeights().updateEvery() == 0) {
                GradNormBalancer.update(backend, batch, active, weights);
            }
            backend.computeGradient(batch, weights, active, termLosses);
            double loss = 0;
            for (int k = 0; k < termCount; k++) {
                loss += weights[k] * termLosses[k];
            }
            lastLoss = loss;
            if (!Double.isFinite(loss)) {
                status = TrainingStatus.DIVERGED;
                message = "loss became " + loss + " at step " + step + " (term losses "
                        + Arrays.toString(termLosses) + ")";
                trainNanos += System.nanoTime() - started;
                break;
            }
            lossCurve.add(loss);
            for (int l = 0; l < active; l++) {
                levelSteps[l]++;
            }
            networkSteps++;
            backend.adamUpdate(adam, adamSegments(field, active, levelSteps, tableRate.at(step), networkSteps,
                    networkRate.at(step)));
            step++;
            trainNanos += System.nanoTime() - started;
            stepBytes += backend.bytesTransferred() - bytesBefore;

            boolean evaluate = t.evalEvery() > 0 && step % t.evalEvery() == 0;
            if (evaluate) {
                ErrorMetrics e = ErrorMetrics.measure(backend, problem, active);
                errorCurve.add(new ErrorPoint(step, trainNanos / 1e9, e.relL2(), e.gradRelL2()));
                lastRelL2 = e.relL2();
            }
            listener.onStep(progress(step, t, trainNanos, loss, lastRelL2, active), evaluate);
        }
        ErrorMetrics finalError = ErrorMetrics.measure(backend, problem, active);
        if (errorCurve.isEmpty() || errorCurve.get(errorCurve.size() - 1).step() != step) {
            errorCurve.add(new ErrorPoint(step, trainNanos / 1e9, finalError.relL2(), finalError.gradRelL2()));
        }
        int finalLevels = active;
        FinalMetrics metrics = status == TrainingStatus.OK
                ? problem.finalMetrics((points, n, channels, out) -> backend.evaluate(points, n, channels, finalLevels, out))
                : FinalMetrics.NONE;
        double seconds = trainNanos / 1e9;
        return new TrainingResult(status, message, step, seconds, step == 0 ? 0 : trainNanos / 1e6 / step,
                finalError.relL2(), finalError.gradRelL2(), lastLoss, terms.stream().map(LossTerm::name).toList(),
                termLosses, weights, lossCurve.toArray(), errorCurve, backend.parameters(), backend.description(),
                t.seed(), active, step == 0 ? 0 : (double) stepBytes / step, metrics.values(),
                metrics.counts());
    }

    /** The loss curve buffer of the latest {@link #train()}: its capacity is what the curve held in memory. */
    LossCurveBuffer lastLossCurve() {
        return lastLossCurve;
    }

    private static Progress progress(long step, TrainConfig.Training t, long trainNanos, double loss, double relL2,
                                     int active) {
        double seconds = trainNanos / 1e9;
        double msPerStep = trainNanos / 1e6 / step;
        double eta = (t.steps() - step) * msPerStep / 1e3;
        if (t.maxSeconds() > 0) {
            eta = Math.min(eta, Math.max(0, t.maxSeconds() - seconds));
        }
        return new Progress(step, t.steps(), seconds, loss, relL2, msPerStep, eta, active);
    }
}
