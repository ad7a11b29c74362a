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
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.Progress;
import io.hermitengp.train.ResultJson;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code train <config.json> [options]} ({@link #SPEC}): trains one field, prints progress to
 * stderr at most every two seconds and at every evaluation, then one JSON line to stdout. Exit
 * status 0 when the fit ended ok, {@link #DIVERGED} when its loss became NaN or infinite.
 */
final class TrainCommand {
    static final int DIVERGED = 1;
    /** Interrupted (Ctrl-C, SIGTERM); the JVM's own status for SIGINT. */
    static final int INTERRUPTED = 130;

    static final CommandSpec SPEC = new CommandSpec("train", "<config.json>",
            "train one field in this JVM, no Spark; progress on stderr, one JSON result line on stdout",
            List.of(OptionSpec.optional("--steps", "N", "the config's training.steps", "step budget"),
                    OptionSpec.optional("--seconds", "S", "the config's training.max_seconds",
                            "training-time budget in seconds (evaluation not counted)"),
                    OptionSpec.optional("--threads", "N", "the config's training.threads, 0 for all cores",
                            "CPU threads; results are bit-identical for any N"),
                    OptionSpec.optional("--seed", "S", "the config's training.seed",
                            "seed of initialisation and sampling"),
                    OptionSpec.optional("--backend", "auto|java|opencl", "the config's training.backend.type",
                            "the training backend"),
                    OptionSpec.optional("--device", "INDEX|NAME", "the config's training.backend.device",
                            "OpenCL device: an index in platform/device order, or part of its platform/device name"),
                    OptionSpec.optional("--curves", "FILE", "not written",
                            "also write the full result with the per-step loss curve (pretty JSON)"),
                    OptionSpec.optional("--surface", "FILE.ply|.obj", "not written",
                            "sdf only: the zero level set in the mesh's own coordinates"),
                    OptionSpec.optional("--slice", "FILE.png", "not written",
                            "3D problems: the field on the plane z = middle of the box beside its error"),
                    OptionSpec.optional("--checkpoint", "FILE", "the --resume file, else none",
                            "save the run's whole state there (atomically) every --checkpoint-every steps and at "
                                    + "the end; an existing file is continued only with --resume"),
                    OptionSpec.withDefault("--checkpoint-every", "N", "1000", "counted steps between checkpoints"),
                    OptionSpec.optional("--resume", "FILE", "a fresh run",
                            "continue the run saved in FILE (same config; --steps, --seconds, --threads and the "
                                    + "backend may change); bit-identical to an uninterrupted run")),
            DIVERGED + " the fit diverged (its loss became NaN or infinite); " + INTERRUPTED
                    + " interrupted (Ctrl-C), the step it reached saved to --checkpoint", false);

    private TrainCommand() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        Path configPath = Path.of(options.operand());
        TrainConfig config = ConfigReader.readTrainConfig(configPath);
        TrainConfig.Training training = config.training();
        if (options.has("--steps")) {
            training = training.withSteps(options.integer("--steps", 0, Long.MAX_VALUE));
        }
        if (options.has("--seconds")) {
            training = training.withMaxSeconds(options.positiveNumber("--seconds"));
        }
        if (options.has("--threads")) {
            training = training.withThreads(options.integer("--threads", 1));
        }
        if (options.has("--seed")) {
            training = training.withSeed(options.integer("--seed", Long.MIN_VALUE, Long.MAX_VALUE));
        }
        if (options.has("--backend")) {
            String backend = options.string("--backend");
            if (!backend.equals(TrainConfig.Backend.JAVA) && !backend.equals(TrainConfig.Backend.OPENCL)
                    && !backend.equals(TrainConfig.Backend.AUTO)) {
                throw new UsageException("train --backend must be auto, java or opencl, got '" + backend + "'");
            }
            training = training.withBackend(new TrainConfig.Backend(backend, training.backend().device()));
        }
        if (options.has("--device")) {
            training = training.withBackend(new TrainConfig.Backend(training.backend().type(),
                    options.string("--device")));
        }
        Path curves = options.path("--curves");
        Path surface = options.path("--surface");
        Path slice = options.path("--slice");
        config = config.withTraining(training);
        if (surface != null && !config.problem().type().equals(SdfProblem.TYPE)) {
            throw new UsageException("train --surface extracts the zero level set of an sdf field; this config is "
                    + config.problem().type());
        }
        if (slice != null && config.problem().dims() != 3) {
            throw new UsageException("train --slice draws a plane through a 3D field; this config is "
                    + config.problem().type() + " in " + config.problem().dims() + "D");
        }
        // every output is tried before training, not after it
        for (String option : List.of("--curves", "--surface", "--slice")) {
            if (options.has(option)) {
                PathChecks.writableFile(options.label(option), options.path(option));
            }
        }
        Trainer.Checkpoints checkpoints = checkpoints(options);
        PrintStream err = System.err;
        TrainingResult result;
        TrainConfig ran;
        int parameters;
        RuntimeException pictureFailure = null;
        // installed when training starts (an interrupt while the problem is built ends the JVM at
        // once) and closed once the result is out, so an interrupt after the last step waits for it
        Interruption interruption = null;
        try {
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
                long[] lastStep = {-1};
                if (checkpoints.resumeFrom() != null) {
                    err.println("resuming the run saved in " + checkpoints.resumeFrom());
                }
                interruption = Interruption.install();
                try {
                    result = fit.train((p, evaluated) -> {
                        lastStep[0] = p.step();
                        long now = System.nanoTime();
                        if (evaluated || now - lastPrint[0] > 2_000_000_000L || p.step() == p.totalSteps()) {
                            lastPrint[0] = now;
                            err.println(format(p));
                        }
                    }, checkpoints, interruption);
                } catch (FitCancelledException stopped) {
                    err.println(interrupted(lastStep[0], checkpoints));
                    return INTERRUPTED;
                }
                // the result first: a picture that cannot be written must not cost a finished run its result
                if (curves != null) {
                    writeCurves(curves, result, ran, parameters);
                }
                FieldProbe probe = fit.probe(result.activeLevels());
                try {
                    if (surface != null) {
                        SdfProblem sdf = (SdfProblem) problem;
                        writeSurface(surface, sdf, result.surface().orElseGet(() -> FieldSurface
                                .extract(probe, problem.domain(), sdf.settings().surfaceResolution())));
                        err.println("surface written to " + surface);
                    }
                    if (slice != null) {
                        writeSlice(slice, problem, probe);
                        err.println("slice written to " + slice);
                    }
                } catch (RuntimeException e) {
                    pictureFailure = e;
                }
            }
            System.out.println(ResultJson.of(result, ran, parameters, false).toString());
            if (pictureFailure != null) {
                throw pictureFailure;
            }
        } catch (Throwable e) {
            if (interruption != null) {
                interruption.keepUntilReported();
            }
            throw e;
        } finally {
            if (interruption != null) {
                interruption.close();
            }
        }
        return result.status() == TrainingStatus.OK ? 0 : DIVERGED;
    }

    /** What an interrupted run says: where it stopped, and how to continue it. */
    static String interrupted(long lastStep, Trainer.Checkpoints checkpoints) {
        String where = lastStep < 0 ? "before its first step" : "at step " + lastStep;
        return checkpoints.file() == null
                ? "train: interrupted " + where + "; nothing is saved (--checkpoint FILE keeps a run's state)"
                : "train: interrupted " + where + "; the run is saved in " + checkpoints.file()
                + ": continue it with --resume " + checkpoints.file();
    }

    /** The checkpoint policy the options ask for, checked before any work. */
    private static Trainer.Checkpoints checkpoints(JobOptions options) {
        Path resume = options.path("--resume");
        Path file = options.has("--checkpoint") ? options.path("--checkpoint") : resume;
        long every = options.integer("--checkpoint-every", 1, Long.MAX_VALUE);
        if (resume != null) {
            PathChecks.readableFile(options.label("--resume"), resume.toString());
        }
        if (file != null) {
            if (Files.exists(file) && !file.equals(resume)) {
                throw new UsageException("train " + options.label("--checkpoint") + ": " + file
                        + " exists; pass --resume " + file + " to continue that run, or remove it");
            }
            PathChecks.writableFile(options.label("--checkpoint"), file);
        }
        return new Trainer.Checkpoints(file, file == null ? 0 : every, resume);
    }

    /** Writes {@code extracted} (in the problem's coordinates) in the mesh's own coordinates. */
    private static void writeSurface(Path file, SdfProblem problem, TriangleMesh extracted) {
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
        return String.format("step %d/%d  loss %.4e  rel_l2 %s  levels %d  %.1f ms/step  elapsed %s  eta %s  (%s)",
                p.step(), p.totalSteps(), p.loss(), Double.isNaN(p.relL2()) ? "-" : String.format("%.4e", p.relL2()),
                p.activeLevels(), p.msPerStep(), Progress.duration(p.seconds()), Progress.duration(p.etaSeconds()),
                p.terms());
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
