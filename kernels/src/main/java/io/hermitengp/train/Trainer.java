package io.hermitengp.train;

import io.hermitengp.backend.FieldBatchBackend;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.loss.FixedPoints;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.optim.LearningRateSchedule;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.FinalMetrics;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.PaperMetric;
import io.hermitengp.problem.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains one field on one problem.
 *
 * <p>A run is {@code warmup_steps} plain steps at the initial rates, then {@code steps} counted
 * steps (t = 0, 1, ...), which the schedule, the curriculum, the weight updates and the
 * evaluations follow. Each step: the curriculum fixes the levels that are trained (and those that
 * feed the network); every {@code resample_every} steps a new batch is drawn from a generator
 * seeded by {@code (seed, resample index)}, except for the terms of {@code fixed_points}, whose
 * points are drawn once from {@code (seed, term)}; the loss weights are balanced every
 * {@code update_every} counted steps when a balancing mode is on, a term before its start step
 * weighing 0 and left out of the balancing ({@link TermStarts}); the backend computes the losses
 * and gradient; Adam updates the trained levels' tables and the network (two groups, or one); the
 * running average of the parameters (EMA), when on, folds the new parameters in. The error is
 * measured every {@code eval_every} counted steps and at the end, on the average when there is one
 * (and on the raw weights beside it). Given the seed and the backend, the run is bit-for-bit
 * reproducible, also across a checkpoint and resume (a {@code max_seconds} budget only decides
 * where it stops). After a run the backend holds the reported weights (the average's snapshot when
 * there is an average), so whatever probes the field next sees the field that was reported.
 */
public final class Trainer {
    private final TrainConfig config;
    private final Problem problem;
    private final NeuralField field;
    private final TrainingBackend backend;
    private final ProgressListener listener;
    private Checkpoints checkpoints = Checkpoints.NONE;
    private LossCurveBuffer lastLossCurve;   // the latest run's, for tests of its memory

    public Trainer(TrainConfig config, Problem problem, NeuralField field, TrainingBackend backend,
                   ProgressListener listener) {
        this.config = config;
        this.problem = problem;
        this.field = field;
        this.backend = backend;
        this.listener = listener;
    }

    /** Where to save the run's state, how often, and which saved state to resume from. */
    public Trainer withCheckpoints(Checkpoints policy) {
        this.checkpoints = policy;
        return this;
    }

    /**
     * The Adam segments of one step: each trained level's tables with the tables' learning rate
     * and that level's own update count, then the network with its rate and count.
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
        return new SplittableRandom(splitMix64(seed + 0x9E3779B97F4A7C15L * (resampleIndex + 1)));
    }

    /**
     * The generator of term k's points when the run draws them once ({@code training.fixed_points}):
     * a SplitMix64 mix of the seed and k, stepping by another odd constant than the batches do, so
     * that it is none of the batches' generators and nothing about it changes with the step.
     */
    static SplittableRandom fixedPointsRandom(long seed, int term) {
        return new SplittableRandom(splitMix64(seed + 0xD1B54A32D192ED03L * (term + 1)));
    }

    /** SplitMix64's finalizer: every bit of z moves about half of the result's bits. */
    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Trains the field alone: a batch of one. */
    public TrainingResult train() {
        return train(Cancellation.NEVER);
    }

    /** Trains the field alone, stopping with {@link FitCancelledException} once {@code cancellation} says so. */
    public TrainingResult train(Cancellation cancellation) {
        return trainTogether(FieldBatchBackend.of(backend), List.of(this), cancellation).get(0).orThrow();
    }

