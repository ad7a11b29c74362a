package io.hermitengp.spark;

import io.hermitengp.backend.Backends;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;

import java.util.Optional;

/**
 * Fits one instance, start to end, and never throws for a bad one: a spec that does not parse, a
 * problem that cannot be built (unknown type, unreadable mesh), a backend that cannot open or a
 * loss that turns NaN all become an outcome with its status and a message naming the cause.
 * This is the unit of work of a Spark task, and what a direct, Spark-free fit runs as well.
 */
public final class InstanceFit {
    private InstanceFit() {
    }

    public static FitOutcome fit(Instance instance, DeviceChoice device) {
        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        String kind = "unknown";
        String resolved = null;
        String note = "";
        try {
            if (!instance.defect().isEmpty()) {
                return new FitOutcome(instance.id(), kind, FitOutcome.FAILED, instance.defect(), null, null, 0,
                        device.gpuAddress(), note, startedAt, seconds(started));
            }
            TrainConfig config = ConfigReader.readTrainConfig(instance.spec(), "instance " + instance.id());
            kind = config.problem().type();
            config = withSeed(config, instance.id());
            Problem problem = config.problem().create();
            NeuralField field = Trainer.buildField(config, problem);
            TrainConfig.Training t = config.training();
            if (device.hasGpu()) {
                Optional<String> unsupported = OpenClBackend.unsupported(field, problem);
                if (unsupported.isEmpty()) {
                    t = t.withBackend(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, device.gpuAddress()));
                } else {
                    note = "GPU " + device.gpuAddress() + " assigned, trained on the CPU: " + unsupported.get();
                    t = t.withBackend(new TrainConfig.Backend(TrainConfig.Backend.JAVA, ""))
                            .withThreads(device.cpuThreads());
                }
            } else if (t.backend().type().equals(TrainConfig.Backend.JAVA)) {
                t = t.withThreads(device.cpuThreads());
            }
            config = config.withTraining(t);
            resolved = config.toJson().toString();
            TrainingResult result;
            try (TrainingBackend backend = Backends.open(config, field, problem)) {
                result = new Trainer(config, problem, field, backend, ProgressListener.NONE).train();
            }
            String status = result.status() == TrainingStatus.OK ? FitOutcome.OK : FitOutcome.DIVERGED;
            return new FitOutcome(instance.id(), kind, status, result.message(), resolved, result,
                    field.parameterCount(), device.gpuAddress(), note, startedAt, seconds(started));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError | LinkageError e) {
            return new FitOutcome(instance.id(), kind, FitOutcome.FAILED, describe(e), resolved, null, 0,
                    device.gpuAddress(), note, startedAt, seconds(started));
        }
    }

    /** The config with its training seed derived from the instance id ({@link InstanceSeeds}). */
    public static TrainConfig withSeed(TrainConfig config, String id) {
        TrainConfig.Training t = config.training();
        return config.withTraining(t.withSeed(InstanceSeeds.seedFor(id, t.seed())));
    }

    /** The exception's kind and message, and its first cause's when that says more. */
    static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null
                && (e.getMessage() == null || !e.getMessage().contains(cause.getMessage()))) {
            message += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
