package io.hermitengp.jobs;

import io.hermitengp.backend.Backends;
import io.hermitengp.backend.FieldBatchBackend;
import io.hermitengp.backend.JavaBackend;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.backend.opencl.OpenClFieldBatch;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.Precision;
import io.hermitengp.optim.Adam;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.Trainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code speed <config.json> [options]} ({@link #SPEC}): times full training steps (fresh batch,
 * loss, gradient, Adam; every level active; no evaluation) of one config on several backends in
 * one run, so their ratio means something on a noisy machine. Prints one line per backend on
 * stderr and one JSON line on stdout.
 *
 * <p>Each backend is timed in a fresh JVM of the same command line (as a training run has one
 * backend per JVM), unless {@code --same-jvm}: in one JVM the backend timed first leaves its
 * profile in the JIT's shared code (the vector API's classes above all), and the next one runs
 * code compiled for both; its sine layers measured up to three times slower than when timed
 * first. Each result names the process that timed it ({@code process_id}).
 *
 * <p>A backend is {@code java} (the CPU path the config would train on), {@code java:PATH} for a
 * given {@link CpuPath} ({@code java:reference}, {@code java:scalar}, {@code java:vector}),
 * {@code java:PATH:PRECISION} for a tiled path in a given {@link Precision}
 * ({@code java:vector:float32}; without it the config's {@code training.precision}), or
 * {@code opencl}, optionally with a precision ({@code opencl:float32}, {@code opencl:float64}) and
 * the shape of the network's passes ({@code opencl:point}, {@code opencl:layers},
 * {@code opencl:float32:layers}; without one, the device's default); an OpenCL result names the
 * shape that ran in {@code passes}. For a CPU backend the line and the JSON add the thread time of each phase of a
 * step, the network products' operations per step and, on a tiled path, their rate (GFLOP/s per
 * thread: operations over the thread time spent in the products). With {@code --batch-fields}
 * it then times batches of that many copies of the field on each of {@code java} and
 * {@code opencl} ({@link FieldBatchBackend}), in a JSON array {@code batch_results}: ms per batch
 * step and field-steps per second, the numbers that show where a device saturates.
 */
final class SpeedCommand {
    static final CommandSpec SPEC = new CommandSpec("speed", "<config.json>",
            "time full training steps of a config on each backend in one run; JSON on stdout",
            List.of(OptionSpec.withDefault("--steps", "N", "20", "timed steps per backend"),
                    OptionSpec.withDefault("--warmup", "W", "3", "untimed steps first"),
                    OptionSpec.withDefault("--backends", "LIST", "java,opencl",
                            "the backends to time, in order: java, java:reference, java:scalar, java:vector, "
                                    + "java:scalar:float32, java:vector:float32, opencl, opencl:float32, "
                                    + "opencl:point, opencl:layers, opencl:float32:layers"),
                    OptionSpec.optional("--threads", "N", "the config's training.threads, 0 for all cores",
                            "CPU threads of the java backend"),
                    OptionSpec.optional("--device", "INDEX|NAME", "the config's training.backend.device",
                            "OpenCL device: an index in platform/device order, or part of its platform/device name"),
                    OptionSpec.optional("--batch-fields", "LIST", "none",
                            "also time batches of B fields of the config per backend (java, opencl), e.g. 1,16,64: "
                                    + "ms per batch step and field-steps per second"),
                    OptionSpec.flag("--same-jvm", "time every backend in this JVM, one after the other "
                            + "(default: each backend in a fresh JVM, so that none runs code the JIT compiled "
                            + "for another)")),
            "", false);