    /**
     * How one field of {@link #trainTogether} ended: its result, or the exception that kept its run
     * from starting (a checkpoint that cannot be resumed), in which case the field never trained.
     */
    public record Outcome(TrainingResult result, RuntimeException failure) {
        /** The result, or the failure thrown. */
        public TrainingResult orThrow() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /**
     * Trains several fields as one batch, in lockstep: each step, every field still running
     * draws its batch and balances its weights, then the batch backend computes all their
     * gradients as one piece of work, updates them, and folds their averages; each field then
     * evaluates and saves on its own schedule. Each trainer's backend must be its field's view of
     * {@code batch} ({@link FieldBatchBackend#field}, in list order). A field stops when its own
     * run ends: its steps are done, its time budget is spent or its loss is not finite; the
     * others go on. Every field's numbers are those of training it alone (the batch guarantees
     * it); its step time is the batch's step time, and its result names the batch's backend. A
     * field whose run cannot start (its checkpoint cannot be resumed) sits the batch out, and its
     * outcome carries the reason.
     *
     * @return the outcomes, in the order of {@code trainers}
     */
    public static List<Outcome> trainTogether(FieldBatchBackend batch, List<Trainer> trainers) {
        return trainTogether(batch, trainers, Cancellation.NEVER);
    }

    /**
     * The same, asking {@code cancellation} before every step: once it gives a reason, every field
     * still running saves its state (when it has a checkpoint file and its last save is older), so
     * that a resumed run loses no step, and the batch stops with {@link FitCancelledException}.
     */
    public static List<Outcome> trainTogether(FieldBatchBackend batch, List<Trainer> trainers,
                                              Cancellation cancellation) {
        if (trainers.size() != batch.size()) {
            throw new IllegalArgumentException(trainers.size() + " trainers for a batch of " + batch.size());
        }
        List<Run> runs = new ArrayList<>(trainers.size());
        RuntimeException[] failures = new RuntimeException[trainers.size()];
        for (int f = 0; f < trainers.size(); f++) {
            Trainer trainer = trainers.get(f);
            if (trainer.backend != batch.field(f)) {
                throw new IllegalArgumentException("trainer " + f + " does not train on field " + f + " of the batch");
            }
            try {
                runs.add(trainer.new Run(f, batch.description()));
            } catch (CheckpointException unresumable) {
                failures[f] = unresumable;
                runs.add(null);
            }
        }
        List<Run> stepping = new ArrayList<>(runs.size());
        while (true) {
            stepping.clear();
            for (Run run : runs) {
                if (run != null && run.running()) {
                    stepping.add(run);
                }
            }
            if (stepping.isEmpty()) {
                break;
            }
            String cancelled = cancellation.reason();
            if (cancelled != null) {
                for (Run run : stepping) {
                    run.saveIfBehind();
                }
                throw new FitCancelledException(cancelled);
            }
            long started = System.nanoTime();
            long bytesBefore = batch.bytesTransferred();
            List<FieldBatchBackend.GradientRequest> gradients = new ArrayList<>(stepping.size());
            for (Run run : stepping) {
                gradients.add(run.prepare());
            }
            batch.computeGradients(gradients);
            List<FieldBatchBackend.AdamRequest> updates = new ArrayList<>(stepping.size());
            for (Run run : stepping) {
                FieldBatchBackend.AdamRequest update = run.afterGradient();
                if (update != null) {
                    updates.add(update);
                }
            }
            batch.adamUpdates(updates);
            batch.updateAverages(updates.stream().filter(u -> runs.get(u.field()).s.averaging)
                    .mapToInt(FieldBatchBackend.AdamRequest::field).toArray());
            long nanos = System.nanoTime() - started;
            long bytes = batch.bytesTransferred() - bytesBefore;
            for (Run run : stepping) {
                run.afterStep(nanos, bytes / stepping.size());
            }
        }
        List<Outcome> outcomes = new ArrayList<>(runs.size());
        for (int f = 0; f < runs.size(); f++) {
            Run run = runs.get(f);
            outcomes.add(run == null ? new Outcome(null, failures[f]) : new Outcome(run.finish(), null));
        }
        return outcomes;
    }

