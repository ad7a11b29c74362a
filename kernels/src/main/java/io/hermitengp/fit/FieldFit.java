package io.hermitengp.fit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.backend.Backends;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.ProblemTypes;
import io.hermitengp.train.Cancellation;
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;

import java.util.Arrays;
import java.util.List;

/**
 * One field being fitted: the one place where a config becomes a problem, a field, a backend
 * and a training run. The command line, the benchmarks, Spark tasks and the tests all fit
 * through it, so they agree on every rule:
 *
 * <ol>
 *   <li>its memory is estimated and reserved until {@link #close} ({@link FitMemory}); a fit the
 *       heap cannot hold beside the fits running now fails here, before it allocates;</li>
 *   <li>the problem is built from {@code problem} (reading and sampling a mesh where it has one);</li>
 *   <li>the field from {@code encoding} and {@code network} for the problem's shape
 *       ({@link FieldArchitecture});</li>
 *   <li>the backend from {@code training.backend} and the device the fit was given
 *       ({@link BackendChoice}: an explicit request is honoured or fails, {@code auto} takes the
 *       GPU where it can);</li>
 *   <li>{@link #train} runs the {@link Trainer}; the backend stays open until {@link #close} so
 *       the trained field can be probed (surfaces, slices, pictures).</li>
 * </ol>
 *
 * {@link #fitInstance} wraps the whole for a batch: it derives the instance's seed from its id
 * ({@link InstanceSeeds}) and never throws.
 */
public final class FieldFit implements AutoCloseable {
    private final TrainConfig config;
    private final Problem problem;
    private final NeuralField field;
    private final BackendChoice choice;
    private final double problemSeconds;
    private TrainingBackend backend;
    private FitMemory.Reservation memory;   // null for a problem the caller built

    private FieldFit(TrainConfig requested, Problem problem, DeviceChoice device, double problemSeconds) {
        this.problem = problem;
        this.problemSeconds = problemSeconds;
        this.field = FieldArchitecture.forProblem(requested, problem);
        this.choice = BackendChoice.choose(requested, field, problem, device);
        this.config = choice.applyTo(requested);
    }

    /** Opens the chosen backend; a fit that cannot open one still knows its config and note. */
    private FieldFit start() {
        backend = Backends.open(config, field, problem);
        return this;
    }

    /** Builds the config's problem and field and opens the backend the policy chooses on this device. */
    public static FieldFit open(TrainConfig config, DeviceChoice device) {
        long started = System.nanoTime();
        return startOrRelease(prepare(config, device, started));
    }

    /** Opens the fit's backend; a fit whose backend cannot open gives its memory back. */
    private static FieldFit startOrRelease(FieldFit fit) {
        try {
            return fit.start();
        } catch (RuntimeException | Error e) {
            fit.close();
            throw e;
        }
    }

    /** Builds the problem and field and chooses the backend, with the fit's memory reserved; opens nothing. */
    static FieldFit prepare(TrainConfig config, DeviceChoice device, long started) {
        FitMemory.Reservation memory = FitMemory.estimate(config).reserve();
        try {
            Problem problem = config.problem().create(device.cpuThreads());
            FieldFit fit = new FieldFit(config, problem, device, (System.nanoTime() - started) / 1e9);
            fit.memory = memory;
            return fit;
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /**
     * The same for a problem built by the caller (one the config's {@code problem} section cannot
     * describe, such as a test's own problem); the config gives everything else.
     */
    public static FieldFit open(TrainConfig config, Problem problem, DeviceChoice device) {
        return new FieldFit(config, problem, device, 0).start();
    }

    /** Trains the field from its initial parameters, with the config as it runs. */
    public TrainingResult train(ProgressListener listener) {
        return train(listener, Trainer.Checkpoints.NONE);
    }

    /** Trains, saving and resuming the run's state as the policy says. */
    public TrainingResult train(ProgressListener listener, Trainer.Checkpoints checkpoints) {
        return train(listener, checkpoints, Cancellation.NEVER);
    }

    /**
     * The same, stopping before a step once {@code cancellation} says so: the state is saved first
     * (with a checkpoint file), then {@link FitCancelledException} is thrown.
     */
    public TrainingResult train(ProgressListener listener, Trainer.Checkpoints checkpoints,
                                Cancellation cancellation) {
        return new Trainer(config, problem, field, backend, listener).withCheckpoints(checkpoints).train(cancellation);
    }

    /** The field as it stands on the backend, with the given active levels. */
    public FieldProbe probe(int activeLevels) {
        return backend.probe(activeLevels);
    }

    /** The config as it runs: the requested one with the concrete backend and threads filled in. */
    public TrainConfig config() {
        return config;
    }

    public Problem problem() {
        return problem;
    }

    public NeuralField field() {
        return field;
    }

    public TrainingBackend backend() {
        return backend;
    }

    /** Why the backend that runs differs from the request or the device given; empty when it does not. */
    public String backendNote() {
        return choice.note();
    }

    /** Seconds spent building the problem (reading, sampling, pooling). */
    public double problemSeconds() {
        return problemSeconds;
    }

    @Override
    public void close() {
        try {
            if (backend != null) {
                backend.close();
            }
        } finally {
            if (memory != null) {
                memory.close();
            }
        }
    }

    /**
     * Fits one instance of a batch, start to end, and never throws for a bad one: a spec that does
     * not parse, a problem that cannot be built (unknown type, unreadable mesh), a backend that
     * cannot open or a loss that turns NaN all become an outcome with its status and a message
     * naming the cause. The training seed is derived from the id and the spec's seed.
     *
     * @param spec the instance's config, JSON text
     */
    public static FitOutcome fitInstance(String id, String spec, DeviceChoice device) {
        return fitInstance(id, spec, device, InstanceCheckpoints.NONE);
    }

    /**
     * The same with checkpoints: the fit saves its state as the store's policy says and resumes
     * from the store's saved state when there is one. A saved state that does not belong to this
     * config (or is damaged) is discarded and the fit starts over, which the note says; a fit that
     * ends (trained or diverged) removes its checkpoint, a failed one leaves it for the next try.
     */
    public static FitOutcome fitInstance(String id, String spec, DeviceChoice device, InstanceCheckpoints checkpoints) {
        return FieldBatchFit.fitAll(List.of(new FieldBatchFit.InstanceSpec(id, spec)), device, checkpoints, 1,
                outcome -> { }).get(0);
    }

    /**
     * The problem type an instance's spec names ({@code problem.type}), read before and without
     * strict parsing so that a spec with a bad key still counts under its kind; {@code unknown}
     * when the spec is not JSON or names no type this build knows. The one rule for a fit's kind: progress, rows and
     * the summary group by it.
     */
    public static String kindOf(String spec) {
        try {
            JsonNode type = ConfigReader.parseTree(spec, "spec").path("problem").path("type");
            return type.isTextual() && Arrays.asList(ProblemTypes.names()).contains(type.asText()) ? type.asText()
                    : FitOutcome.UNKNOWN_KIND;
        } catch (RuntimeException notJson) {
            return FitOutcome.UNKNOWN_KIND;
        }
    }

    /** The config with its training seed derived from the instance id ({@link InstanceSeeds}). */
    public static TrainConfig withInstanceSeed(TrainConfig config, String id) {
        TrainConfig.Training t = config.training();
        return config.withTraining(t.withSeed(InstanceSeeds.seedFor(id, t.seed())));
    }

}
