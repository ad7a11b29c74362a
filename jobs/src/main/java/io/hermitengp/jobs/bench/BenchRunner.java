package io.hermitengp.jobs.bench;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.PaperMetric;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.Cancellation;
import io.hermitengp.train.CheckpointException;
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.Progress;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Runs a suite's cases one after another and writes, after every case (so an interrupted run
 * keeps what it finished): {@code results.json} (one object per case), {@code results.md} (the
 * table beside the paper's values), {@code <case>-error.png} (error against time) and, for 2D
 * problems, {@code <case>-field.png} (prediction and pointwise error). A case that fails is a row
 * with its status and message; the suite goes on.
 *
 * <p>A suite can outlast one run of the command (a paper row is hours on a CPU, a full-budget
 * suite a day on a GPU), so a run picks up where the last one in the same directory stopped:
 * <ul>
 *   <li>the rows already in {@code results.json} stay, those of cases this run does not name
 *       included;</li>
 *   <li>a case whose row there ended ({@code ok} or {@code diverged}) is not run again unless
 *       {@link #rerunFinished} asks, or its case config changed ({@code case_config_sha256}, which
 *       the log says; a row written without one is kept);</li>
 *   <li>a case in training saves its whole state to {@code _checkpoints/<case>.ckpt} every
 *       {@link #checkpointEvery} counted steps, and a later run resumes it from there, to the bits
 *       of an uninterrupted run ({@link Trainer.Checkpoints}). A checkpoint of another config, or a
 *       damaged one, is moved aside to {@code <case>.ckpt.discarded} and the case starts over; one
 *       that cannot be read fails the case and stays. The log and the row's {@code note} say which.
 *       A case's checkpoint is removed once its ended row is in {@code results.json}; a case that
 *       fails keeps it.</li>
 * </ul>
 */
public final class BenchRunner {
    /** Least time between two progress lines of a case that report an evaluation's error. */
    private static final long PRINT_EVALUATED_NANOS = 5_000_000_000L;
    /** Most time without a progress line while a case trains (steps, rate and time left). */
    private static final long PRINT_ANYWAY_NANOS = 30_000_000_000L;

    /** Where a case's training state is saved while it runs, under the output directory. */
    static final String CHECKPOINTS = "_checkpoints";
    /** Counted steps between saves of a case's state unless asked otherwise. */
    public static final long DEFAULT_CHECKPOINT_EVERY = 1000;

    private final Path outDirectory;
    private final PrintStream log;
    private final long checkpointEvery;
    private final boolean rerunFinished;

    /** A runner that saves each case's state every {@link #DEFAULT_CHECKPOINT_EVERY} counted steps and keeps finished cases. */
    public BenchRunner(Path outDirectory, PrintStream log) {
        this(outDirectory, log, DEFAULT_CHECKPOINT_EVERY, false);
    }

    /**
     * @param checkpointEvery counted steps between saves of a case's state (0: none)
     * @param rerunFinished   run the cases whose rows in {@code results.json} ended, replacing them
     */
    public BenchRunner(Path outDirectory, PrintStream log, long checkpointEvery, boolean rerunFinished) {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint interval must be 0 (none) or positive, got "
                    + checkpointEvery);
        }
        this.outDirectory = outDirectory;
        this.log = log;
        this.checkpointEvery = checkpointEvery;
        this.rerunFinished = rerunFinished;
    }

    /**
     * Runs the suite's cases in order, after reading the rows an earlier run left; returns every
     * row of {@code results.json}, kept and new.
     *
     * @throws IOException when the results cannot be read or written
     */
    public ArrayNode run(BenchSuite suite) throws IOException {
        return run(suite, Cancellation.NEVER);
    }

    /**
     * The same, asking {@code cancellation} before every step: once it gives a reason, the
     * running case saves the step it reached (unless checkpoints are off), no row is written for
     * it, and no later case starts; the same command continues it.
     *
     * @throws FitCancelledException when cancelled
     */
    public ArrayNode run(BenchSuite suite, Cancellation cancellation) throws IOException {
        Files.createDirectories(outDirectory);
        ArrayNode results = earlierResults();
        int index = 0;
        for (BenchCase c : suite.cases()) {
            index++;
            String digest = configDigest(c);
            int earlier = rowIndex(results, c.name());
            JsonNode finished = earlier >= 0 ? results.get(earlier) : null;
            String tag = String.format(Locale.ROOT, "[%d/%d] %s", index, suite.cases().size(), c.name());
            if (finished != null && !rerunFinished && ended(finished)) {
                String recorded = finished.path("case_config_sha256").asText();
                if (recorded.isEmpty() || recorded.equals(digest)) {
                    log.printf("%s: %s in an earlier run, kept%s (--rerun runs it again)%n", tag,
                            finished.get("status").asText(), recorded.isEmpty() ? " (its row records no config)" : "");
                    continue;
                }
                log.printf("%s: its config changed since its row (sha256 %s..., now %s...), running it again%n", tag,
                        recorded.substring(0, 12), digest.substring(0, 12));
            }
            cancellation.check();   // before the next case's problem is built
            log.printf("%s (%s): %s, budget %s%n", tag, c.variant(), c.config().problem().type(),
                    budget(c.config().training()));
            ObjectNode row = runCase(c, cancellation);
            row.put("case_config_sha256", digest);
            if (earlier >= 0) {
                results.set(earlier, row);
            } else {
                results.add(row);
            }
            Files.writeString(outDirectory.resolve("results.json"), results.toPrettyString());
            Files.writeString(outDirectory.resolve("results.md"), BenchTable.markdown(suite.name(), results));
            if (ended(row)) {
                // the row holds the run now
                Files.deleteIfExists(checkpointFile(c.name()));
                deleteIfEmpty(outDirectory.resolve(CHECKPOINTS));
            }
        }
        return results;
    }

    /** The rows of the directory's {@code results.json}, or none; an error for a file that is not a bench result. */
    private ArrayNode earlierResults() throws IOException {
        Path file = outDirectory.resolve("results.json");
        if (!Files.exists(file)) {
            return ConfigReader.mapper().createArrayNode();
        }
        JsonNode tree;
        try {
            tree = ConfigReader.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not a bench result (" + e.getMessage() + "); move it, or choose "
                    + "another --out", e);
        }
        if (!(tree instanceof ArrayNode rows)) {
            throw new IOException(file + " is not a bench result (not an array of rows); move it, or choose another "
                    + "--out");
        }
        return rows;
    }

    private static int rowIndex(ArrayNode results, String name) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).path("name").asText().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean ended(JsonNode row) {
        String status = row.path("status").asText();
        return status.equals(TrainingStatus.OK.label()) || status.equals(TrainingStatus.DIVERGED.label());
    }

    /** SHA-256 of the case's config as the suite gives it (every default filled), in hex. */
    static String configDigest(BenchCase c) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    c.config().toJson().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The case's checkpoint file. */
    Path checkpointFile(String caseName) {
        return outDirectory.resolve(CHECKPOINTS).resolve(caseName + ".ckpt");
    }

    /**
     * Trains the case's fit, resuming from its checkpoint when one is there. A checkpoint of
     * another config or a damaged one is moved aside ({@code .discarded}) and the case trains from
     * step 0; one that cannot be read fails the case and stays where it is. Adds a note to the row
     * when it resumed or started over.
     */
    private TrainingResult train(BenchCase c, FieldFit fit, ProgressListener listener, ObjectNode row,
                                 Cancellation cancellation) throws IOException {
        Path file = checkpointFile(c.name());
        boolean saved = Files.exists(file);
        if (saved) {
            log.printf("    %s: resuming from %s%n", c.name(), file);
            try {
                TrainingResult r = fit.train(listener, new Trainer.Checkpoints(file, checkpointEvery, file),
                        cancellation);
                row.put("note", "resumed from its checkpoint");
                return r;
            } catch (CheckpointException stale) {
                if (stale.getCause() instanceof IOException && !(stale.getCause() instanceof EOFException)) {
                    throw stale;   // not read: it may be whole, and it stays for the next run
                }
                Path aside = file.resolveSibling(file.getFileName() + ".discarded");
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                log.printf("    %s: checkpoint not resumed (%s), moved to %s; training from step 0%n", c.name(),
                        stale.getMessage(), aside);
                row.put("note", "its checkpoint was not resumed (" + stale.getMessage() + "); trained from step 0");
            }
        }
        return fit.train(listener, checkpointEvery > 0 ? new Trainer.Checkpoints(file, checkpointEvery, null)
                : Trainer.Checkpoints.NONE, cancellation);
    }

    private ObjectNode runCase(BenchCase c, Cancellation cancellation) {
        ObjectNode row = ConfigReader.mapper().createObjectNode();
        long[] lastStep = {-1};   // the last step trained, for the line of an interrupted case
        TrainConfig config = c.config();
        row.put("name", c.name());
        row.put("problem", config.problem().type());
        ObjectNode parameters = ConfigReader.mapper().createObjectNode();
        config.problem().writeTo(parameters);
        parameters.remove("type");
        row.set("parameters", parameters);
        row.put("variant", c.variant());
        row.put("budget", budget(config.training()));
        if (Double.isNaN(c.paperRelL2())) {
            row.putNull("paper");
        } else {
            row.put("paper", c.paperRelL2());
        }
        row.put("seed", config.training().seed());
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(config.training().threads()))) {
            config = fit.config();
            long[] lastPrint = {System.nanoTime()};
            ProgressListener progress = (p, evaluated) -> {
                lastStep[0] = p.step();
                // an evaluation's error at most every 5 s, and a line at least every 30 s between them
                long sinceLast = System.nanoTime() - lastPrint[0];
                if (evaluated && sinceLast > PRINT_EVALUATED_NANOS || sinceLast > PRINT_ANYWAY_NANOS) {
                    lastPrint[0] += sinceLast;
                    log.printf(Locale.ROOT, "    %s step %d/%d  loss %.3e  rel_l2 %s  %.1f ms/step  elapsed %s  eta %s  (%s)%n",
                            c.name(), p.step(), p.totalSteps(), p.loss(),
                            Double.isNaN(p.relL2()) ? "-" : String.format(Locale.ROOT, "%.3e", p.relL2()),
                            p.msPerStep(), Progress.duration(p.seconds()), Progress.duration(p.etaSeconds()),
                            p.terms());
                }
            };
            TrainingResult r = train(c, fit, progress, row, cancellation);
            row.put("status", r.status().label());
            if (!r.message().isEmpty()) {
                row.put("message", r.message());
            }
            row.put("rel_l2", r.relL2());
            row.put("grad_rel_l2", r.gradRelL2());
            r.paperMetric().ifPresent(m -> {
                row.put("paper_metric", m.value());
                row.put("paper_metric_name", m.name());
            });
            // the paper's number is in the authors' metric; rel_l2 stands in where a problem has none
            double comparable = r.paperMetric().map(PaperMetric::value).orElse(r.relL2());
            if (!Double.isNaN(c.paperRelL2()) && c.paperRelL2() > 0) {
                row.put("ratio_to_paper", comparable / c.paperRelL2());
            }
            row.put("weights", r.average().weights());
            if (r.average().averaged()) {
                row.put("final_rel_l2", r.average().finalRelL2());
                row.put("best_step", r.average().bestStep());
                row.put("raw_rel_l2", r.average().rawRelL2());
            }
            row.put("steps", r.steps());
            row.put("seconds", r.trainSeconds());
            row.put("ms_per_step", r.msPerStep());
            row.put("backend", r.backend());
            ArrayNode curve = row.putArray("error_curve");
            r.errorCurve().forEach(e -> {
                ArrayNode point = curve.addArray().add(e.step()).add(e.seconds()).add(e.relL2()).add(e.gradRelL2());
                if (r.average().averaged()) {
                    point.add(e.rawRelL2());
                }
            });
            // a picture that cannot be drawn must not cost a finished case its row, nor the other picture
            try {
                ErrorCurvePlot.write(outDirectory.resolve(c.name() + "-error.png"), c.name() + " (" + c.variant() + ")",
                        r.errorCurve(), c.paperRelL2());
            } catch (IOException | RuntimeException e) {
                pictureFailed(c, row, e);
            }
            if (fit.problem().dims() == 2) {
                try {
                    writeFieldPicture(c, fit.problem(), fit.probe(r.activeLevels()));
                } catch (IOException | RuntimeException e) {
                    pictureFailed(c, row, e);
                }
            }
            log.printf(Locale.ROOT, "    %s: rel_l2 %.3e, %s %.3e (paper %s), grad_rel_l2 %.3e, %d steps in %.0f s%n",
                    c.name(), r.relL2(), r.paperMetric().map(PaperMetric::name).orElse("rel_l2"), comparable,
                    Double.isNaN(c.paperRelL2()) ? "-" : String.format(Locale.ROOT, "%.3g", c.paperRelL2()),
                    r.gradRelL2(), r.steps(), r.trainSeconds());
        } catch (FitCancelledException stopped) {
            // not the case's failure: it continues in the next run
            log.printf("    %s: interrupted %s; %s%n", c.name(),
                    lastStep[0] < 0 ? "before its first step" : "at step " + lastStep[0],
                    checkpointEvery > 0 ? "its state is saved in " + checkpointFile(c.name())
                            + ", and the same command continues it" : "nothing is saved (--checkpoint-every 0)");
            throw stopped;
        } catch (RuntimeException | IOException e) {
            row.put("status", "failed");
            row.put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
            log.printf("    %s failed: %s%n", c.name(), e.getMessage());
        }
        row.set("config", config.toJson());
        return row;
    }

    /** Adds a picture's failure to the row's {@code picture_error} and the log. */
    private void pictureFailed(BenchCase c, ObjectNode row, Exception e) {
        String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        row.put("picture_error", row.has("picture_error") ? row.get("picture_error").asText() + "; " + failure
                : failure);
        log.printf("    %s: a picture was not written: %s%n", c.name(), e.getMessage());
    }

    private static void deleteIfEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            }
        }
    }

    private void writeFieldPicture(BenchCase c, Problem problem, FieldProbe field)
            throws IOException {
        int[] grid = problem.evaluationGrid();
        int n = grid[0] * grid[1];
        double[] points = new double[2 * n];
        for (int p = 0; p < n; p++) {
            problem.domain().latticePoint(grid, p, points, 2 * p);
        }
        Channels channels = Channels.valueAndGradient(2);
        int jet = channels.count() * problem.outputs();
        double[] values = new double[n * jet];
        field.evaluate(points, n, channels, values);
        double[] predicted = new double[n];
        double[] exact = new double[n];
        double[] exactJet = new double[3 * problem.outputs()];
        for (int p = 0; p < n; p++) {
            predicted[p] = values[p * jet];
            problem.exact(points, 2 * p, exactJet);
            exact[p] = exactJet[0];
        }
        FieldPicture.write(outDirectory.resolve(c.name() + "-field.png"), c.name() + " (" + c.variant() + ")",
                grid[0], grid[1], predicted, exact);
    }

    static String budget(TrainConfig.Training t) {
        boolean steps = t.steps() < 1_000_000_000L;
        if (t.maxSeconds() > 0 && steps) {
            return t.steps() + " steps or " + fmt(t.maxSeconds()) + " s";
        }
        return t.maxSeconds() > 0 ? fmt(t.maxSeconds()) + " s" : t.steps() + " steps";
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

}