    /** One field's run, step by step: what {@link #trainTogether} advances for each field of a batch. */
    private final class Run {
        private final int index;
        private final String backendDescription;
        private final TrainConfig.Training t = config.training();
        private final TrainConfig.Optimizer o = t.optimizer();
        private final TrainConfig.Ema emaConfig = t.ema();
        private final int termCount = problem.terms().size();
        private final int levels = config.encoding().levels();
        private final int[] counts;
        private final List<String> termNames;
        private final Balancing balancing;
        private final TermStarts starts;
        private final boolean[] inLoss;           // per term: in the loss at the step in flight
        private final double[] appliedWeights;    // per term: the step's weights, 0 for a term not yet in the loss
        private final FixedPoints fixedPoints;
        private final Adam adam = new Adam(o.beta1(), o.beta2(), o.epsilon());
        private final LearningRateSchedule schedule = o.schedule(t.steps());
        private final int warmup = o.warmupSteps();
        private final long total = warmup + t.steps();
        private final TrainingState s;
        private long savedIteration = -1;         // the iteration the checkpoint file holds
        private final StepPace pace = new StepPace();
        private CollocationBatch batch;
        private TrainingStatus status = TrainingStatus.OK;
        private String message = "";
        private boolean stopped;
        // the step in flight
        private long position;
        private int trained;
        private int fed;

        Run(int index, String backendDescription) {
            this.index = index;
            this.backendDescription = backendDescription;
            List<LossTerm> terms = problem.terms();
            this.counts = terms.stream().mapToInt(term -> t.points().get(term.name())).toArray();
            this.termNames = terms.stream().map(LossTerm::name).toList();
            this.balancing = Balancing.of(t.lossWeights(), termNames);
            this.starts = TermStarts.of(t.lossWeights(), termNames);
            this.inLoss = new boolean[termCount];
            this.appliedWeights = new double[termCount];
            boolean[] fixed = new boolean[termCount];
            for (int k = 0; k < termCount; k++) {
                fixed[k] = t.fixedPoints().contains(termNames.get(k));
            }
            this.fixedPoints = FixedPoints.draw(problem, counts, fixed, term -> fixedPointsRandom(t.seed(), term));
            this.s = checkpoints.resumeFrom() == null
                    ? TrainingState.start(FieldArchitecture.initialParameters(config, field), levels,
                    t.lossWeights(), termNames, emaConfig, backend)
                    : Checkpoint.resume(checkpoints.resumeFrom(), config, backend);
            if (s.iteration > total) {
                // it cannot be this run: a run never trains back
                throw new CheckpointException("the run saved in " + checkpoints.resumeFrom() + " is at step "
                        + (s.iteration - warmup) + ", past this run's " + t.steps() + " steps");
            }
            lastLossCurve = s.lossCurve;
        }

        boolean running() {
            return !stopped && s.iteration < total && (t.maxSeconds() <= 0 || s.trainNanos < t.maxSeconds() * 1e9);
        }

        /**
         * The step's curriculum, its batch (a new one every {@code resample_every} steps, the fixed
         * terms' points always the same) and loss weights (0 for a term not yet in the loss); the
         * request for its gradient.
         */
        FieldBatchBackend.GradientRequest prepare() {
            long step = s.iteration - warmup;           // counted step; negative while warming up
            position = Math.max(0, step);
            trained = t.curriculum().activeLevels(position, levels);
            fed = t.curriculum().evaluatedLevels(position, levels);
            if (batch == null || s.iteration % t.resampleEvery() == 0) {
                batch = CollocationBatch.sample(problem, counts, batchRandom(t.seed(), s.iteration / t.resampleEvery()),
                        fixedPoints);
            }
            starts.inLoss(position, inLoss);
            if (step >= 0) {
                balancing.beforeStep(step, backend, batch, fed, s.weights, inLoss);
            }
            TermStarts.applied(s.weights, inLoss, appliedWeights);
            return new FieldBatchBackend.GradientRequest(index, batch, appliedWeights, fed, s.termLosses);
        }

        /** The step's loss from the computed term losses; its optimizer update, or null when the loss is not finite. */
        FieldBatchBackend.AdamRequest afterGradient() {
            double[] termLosses = s.termLosses;
            double loss = 0;
            for (int k = 0; k < termCount; k++) {
                loss += appliedWeights[k] * termLosses[k];
            }
            s.lastLoss = loss;
            if (!Double.isFinite(loss)) {
                status = TrainingStatus.DIVERGED;
                message = "loss became " + loss + " at step " + position + " (term losses "
                        + Arrays.toString(termLosses) + ")";
                stopped = true;
                return null;
            }
            s.lossCurve.add(loss);
            for (int l = 0; l < trained; l++) {
                s.levelSteps[l]++;
            }
            s.networkSteps++;
            double tableRate = schedule.at(o.lrTables(), position);
            double networkRate = schedule.at(o.lrNetwork(), position);
            return new FieldBatchBackend.AdamRequest(index, adam, o.singleGroup()
                    ? adamSegments(field, trained, uniformCounts(levels, s.iteration + 1), tableRate,
                    s.iteration + 1, networkRate)
                    : adamSegments(field, trained, s.levelSteps, tableRate, s.networkSteps, networkRate));
        }

