package io.hermitengp.cli;

import io.hermitengp.backend.Backends;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.Progress;
import io.hermitengp.train.ResultJson;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code train <config.json> [--steps N] [--seconds S] [--threads N] [--seed S] [--backend java|opencl]
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
                case "--backend" -> {
                    if (!value.equals(TrainConfig.Backend.JAVA) && !value.equals(TrainConfig.Backend.OPENCL)) {
                        throw new UsageException("--backend must be java or opencl, got '" + value + "'");
                    }
                    training = training.withBackend(new TrainConfig.Backend(value, training.backend().device()));
                }
                case "--device" -> training = training.withBackend(new TrainConfig.Backend(training.backend().type(),
                        value));
                default -> throw new UsageException("unknown option '" + option
                        + "'; allowed: --steps, --seconds, --threads, --seed, --backend, --device, --curves");
            }
        }
        config = config.withTraining(training);
        Problem problem = config.problem().create();
        NeuralField field = Trainer.buildField(config, problem);
        PrintStream err = System.err;
        TrainingResult result;
        try (TrainingBackend backend = Backends.open(config, field, problem)) {
            err.printf("training %s: %d parameters (%d in tables), %d steps%s, on %s%n", problem.type(),
                    field.parameterCount(), field.encoding().parameterCount(), training.steps(),
                    training.maxSeconds() > 0 ? " or " + training.maxSeconds() + " s" : "", backend.description());
            long[] lastPrint = {System.nanoTime()};
            result = new Trainer(config, problem, field, backend, (p, evaluated) -> {
                long now = System.nanoTime();
                if (evaluated || now - lastPrint[0] > 2_000_000_000L || p.step() == p.totalSteps()) {
                    lastPrint[0] = now;
                    err.println(format(p));
                }
            }).train();
        }
        if (curves != null) {
            writeCurves(curves, result, config, field);
        }
        System.out.println(ResultJson.of(result, config, field.parameterCount(), false).toString());
        return result.status() == TrainingStatus.OK ? 0 : 1;
    }

    private static String format(Progress p) {
        return String.format("step %d/%d  loss %.4e  rel_l2 %s  levels %d  %.1f ms/step  elapsed %s  eta %s",
                p.step(), p.totalSteps(), p.loss(), Double.isNaN(p.relL2()) ? "-" : String.format("%.4e", p.relL2()),
                p.activeLevels(), p.msPerStep(), duration(p.seconds()), duration(p.etaSeconds()));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static void writeCurves(Path file, TrainingResult result, TrainConfig config, NeuralField field) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, ResultJson.of(result, config, field.parameterCount(), true).toPrettyString());
        } catch (IOException e) {
            throw new UsageException("cannot write curves to " + file + ": " + e.getMessage());
        }
    }
}
