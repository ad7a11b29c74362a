package io.hermitengp.jobs.bench;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.PaperMetric;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.Progress;
import io.hermitengp.train.TrainingResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs a suite's cases one after another and writes, after every case (so an interrupted run
 * keeps what it finished): {@code results.json} (one object per case), {@code results.md} (the
 * table beside the paper's values), {@code <case>-error.png} (error against time) and, for 2D
 * problems, {@code <case>-field.png} (prediction and pointwise error). A case that fails is a row
 * with its status and message; the suite goes on.
 */
public final class BenchRunner {
    /** Least time between two progress lines of a case that report an evaluation's error. */
    private static final long PRINT_EVALUATED_NANOS = 5_000_000_000L;
    /** Most time without a progress line while a case trains (steps, rate and time left). */
    private static final long PRINT_ANYWAY_NANOS = 30_000_000_000L;

    private final Path outDirectory;
    private final PrintStream log;
    private final ArrayNode results = ConfigReader.mapper().createArrayNode();

    public BenchRunner(Path outDirectory, PrintStream log) {
        this.outDirectory = outDirectory;
        this.log = log;
    }

    public ArrayNode run(BenchSuite suite) throws IOException {
        Files.createDirectories(outDirectory);
        int index = 0;
        for (BenchCase c : suite.cases()) {
            index++;
            log.printf("[%d/%d] %s (%s): %s, budget %s%n", index, suite.cases().size(), c.name(), c.variant(),
                    c.config().problem().type(), budget(c.config().training()));
            ObjectNode row = runCase(c);
            results.add(row);
            Files.writeString(outDirectory.resolve("results.json"), results.toPrettyString());
            Files.writeString(outDirectory.resolve("results.md"), BenchTable.markdown(suite.name(), results));
        }
        return results;
    }

    private ObjectNode runCase(BenchCase c) {
        ObjectNode row = ConfigReader.mapper().createObjectNode();
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
            TrainingResult r = fit.train((p, evaluated) -> {
                // an evaluation's error at most every 5 s, and a line at least every 30 s between them
                long sinceLast = System.nanoTime() - lastPrint[0];
                if (evaluated && sinceLast > PRINT_EVALUATED_NANOS || sinceLast > PRINT_ANYWAY_NANOS) {
                    lastPrint[0] += sinceLast;
                    log.printf(Locale.ROOT, "    %s step %d/%d  loss %.3e  rel_l2 %s  %.1f ms/step  elapsed %s  eta %s%n",
                            c.name(), p.step(), p.totalSteps(), p.loss(),
                            Double.isNaN(p.relL2()) ? "-" : String.format(Locale.ROOT, "%.3e", p.relL2()),
                            p.msPerStep(), Progress.duration(p.seconds()), Progress.duration(p.etaSeconds()));
                }
            });
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
            ErrorCurvePlot.write(outDirectory.resolve(c.name() + "-error.png"), c.name() + " (" + c.variant() + ")",
                    r.errorCurve(), c.paperRelL2());
            if (fit.problem().dims() == 2) {
                writeFieldPicture(c, fit.problem(), fit.probe(r.activeLevels()));
            }
            log.printf(Locale.ROOT, "    %s: rel_l2 %.3e, %s %.3e (paper %s), grad_rel_l2 %.3e, %d steps in %.0f s%n",
                    c.name(), r.relL2(), r.paperMetric().map(PaperMetric::name).orElse("rel_l2"), comparable,
                    Double.isNaN(c.paperRelL2()) ? "-" : String.format(Locale.ROOT, "%.3g", c.paperRelL2()),
                    r.gradRelL2(), r.steps(), r.trainSeconds());
        } catch (RuntimeException | IOException e) {
            row.put("status", "failed");
            row.put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
            log.printf("    %s failed: %s%n", c.name(), e.getMessage());
        }
        row.set("config", config.toJson());
        return row;
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