        /** After the batch's update: the clocks, and this field's evaluation, progress and checkpoint when due. */
        void afterStep(long nanos, long bytes) {
            s.trainNanos += nanos;
            pace.record(nanos);
            if (stopped) {   // diverged at this step: its time counts, nothing else happened
                return;
            }
            s.iteration++;
            s.stepBytes += bytes;
            long counted = s.iteration - warmup;
            boolean evaluate = counted > 0 && t.evalEvery() > 0 && counted % t.evalEvery() == 0;
            if (evaluate) {
                s.lastRelL2 = Trainer.this.evaluate(s, counted, fed, emaConfig);
            }
            listener.onStep(progress(Math.max(0, counted), t, s.trainNanos, pace, s.lastLoss, s.lastRelL2,
                    trained, termNames, s.termLosses, appliedWeights), evaluate);
            // and when its steps are done or its time budget is spent: a resumed run (a longer
            // --steps or --seconds) starts from its final state
            if (checkpoints.dueAfter(counted) || (!running() && checkpoints.file() != null)) {
                save();
            }
        }

        /** Saves the state unless the checkpoint file holds it already: a cancelled run keeps every step it made. */
        void saveIfBehind() {
            if (checkpoints.file() != null && savedIteration != s.iteration) {
                save();
            }
        }

        private void save() {
            Trainer.this.save(s);
            savedIteration = s.iteration;
        }

        /** The final evaluation, the reported weights and the problem's metrics. */
        TrainingResult finish() {
            long counted = Math.max(0, s.iteration - warmup);
            int fed = t.curriculum().evaluatedLevels(counted, levels);
            boolean measuredAtEnd = !s.errorCurve.isEmpty()
                    && s.errorCurve.get(s.errorCurve.size() - 1).step() == counted;
            if (!measuredAtEnd) {
                Trainer.this.evaluate(s, counted, fed, emaConfig);
            }
            Reported reported = reported(s, emaConfig, counted);
            FinalMetrics metrics = FinalMetrics.NONE;
            Optional<PaperMetric> paperMetric = Optional.empty();
            if (status == TrainingStatus.OK) {
                if (s.averaging) {
                    backend.loadParameters(reported.parameters());
                }
                FieldProbe probe = backend.probe(fed);
                metrics = problem.finalMetrics(probe);
                paperMetric = problem.paperMetric(probe);
            }
            // the backend is left holding the reported weights, so whatever probes the field next sees them
            double seconds = s.trainNanos / 1e9;
            long done = s.iteration;
            // the weights the last step applied: 0 for a term whose start step the run did not reach
            boolean[] inLossAtEnd = new boolean[termCount];
            starts.inLoss(Math.max(0, counted - 1), inLossAtEnd);
            double[] lastWeights = new double[termCount];
            TermStarts.applied(s.weights, inLossAtEnd, lastWeights);
            AverageReport average = !s.averaging ? AverageReport.NONE
                    : new AverageReport(reported.label(), reported.step(), s.finalAverageRelL2, s.bestRelL2,
                    s.bestStep, s.finalRawRelL2);
            return new TrainingResult(status, message, counted, seconds, done == 0 ? 0 : s.trainNanos / 1e6 / done,
                    reported.relL2(), reported.gradRelL2(), s.lastLoss, termNames, s.termLosses, lastWeights,
                    s.lossCurve.toArray(), List.copyOf(s.errorCurve), reported.parameters(), backendDescription,
                    t.seed(), fed, done == 0 ? 0 : (double) s.stepBytes / done, metrics.values(), metrics.counts(),
                    average, paperMetric, metrics.surface());
        }
    }

