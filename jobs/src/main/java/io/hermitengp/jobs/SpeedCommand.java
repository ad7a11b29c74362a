package io.hermitengp.jobs;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
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
 * {@code speed <config.json> [options]} ({@link #SPEC}): times full training steps (fresh batch,
 * loss, gradient, Adam; every level active; no evaluation) of one config on several backends in
 * the same JVM, so their ratio means something on a noisy machine. Prints one line per backend
 * on stderr and one JSON line on stdout.
 */
final class SpeedCommand {
    static final CommandSpec SPEC = new CommandSpec("speed", "<config.json>",
            "time full training steps of a config on each backend in one run; JSON on stdout",
            List.of(OptionSpec.withDefault("--steps", "N", "20", "timed steps per backend"),
                    OptionSpec.withDefault("--warmup", "W", "3", "untimed steps first"),
                    OptionSpec.withDefault("--backends", "LIST", "java,opencl", "the backends to time, in order"),
                    OptionSpec.optional("--threads", "N", "the config's training.threads, 0 for all cores",
                            "CPU threads of the java backend"),
                    OptionSpec.optional("--device", "INDEX|NAME", "the config's training.backend.device",
                            "OpenCL device: an index in platform/device order, or part of its platform/device name")),
            "", false);

    private SpeedCommand() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        TrainConfig config = ConfigReader.readTrainConfig(Path.of(options.operand()));
        int steps = options.integer("--steps", 1);
        int warmup = options.integer("--warmup", 1);
        List<String> backends = Arrays.asList(options.string("--backends").split(","));
        TrainConfig.Training training = config.training();
        if (options.has("--threads")) {
            training = training.withThreads(options.integer("--threads", 1));
        }
        if (options.has("--device")) {
            training = training.withBackend(new TrainConfig.Backend(training.backend().type(),
                    options.string("--device")));
        }
        for (String type : backends) {
            if (!type.equals(TrainConfig.Backend.JAVA) && !type.equals(TrainConfig.Backend.OPENCL)) {
                throw new UsageException("speed --backends takes java and/or opencl, got '" + type + "'");
            }
        }
        ObjectNode out = ConfigReader.mapper().createObjectNode();
        out.put("config", options.operand());
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("points_per_step", training.pointsPerStep());
        ArrayNode results = out.putArray("results");
        List<Double> times = new ArrayList<>();
        for (String type : backends) {
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
            backend.setParameters(FieldArchitecture.initialParameters(config, field));
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
