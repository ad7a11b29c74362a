package io.hermitengp.jobs;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.optim.Adam;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.Trainer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code speed <config.json> [--steps N] [--warmup W] [--backends java,opencl] [--threads N] [--device D]}:
 * times full training steps (fresh batch, loss, gradient, Adam; every level active; no evaluation)
 * of one config on several backends in the same JVM, so their ratio means something on a noisy
 * machine. Prints one line per backend on stderr and one JSON line on stdout.
 */
final class SpeedCommand {
    private SpeedCommand() {
    }

    static int run(String[] args) {
        if (args.length < 1 || args[0].startsWith("--")) {
            throw new UsageException("speed needs a config file: speed <config.json> [options]");
        }
        TrainConfig config = ConfigReader.readTrainConfig(Path.of(args[0]));
        int steps = 20;
        int warmup = 3;
        List<String> backends = List.of(TrainConfig.Backend.JAVA, TrainConfig.Backend.OPENCL);
        TrainConfig.Training training = config.training();
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--steps" -> steps = (int) OptionValues.integer(option, value, 1, Integer.MAX_VALUE);
                case "--warmup" -> warmup = (int) OptionValues.integer(option, value, 1, Integer.MAX_VALUE);
                case "--threads" -> training = training.withThreads((int) OptionValues.integer(option, value, 1, Integer.MAX_VALUE));
                case "--device" -> training = training.withBackend(new TrainConfig.Backend(training.backend().type(), value));
                case "--backends" -> backends = Arrays.asList(value.split(","));
                default -> throw new UsageException("unknown option '" + option
                        + "'; allowed: --steps, --warmup, --backends, --threads, --device");
            }
        }
        ObjectNode out = ConfigReader.mapper().createObjectNode();
        out.put("config", args[0]);
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("points_per_step", training.pointsPerStep());
        ArrayNode results = out.putArray("results");
        List<Double> times = new ArrayList<>();
        for (String type : backends) {
            if (!type.equals(TrainConfig.Backend.JAVA) && !type.equals(TrainConfig.Backend.OPENCL)) {
                throw new UsageException("--backends takes java and/or opencl, got '" + type + "'");
            }
            TrainConfig c = config.withTraining(training.withBackend(new TrainConfig.Backend(type,
                    training.backend().device())));
            ObjectNode r = measure(c, steps, warmup);
            results.add(r);
            times.add(r.get("ms_per_step").asDouble());
            System.err.printf("%-60s %9.1f ms/step  %12.0f host-device bytes/step%n", r.get("backend").asText(),
                    r.get("ms_per_step").asDouble(), r.get("host_device_bytes_per_step").asDouble());
        }
        if (times.size() == 2) {
            out.put("ratio_second_over_first", times.get(1) / times.get(0));
        }
        System.out.println(out);
        return 0;
    }

    private static ObjectNode measure(TrainConfig config, int steps, int warmup) {
        TrainConfig.Training t = config.training();
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(t.threads()))) {
            Problem problem = fit.problem();
            NeuralField field = fit.field();
            TrainingBackend backend = fit.backend();
            int[] counts = problem.terms().stream().mapToInt(term -> t.points().get(term.name())).toArray();
            double[] weights = new double[counts.length];
            Arrays.fill(weights, 1.0);
            double[] losses = new double[counts.length];
            Adam adam = new Adam(t.optimizer().beta1(), t.optimizer().beta2(), t.optimizer().epsilon());
            int levels = field.encoding().layout().levels();
            backend.setParameters(field.initialParameters(t.seed(), config.encoding().initRange()));
            long nanos = 0;
            long bytes = 0;
            for (int step = 0; step < warmup + steps; step++) {
                long started = System.nanoTime();
                long bytesBefore = backend.bytesTransferred();
                CollocationBatch batch = CollocationBatch.sample(problem, counts,
                        new java.util.SplittableRandom(t.seed() + step));
                backend.computeGradient(batch, weights, levels, losses);
                long[] levelSteps = new long[levels];
                Arrays.fill(levelSteps, step + 1);
                backend.adamUpdate(adam, Trainer.adamSegments(field, levels, levelSteps, t.optimizer().lrTables(),
                        step + 1, t.optimizer().lrNetwork()));
                if (step >= warmup) {
                    nanos += System.nanoTime() - started;
                    bytes += backend.bytesTransferred() - bytesBefore;
                }
            }
            ObjectNode r = ConfigReader.mapper().createObjectNode();
            r.put("backend", backend.description());
            r.put("ms_per_step", nanos / 1e6 / steps);
            r.put("host_device_bytes_per_step", (double) bytes / steps);
            r.put("loss", losses[0]);
            if (backend instanceof io.hermitengp.backend.opencl.OpenClBackend cl) {
                ObjectNode passes = r.putObject("pass_ms_total");
                long[] nanosPerPass = cl.passNanos();
                for (int p = 0; p < nanosPerPass.length; p++) {
                    passes.put(io.hermitengp.backend.opencl.OpenClBackend.PASS_NAMES[p], nanosPerPass[p] / 1e6);
                }
            }
            return r;
        }
    }
}
