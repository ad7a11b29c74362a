package io.hermitengp.jobs;

import io.hermitengp.jobs.bench.FieldSlice;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshWriter;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.Problem;
import io.hermitengp.shape.FieldSurface;
import io.hermitengp.shape.SdfProblem;
import io.hermitengp.train.Progress;
import io.hermitengp.train.ResultJson;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code train <config.json> [--steps N] [--seconds S] [--threads N] [--seed S] [--backend auto|java|opencl]
 * [--device D] [--curves FILE]}:
 * trains one field, prints progress to stderr at most every two seconds and at every evaluation,
 * then one JSON line to stdout.
 */
final class TrainCommand {
    private TrainCommand() {
    }

    static int run(String[] args) {
        if (args.length < 1 || args[0].startsWith("--")) {
            throw new UsageException("train needs a config file: train <config.json> [options]");
        }
        Path configPath = Path.of(args[0]);
        TrainConfig config = ConfigReader.readTrainConfig(configPath);
        TrainConfig.Training training = config.training();
        Path curves = null;
        Path surface = null;
        Path slice = null;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--steps" -> training = training.withSteps(OptionValues.integer(option, value, 0, Long.MAX_VALUE));
                case "--seconds" -> training = training.withMaxSeconds(OptionValues.positiveNumber(option, value));
                case "--threads" -> training = training.withThreads((int) OptionValues.integer(option, value, 1, Integer.MAX_VALUE));
                case "--seed" -> training = training.withSeed(OptionValues.integer(option, value, Long.MIN_VALUE, Long.MAX_VALUE));
                case "--curves" -> curves = Path.of(value);
                case "--surface" -> surface = Path.of(value);
                case "--slice" -> slice = Path.of(value);
                case "--backend" -> {
                    if (!value.equals(TrainConfig.Backend.JAVA) && !value.equals(TrainConfig.Backend.OPENCL)
                            && !value.equals(TrainConfig.Backend.AUTO)) {
                        throw new UsageException("--backend must be auto, java or opencl, got '" + value + "'");
                    }
                    training = training.withBackend(new TrainConfig.Backend(value, training.backend().device()));
                }
                case "--device" -> training = training.withBackend(new TrainConfig.Backend(training.backend().type(),
                        value));
                default -> throw new UsageException("unknown option '" + option
                        + "'; allowed: --steps, --seconds, --threads, --seed, --backend, --device, --curves, --surface, "
                        + "--slice");
            }
        }
        config = config.withTraining(training);
        if (surface != null && !config.problem().type().equals(SdfProblem.TYPE)) {
            throw new UsageException("--surface extracts the zero level set of an sdf field; this config is "
                    + config.problem().type());
        }
        if (slice != null && config.problem().dims() != 3) {
            throw new UsageException("--slice draws a plane through a 3D field; this config is "
                    + config.problem().type() + " in " + config.problem().dims() + "D");
        }
        PrintStream err = System.err;
        TrainingResult result;
        TrainConfig ran;
        int parameters;
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(training.threads()))) {
            Problem problem = fit.problem();
            ran = fit.config();
            parameters = fit.field().parameterCount();
            err.printf("problem %s ready in %.1f s%n", problem, fit.problemSeconds());
            err.printf("training %s: %d parameters (%d in tables), %d steps%s, on %s%s%n", problem.type(),
                    parameters, fit.field().encoding().parameterCount(), training.steps(),
                    training.maxSeconds() > 0 ? " or " + training.maxSeconds() + " s" : "",
                    fit.backend().description(), fit.backendNote().isEmpty() ? "" : " (" + fit.backendNote() + ")");
            long[] lastPrint = {System.nanoTime()};
            result = fit.train((p, evaluated) -> {
                long now = System.nanoTime();
                if (evaluated || now - lastPrint[0] > 2_000_000_000L || p.step() == p.totalSteps()) {
                    lastPrint[0] = now;
                    err.println(format(p));
                }
            });
            FieldProbe probe = fit.probe(result.activeLevels());
            if (surface != null) {
                writeSurface(surface, (SdfProblem) problem, probe);
                err.println("surface written to " + surface);
            }
            if (slice != null) {
                writeSlice(slice, problem, probe);
                err.println("slice written to " + slice);
            }
        }
        if (curves != null) {
            writeCurves(curves, result, ran, parameters);
        }
        System.out.println(ResultJson.of(result, ran, parameters, false).toString());
        return result.status() == TrainingStatus.OK ? 0 : 1;
    }

    private static void writeSurface(Path file, SdfProblem problem, FieldProbe field) {
        TriangleMesh extracted = FieldSurface.extract(field, problem.domain(), problem.settings().surfaceResolution());
        try {
            createParent(file);
            MeshWriter.write(FieldSurface.toMeshCoordinates(extracted, problem.mesh().normalization()), file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot write the surface to " + file + ": " + e.getMessage());
        }
    }

    private static void writeSlice(Path file, Problem problem, FieldProbe field) {
        try {
            createParent(file);
            FieldSlice.write(file, problem, field, 2, 256);
        } catch (IOException e) {
            throw new UsageException("cannot write the slice to " + file + ": " + e.getMessage());
        }
    }

    private static void createParent(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
    }

    private static String format(Progress p) {
        return String.format("step %d/%d  loss %.4e  rel_l2 %s  levels %d  %.1f ms/step  elapsed %s  eta %s",
                p.step(), p.totalSteps(), p.loss(), Double.isNaN(p.relL2()) ? "-" : String.format("%.4e", p.relL2()),
                p.activeLevels(), p.msPerStep(), Progress.duration(p.seconds()), Progress.duration(p.etaSeconds()));
    }

    private static void writeCurves(Path file, TrainingResult result, TrainConfig config, int parameters) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, ResultJson.of(result, config, parameters, true).toPrettyString());
        } catch (IOException e) {
            throw new UsageException("cannot write curves to " + file + ": " + e.getMessage());
        }
    }
}