    /**
     * Measures the error after counted step {@code step}: of the raw weights, and of their average
     * when there is one (which is then the curve's value, and a candidate for the best snapshot).
     *
     * @return the curve's rel_l2
     */
    private double evaluate(TrainingState s, long step, int fed, TrainConfig.Ema emaConfig) {
        ErrorMetrics raw = ErrorMetrics.measure(backend, problem, fed);
        double seconds = s.trainNanos / 1e9;
        if (!s.averaging) {
            s.errorCurve.add(new ErrorPoint(step, seconds, raw.relL2(), raw.gradRelL2(), Double.NaN));
            return raw.relL2();
        }
        double[] trainedWeights = backend.parameters();
        double[] average = backend.average();
        backend.loadParameters(average);
        ErrorMetrics averaged = ErrorMetrics.measure(backend, problem, fed);
        backend.loadParameters(trainedWeights);
        s.errorCurve.add(new ErrorPoint(step, seconds, averaged.relL2(), averaged.gradRelL2(), raw.relL2()));
        s.finalAverageRelL2 = averaged.relL2();
        s.finalRawRelL2 = raw.relL2();
        if (emaConfig.reportBest() && (s.best == null || averaged.relL2() < s.bestRelL2)) {
            s.best = average;
            s.bestRelL2 = averaged.relL2();
            s.bestGradRelL2 = averaged.gradRelL2();
            s.bestStep = step;
        }
        return averaged.relL2();
    }

    /** The weights a run reports and stores, what they are, and their error. */
    private record Reported(double[] parameters, String label, long step, double relL2, double gradRelL2) {
    }

    /** Called after the final evaluation, so the curve's last point is the end of the run. */
    private Reported reported(TrainingState s, TrainConfig.Ema emaConfig, long finalStep) {
        ErrorPoint last = s.errorCurve.get(s.errorCurve.size() - 1);
        if (!s.averaging) {
            return new Reported(backend.parameters(), AverageReport.RAW, finalStep, last.relL2(), last.gradRelL2());
        }
        if (emaConfig.reportBest() && s.best != null) {
            return new Reported(s.best.clone(), AverageReport.EMA_BEST, s.bestStep, s.bestRelL2, s.bestGradRelL2);
        }
        return new Reported(backend.average(), AverageReport.EMA_FINAL, finalStep, last.relL2(),
                last.gradRelL2());
    }

    private static long[] uniformCounts(int levels, long count) {
        long[] c = new long[levels];
        Arrays.fill(c, count);
        return c;
    }

    private void save(TrainingState s) {
        try {
            Checkpoint.write(checkpoints.file(), config, s, backend);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + checkpoints.file() + ": "
                    + e.getMessage(), e);
        }
        if (checkpoints.saved() != null) {
            checkpoints.saved().accept(checkpoints.file());
        }
    }

    /** The loss curve buffer of the latest {@link #train()}: its capacity is what the curve held in memory. */
    LossCurveBuffer lastLossCurve() {
        return lastLossCurve;
    }

    private static Progress progress(long step, TrainConfig.Training t, long trainNanos, StepPace pace, double loss,
                                     double relL2, int active, List<String> termNames, double[] termLosses,
                                     double[] weights) {
        double seconds = trainNanos / 1e9;
        double msPerStep = pace.msPerStep();
        double eta = (t.steps() - step) * msPerStep / 1e3;
        if (t.maxSeconds() > 0) {
            eta = Math.min(eta, Math.max(0, t.maxSeconds() - seconds));
        }
        return new Progress(step, t.steps(), seconds, loss, relL2, msPerStep, eta, active, termNames,
                termLosses.clone(), weights.clone());
    }

    /**
     * Where a run saves its state ({@code file}, every {@code every} counted steps and at the end)
     * and resumes from; {@code saved}, when not null, is told after each save (a batch fit copies
     * the file to a shared store there).
     */
    public record Checkpoints(Path file, long every, Path resumeFrom, Consumer<Path> saved) {
        public static final Checkpoints NONE = new Checkpoints(null, 0, null);

        public Checkpoints(Path file, long every, Path resumeFrom) {
            this(file, every, resumeFrom, null);
        }

        boolean dueAfter(long countedStep) {
            return file != null && every > 0 && countedStep > 0 && countedStep % every == 0;
        }
    }
}