    private SpeedCommand() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        List<String> backends = Arrays.asList(options.string("--backends").split(","));
        for (String name : backends) {
            if (!name.equals(TrainConfig.Backend.JAVA) && cpuBackend(name, Precision.FLOAT64) == null
                    && openClBackend(name, Precision.FLOAT64) == null) {
                throw new UsageException("speed --backends takes java, java:reference, java:scalar, java:vector, "
                        + "java:scalar:float32, java:vector:float32, and opencl with a precision (float32, float64) "
                        + "and a pass shape (point, layers) or neither, such as opencl:float32:layers, got '"
                        + name + "'");
            }
            CpuBackend cpu = cpuBackend(name, Precision.FLOAT64);
            if (cpu != null && cpu.path() == CpuPath.REFERENCE && cpu.precision() == Precision.FLOAT32) {
                throw new UsageException("speed --backends: the reference path computes in float64 only, got '"
                        + name + "'");
            }
        }
        TrainConfig config = ConfigReader.readTrainConfig(Path.of(options.operand()));
        int steps = options.integer("--steps", 1);
        int warmup = options.integer("--warmup", 1);
        TrainConfig.Training training = config.training();
        if (options.has("--threads")) {
            training = training.withThreads(options.integer("--threads", 1));
        }
        if (options.has("--device")) {
            training = training.withBackend(new TrainConfig.Backend(training.backend().type(),
                    options.string("--device")));
        }
        ObjectNode out = ConfigReader.mapper().createObjectNode();
        out.put("config", options.operand());
        out.put("steps", steps);
        out.put("warmup", warmup);
        out.put("points_per_step", training.pointsPerStep());
        boolean sameJvm = options.has("--same-jvm") || backends.size() == 1;
        out.put("jvm_per_backend", !sameJvm);
        ArrayNode results = out.putArray("results");
        List<Double> times = new ArrayList<>();
        for (String name : backends) {
            TrainConfig c = config.withTraining(backendTraining(training, name));
            ObjectNode r = sameJvm ? measure(c, cpuBackend(name, training.precision()),
                    openClBackend(name, training.precision()), steps, warmup)
                    : measureInFreshJvm(options, name);
            if (!times.isEmpty()) {
                r.put("speedup_over_first", times.get(0) / r.get("ms_per_step").asDouble());
            }
            results.add(r);
            times.add(r.get("ms_per_step").asDouble());
            System.err.printf("%-60s %9.1f ms/step  %12.0f host-device bytes/step%s%n", r.get("backend").asText(),
                    r.get("ms_per_step").asDouble(), r.get("host_device_bytes_per_step").asDouble(),
                    r.has("speedup_over_first") ? String.format("  %.2fx the first", r.get("speedup_over_first")
                            .asDouble()) : "");
            if (r.has("pass_ms_per_step")) {
                StringBuilder passes = new StringBuilder("    pass ms/step:");
                r.get("pass_ms_per_step").fields().forEachRemaining(e -> passes.append(
                        String.format(" %s %.1f", e.getKey(), e.getValue().asDouble())));
                System.err.println(passes);
            }
            if (r.has("phase_thread_ms_per_step")) {
                StringBuilder phases = new StringBuilder("    thread ms/step:");
                r.get("phase_thread_ms_per_step").fields().forEachRemaining(e -> phases.append(
                        String.format(" %s %.1f", e.getKey(), e.getValue().asDouble())));
                System.err.println(phases);
                System.err.printf("    network products: %.2f GFLOP/step%s%n",
                        r.get("network_product_gflop_per_step").asDouble(),
                        r.has("network_product_gflops_per_thread") ? String.format(", %.1f GFLOP/s per thread",
                                r.get("network_product_gflops_per_thread").asDouble()) : "");
            }
        }
        if (times.size() == 2) {
            out.put("ratio_second_over_first", times.get(1) / times.get(0));
        }
        if (options.has("--batch-fields")) {
            ArrayNode batches = out.putArray("batch_results");
            for (String name : backends) {
                if (cpuBackend(name, training.precision()) != null) {
                    continue;   // batches run on the backend's own path
                }
                TrainConfig c = config.withTraining(backendTraining(training, name));
                for (int fields : options.integers("--batch-fields", 1)) {
                    ObjectNode r = measureBatch(c, openClBackend(name, training.precision()), fields, steps, warmup);
                    batches.add(r);
                    System.err.printf("%-60s %9.1f ms/batch step  %10.1f field-steps/s%n", r.get("backend").asText(),
                            r.get("ms_per_step").asDouble(), r.get("field_steps_per_second").asDouble());
                }
            }
        }
        System.out.println(out);
        return 0;
    }

    /** {@code backend}'s result, timed by this command with the same options in a fresh JVM. */
    private static ObjectNode measureInFreshJvm(JobOptions options, String backend) {
        List<String> args = new ArrayList<>(List.of(SPEC.name(), options.operand(), "--backends", backend,
                "--steps", options.string("--steps"), "--warmup", options.string("--warmup"), "--same-jvm"));
        for (String passed : List.of("--threads", "--device")) {
            if (options.has(passed)) {
                args.addAll(List.of(passed, options.string(passed)));
            }
        }
        FreshJvm.Outcome outcome = FreshJvm.run(args);
        if (outcome.status() == JobMain.USAGE) {
            // the child's one-line message, as this command would have printed it in its own JVM
            throw new UsageException(outcome.lastErrorLine().replaceFirst("^hermite-ngp: ", ""));
        }
        if (outcome.status() != 0) {
            throw new IllegalStateException("speed --backends " + backend + " in a fresh JVM exited with status "
                    + outcome.status() + ": " + outcome.err().strip());
        }
        try {
            JsonNode line = ConfigReader.mapper().readTree(outcome.lastOutputLine());
            return (ObjectNode) line.get("results").get(0);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("speed --backends " + backend + " in a fresh JVM printed no result: "
                    + outcome.out().strip(), e);
        }
    }

    /**
     * The training settings a backend name runs with: its type ({@code opencl} or {@code java}) on
     * the config's device, and the precision an {@code opencl:PRECISION} name gives (a CPU name's
     * path and precision are applied by {@link #measure}).
     */
    private static TrainConfig.Training backendTraining(TrainConfig.Training training, String name) {
        OpenClName openCl = openClBackend(name, training.precision());
        String type = openCl != null ? TrainConfig.Backend.OPENCL : TrainConfig.Backend.JAVA;
        TrainConfig.Training t = training.withBackend(new TrainConfig.Backend(type, training.backend().device()));
        return openCl != null ? t.withPrecision(openCl.precision()) : t;
    }

    /**
     * An OpenCL backend as an {@code opencl[:PRECISION][:point|:layers]} name asks for it.
     *
     * @param layers the pass shape asked for, null for the device's default
     */
    private record OpenClName(Precision precision, Boolean layers) {
        /** Sets the asked shape on the OpenCL backend and names the one that runs in the result. */
        void apply(Object backend, ObjectNode result) {
            boolean runs;
            if (backend instanceof OpenClBackend cl) {
                if (layers != null) {
                    cl.useLayerPasses(layers);
                }
                runs = cl.layerPasses();
            } else if (backend instanceof OpenClFieldBatch cl) {
                if (layers != null) {
                    cl.useLayerPasses(layers);
                }
                runs = cl.layerPasses();
            } else {
                throw new IllegalStateException("an OpenCL backend name opened " + backend.getClass().getSimpleName()
                        + ", which has no pass shape");
            }
            result.put("passes", runs ? "layers" : "point");
        }
    }

    /**
     * What an {@code opencl[:PRECISION][:point|:layers]} name asks for: its precision
     * ({@code fallback} when it names none) and pass shape; null for other names.
     */
    private static OpenClName openClBackend(String name, Precision fallback) {
        String[] parts = name.split(":", -1);
        if (!parts[0].equals(TrainConfig.Backend.OPENCL) || parts.length > 3) {
            return null;
        }
        Precision precision = null;
        Boolean layers = null;
        for (int i = 1; i < parts.length; i++) {
            if ((parts[i].equals("point") || parts[i].equals("layers")) && layers == null) {
                layers = parts[i].equals("layers");
            } else if (precision == null && layers == null) {
                try {
                    precision = Precision.fromConfig(parts[i]);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return new OpenClName(precision != null ? precision : fallback, layers);
    }

    /** A CPU path in a precision, as a {@code java:PATH[:PRECISION]} backend name asks for it. */
    private record CpuBackend(CpuPath path, Precision precision) {
    }

    /**
     * The CPU backend a {@code java:PATH} or {@code java:PATH:PRECISION} name asks for, the
     * precision {@code fallback} when it names none; null for other names.
     */
    private static CpuBackend cpuBackend(String name, Precision fallback) {
        String prefix = TrainConfig.Backend.JAVA + ":";
        if (!name.startsWith(prefix)) {
            return null;
        }
        String[] parts = name.substring(prefix.length()).split(":", -1);
        try {
            return switch (parts.length) {
                case 1 -> new CpuBackend(CpuPath.of(parts[0]), fallback);
                case 2 -> new CpuBackend(CpuPath.of(parts[0]), Precision.fromConfig(parts[1]));
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param cpu    the CPU path and precision a {@code java:...} name asks for, else null
     * @param openCl what an {@code opencl...} name asks for, else null
     */
    private static ObjectNode measure(TrainConfig config, CpuBackend cpu, OpenClName openCl, int steps, int warmup) {
        TrainConfig.Training t = config.training();
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(t.threads()));
             TrainingBackend chosen = cpu == null ? null : new JavaBackend(fit.field(), fit.problem(),
                     t.threads() > 0 ? t.threads() : Runtime.getRuntime().availableProcessors(), cpu.path(),
                     cpu.precision())) {
            Problem problem = fit.problem();
            NeuralField field = fit.field();
            TrainingBackend backend = chosen != null ? chosen : fit.backend();
            ObjectNode r = ConfigReader.mapper().createObjectNode();
            if (openCl != null) {
                openCl.apply(backend, r);
            }
            long[][] before = new long[3][];   // at the end of warm-up: phase nanos, product flops, pass nanos
            // a batch of one around the backend (not closed here: the fit or the try closes the backend)
            Timing timing = timeSteps(FieldBatchBackend.of(backend), config, problem, field, steps, warmup, () -> {
                if (backend instanceof JavaBackend java) {
                    before[0] = java.phaseNanos();
                    before[1] = new long[]{java.productFlops()};
                }
                if (backend instanceof OpenClBackend cl) {
                    before[2] = cl.passNanos();
                }
            });
            r.put("backend", backend.description());
            r.put("process_id", ProcessHandle.current().pid());
            r.put("ms_per_step", timing.nanos() / 1e6 / steps);
            r.put("host_device_bytes_per_step", (double) timing.bytes() / steps);
            r.put("loss", timing.firstLoss());
            if (backend instanceof JavaBackend java) {
                int[] counts = problem.terms().stream().mapToInt(term -> t.points().get(term.name())).toArray();
                putPhases(r, java, before[0], before[1][0], steps, problem, field, counts);
            }
            if (backend instanceof OpenClBackend cl) {
                // wall time per kernel pass over the measured steps (launches are synchronous)
                ObjectNode passes = r.putObject("pass_ms_per_step");
                long[] nanosPerPass = cl.passNanos();
                for (int p = 0; p < nanosPerPass.length; p++) {
                    passes.put(OpenClBackend.PASS_NAMES[p],
                            (nanosPerPass[p] - before[2][p]) / 1e6 / steps);
                }
            }
            return r;
        }
    }

    /**
     * Times steps of a batch of {@code fields} copies of the config's field ({@link FieldBatchBackend}),
     * each with its own seed and batches: every field's batch drawn, one gradient computation for
     * all, one update for all, as {@link Trainer#trainTogether} steps them.
     */
    private static ObjectNode measureBatch(TrainConfig config, OpenClName openCl, int fields, int steps,
                                           int warmup) {
        TrainConfig.Training t = config.training();
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(t.threads()));
             FieldBatchBackend batch = Backends.openBatch(fit.config(), Collections.nCopies(fields, fit.field()),
                     Collections.nCopies(fields, fit.problem()))) {
            ObjectNode r = ConfigReader.mapper().createObjectNode();
            if (openCl != null) {
                // a batch of one is the single backend
                openCl.apply(fields == 1 ? batch.field(0) : batch, r);
            }
            Timing timing = timeSteps(batch, config, fit.problem(), fit.field(), steps, warmup, () -> { });
            r.put("backend", batch.description());
            r.put("batch_fields", fields);
            r.put("ms_per_step", timing.nanos() / 1e6 / steps);
            r.put("field_steps_per_second", fields * steps / (timing.nanos() / 1e9));
            r.put("host_device_bytes_per_step", (double) timing.bytes() / steps);
            return r;
        }
    }

    /** The timed steps' wall nanoseconds and host-device bytes, and field 0's first term loss after the last step. */
    private record Timing(long nanos, long bytes, double firstLoss) {
    }

    /**
     * The step loop of {@code speed}: field f starts from the config's initial parameters with seed
     * {@code seed + f}, and each step draws every field's batch (generator {@code seed + step B + f}),
     * computes all gradients (every level active, unit weights) and updates all fields; the steps
     * after {@code warmup} are timed, and {@code atWarmupEnd} runs just before the first of them.
     */
    private static Timing timeSteps(FieldBatchBackend batch, TrainConfig config, Problem problem, NeuralField field,
                                    int steps, int warmup, Runnable atWarmupEnd) {
        TrainConfig.Training t = config.training();
        int fields = batch.size();
        int[] counts = problem.terms().stream().mapToInt(term -> t.points().get(term.name())).toArray();
        double[] weights = new double[counts.length];
        Arrays.fill(weights, 1.0);
        double[][] losses = new double[fields][counts.length];
        Adam adam = new Adam(t.optimizer().beta1(), t.optimizer().beta2(), t.optimizer().epsilon());
        int levels = field.encoding().layout().levels();
        for (int f = 0; f < fields; f++) {
            batch.field(f).setParameters(FieldArchitecture.initialParameters(
                    config.withTraining(t.withSeed(t.seed() + f)), field));
        }
        long nanos = 0;
        long bytes = 0;
        for (int step = 0; step < warmup + steps; step++) {
            if (step == warmup) {
                atWarmupEnd.run();
            }
            long started = System.nanoTime();
            long bytesBefore = batch.bytesTransferred();
            List<FieldBatchBackend.GradientRequest> gradients = new ArrayList<>(fields);
            List<FieldBatchBackend.AdamRequest> updates = new ArrayList<>(fields);
            long[] levelSteps = new long[levels];
            Arrays.fill(levelSteps, step + 1);
            for (int f = 0; f < fields; f++) {
                CollocationBatch points = CollocationBatch.sample(problem, counts,
                        new java.util.SplittableRandom(t.seed() + (long) step * fields + f));
                gradients.add(new FieldBatchBackend.GradientRequest(f, points, weights, levels, losses[f]));
                updates.add(new FieldBatchBackend.AdamRequest(f, adam, Trainer.adamSegments(field, levels,
                        levelSteps, t.optimizer().lrTables(), step + 1, t.optimizer().lrNetwork())));
            }
            batch.computeGradients(gradients);
            batch.adamUpdates(updates);
            if (step >= warmup) {
                nanos += System.nanoTime() - started;
                bytes += batch.bytesTransferred() - bytesBefore;
            }
        }
        return new Timing(nanos, bytes, losses[0][0]);
    }

    /**
     * The CPU backend's thread time per phase and step, the network products' operations per step
     * ({@code 2 rows sum_k in_k out_k} for each of forward, backward and weight gradient, rows being
     * points times the channels the problem's terms carry on the tiled path) and, on a tiled path,
     * their rate per thread.
     */
    private static void putPhases(ObjectNode r, JavaBackend java, long[] before, long flopsBefore, int steps,
                                  Problem problem, NeuralField field, int[] counts) {
        long[] after = java.phaseNanos();
        ObjectNode phases = r.putObject("phase_thread_ms_per_step");
        long productNanos = 0;
        for (int i = 0; i < after.length; i++) {
            String name = java.phases().get(i);
            long spent = after[i] - before[i];
            phases.put(name, spent / 1e6 / steps);
            if (name.endsWith("_products")) {
                productNanos += spent;
            }
        }
        long flops = java.productFlops() - flopsBefore;
        if (flops > 0) {
            r.put("network_product_gflop_per_step", flops / 1e9 / steps);
            r.put("network_product_gflops_per_thread", flops / (double) productNanos);
        } else {
            r.put("network_product_gflop_per_step", referenceProductFlops(problem, field, counts) / 1e9);
        }
    }

    /** The products' operations of a reference step: every point carries every channel of the problem. */
    private static double referenceProductFlops(Problem problem, NeuralField field, int[] counts) {
        long points = Arrays.stream(counts).asLongStream().sum();
        long multiplyAdds = 0;
        for (int k = 0; k < field.network().layers(); k++) {
            multiplyAdds += (long) field.network().inputWidth(k) * field.network().width(k);
        }
        int stencil = field.stencil() == null ? 1 : field.stencil().size();
        int channels = field.stencil() == null ? problem.channels().count() : 1;
        return 2.0 * 3 * multiplyAdds * points * stencil * channels;
    }
}
