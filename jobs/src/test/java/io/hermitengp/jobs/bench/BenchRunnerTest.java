package io.hermitengp.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.train.Cancellation;
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny-budget suite: checks the output files and their schema, not the accuracy. */
class BenchRunnerTest {
    private static final String TINY_2D = "{\"problem\": {\"type\": \"helmholtz2d\", \"a\": 1},"
            + " \"encoding\": {\"levels\": 3, \"n_min\": 4, \"n_max\": 16, \"log2_table_sizes\": [8, 8, 8]},"
            + " \"network\": {\"hidden\": [8]}, \"training\": {\"points\": {\"residual\": 64, \"boundary\": 32},"
            + " \"eval_every\": 5, \"curriculum\": {\"start_levels\": 2, \"levels_every\": 4}}}";
    private static final String TINY_TG = "{\"problem\": {\"type\": \"taylor_green\"},"
            + " \"encoding\": {\"levels\": 2, \"n_min\": 4, \"n_max\": 8, \"log2_table_sizes\": [8, 8, 8, 8]},"
            + " \"network\": {\"hidden\": [8]}, \"training\": {\"points\": {\"residual\": 64, \"initial\": 16, \"boundary\": 16},"
            + " \"curriculum\": {\"start_levels\": 1}}}";

    @Test
    void tinySuiteWritesResultsTableAndPictures(@TempDir Path dir) throws Exception {
        Path suiteFile = dir.resolve("tiny.json");
        Files.writeString(suiteFile, "{\"name\": \"tiny\", \"cases\": ["
                + "{\"name\": \"h2\", \"config\": " + TINY_2D + ", \"budget\": {\"steps\": 12}, \"paper\": 1e-3},"
                + "{\"name\": \"tg-opencl\", \"config\": " + TINY_TG + ", \"overrides\": {\"encoding\": "
                + "{\"type\": \"ingp_fd\", \"log2_table_sizes\": [8]}, \"training\": {\"backend\": "
                + "{\"type\": \"opencl\"}}}, \"budget\": {\"steps\": 3}},"
                + "{\"name\": \"tg\", \"variant\": \"no curriculum\", \"config\": " + TINY_TG
                + ", \"overrides\": {\"training\": {\"curriculum\": {\"enabled\": false}}}, \"budget\": {\"steps\": 4, \"seconds\": 60}}]}");
        BenchSuite suite = BenchSuite.read(suiteFile);
        Path out = dir.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new BenchRunner(out, new PrintStream(log, true, StandardCharsets.UTF_8)).run(suite);

        JsonNode results = ConfigReader.mapper().readTree(out.resolve("results.json").toFile());
        assertEquals(3, results.size());
        JsonNode h2 = results.get(0);
        for (String key : new String[]{"name", "problem", "parameters", "variant", "rel_l2", "grad_rel_l2", "paper",
                "ratio_to_paper", "steps", "seconds", "ms_per_step", "backend", "seed", "status", "budget", "config"}) {
            assertTrue(h2.has(key), "results.json row lacks '" + key + "': " + h2);
        }
        assertEquals("helmholtz2d", h2.get("problem").asText());
        assertEquals(1.0, h2.at("/parameters/a").asDouble());
        assertEquals(12, h2.get("steps").asLong());
        assertEquals("ok", h2.get("status").asText());
        // the paper's number is in the authors' metric, so the ratio is of that metric, reported beside ours
        assertEquals("rel_l2_grid200", h2.get("paper_metric_name").asText());
        assertEquals(h2.get("paper_metric").asDouble() / 1e-3, h2.get("ratio_to_paper").asDouble(), 1e-9);
        assertTrue(h2.get("rel_l2").isNumber() && h2.get("grad_rel_l2").isNumber());

        JsonNode failed = results.get(1);
        assertEquals("failed", failed.get("status").asText(), "an OpenCL request for an INGP-FD field must fail its row");
        assertTrue(failed.get("message").asText().contains("Hermite encodings only"), failed.toString());
        assertTrue(failed.get("paper").isNull());

        JsonNode tg = results.get(2);
        assertEquals("ok", tg.get("status").asText(), "the suite goes on after a failed case");
        assertEquals("no curriculum", tg.get("variant").asText());
        assertEquals("4 steps or 60 s", tg.get("budget").asText());

        String table = Files.readString(out.resolve("results.md"));
        assertTrue(table.startsWith("# tiny"), table);
        assertEquals(3, table.lines().filter(l -> l.startsWith("| h2 ") || l.startsWith("| tg")).count(), table);

        assertPicture(out.resolve("h2-error.png"));
        assertPicture(out.resolve("h2-field.png"));
        assertPicture(out.resolve("tg-error.png"));
        assertFalse(Files.exists(out.resolve("tg-field.png")), "no field picture for a 3-axis problem");
    }

    private static void assertPicture(Path file) throws Exception {
        assertTrue(Files.exists(file), file + " missing");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a PNG");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, file + " is too small");
    }

    /** A suite file of the tiny 2D case under each name, with {@code a} and a step budget each. */
    private static BenchSuite suite(Path dir, String... nameAStepsTriples) throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < nameAStepsTriples.length; i += 3) {
            cases.append(i == 0 ? "" : ",").append("{\"name\": \"").append(nameAStepsTriples[i])
                    .append("\", \"config\": ").append(TINY_2D).append(", \"overrides\": {\"problem\": {\"a\": ")
                    .append(nameAStepsTriples[i + 1]).append("}}, \"budget\": {\"steps\": ")
                    .append(nameAStepsTriples[i + 2]).append("}}");
        }
        Path file = dir.resolve("suite.json");
        Files.writeString(file, "{\"name\": \"resumable\", \"cases\": [" + cases + "]}");
        return BenchSuite.read(file);
    }

    /** Runs the suite (or the named cases) into {@code out}; returns what it logged. */
    private static String run(Path out, BenchSuite suite, long checkpointEvery, boolean rerun, String... only)
            throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchSuite chosen = only.length == 0 ? suite : suite.only(java.util.Set.of(only));
        new BenchRunner(out, new PrintStream(log, true, StandardCharsets.UTF_8), checkpointEvery, rerun).run(chosen);
        return log.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode results(Path out) throws Exception {
        return ConfigReader.mapper().readTree(out.resolve("results.json").toFile());
    }

    @Test
    void aRunInTheSameDirectoryKeepsEarlierRowsAndSkipsCasesThatEnded(@TempDir Path dir) throws Exception {
        BenchSuite suite = suite(dir, "a", "1", "6", "b", "2", "6");
        Path out = dir.resolve("out");
        run(out, suite, 0, false, "a");
        JsonNode first = results(out).get(0);
        run(out, suite, 0, false, "b");
        JsonNode both = results(out);
        assertEquals(2, both.size(), "the second run kept the first one's row: " + both);
        assertEquals(first, both.get(0));
        assertEquals("b", both.get(1).get("name").asText());

        String again = run(out, suite, 0, false);
        assertTrue(again.contains("[1/2] a: ok in an earlier run, kept") && again.contains("[2/2] b: ok in an earlier"),
                again);
        assertEquals(both, results(out), "nothing ran, nothing changed");

        String rerun = run(out, suite, 0, true, "a");
        assertTrue(rerun.contains("[1/1] a (Hermite-NGP)"), rerun);
        assertEquals(2, results(out).size());
        assertEquals("a", results(out).get(0).get("name").asText(), "a rerun case keeps its place");

        // a case whose config changed is not the case that ended: it runs again
        BenchSuite changed = suite(dir, "a", "1", "7", "b", "2", "6");
        String afterChange = run(out, changed, 0, false);
        assertTrue(afterChange.contains("[1/2] a: its config changed since its row")
                && afterChange.contains("[1/2] a (Hermite-NGP)") && afterChange.contains("[2/2] b: ok in an earlier"),
                afterChange);
        assertEquals(7, results(out).get(0).get("steps").asLong());

        Files.writeString(out.resolve("results.json"), "{\"not\": \"rows\"}");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> run(out, suite, 0, false));
        assertTrue(e.getMessage().contains("is not a bench result"), e.getMessage());
    }

    @Test
    void aPictureThatCannotBeWrittenLeavesTheCaseItsRow(@TempDir Path dir) throws Exception {
        BenchSuite suite = suite(dir, "p", "1", "4");
        Path out = dir.resolve("out");
        // a folder that is not empty, in the picture's way
        Files.createDirectories(out.resolve("p-error.png"));
        Files.writeString(out.resolve("p-error.png").resolve("keep.txt"), "in the way");
        String log = run(out, suite, 2, false);
        JsonNode row = results(out).get(0);
        assertEquals("ok", row.get("status").asText(), row.toString());
        assertTrue(row.get("picture_error").asText().length() > 0, row.toString());
        assertTrue(log.contains("p: a picture was not written"), log);
        assertTrue(Files.exists(out.resolve("p-field.png")), "the other picture is still drawn");
        assertFalse(Files.exists(out.resolve(BenchRunner.CHECKPOINTS)), "the ended case's checkpoint is gone");
    }

    @Test
    void anInterruptedCaseResumesFromItsCheckpointToTheBitsOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        BenchSuite suite = suite(dir, "h", "1", "12");
        Path whole = dir.resolve("whole");
        run(whole, suite, 4, false);
        assertFalse(Files.exists(whole.resolve(BenchRunner.CHECKPOINTS)), "a case that ended leaves no checkpoint");
        JsonNode expected = results(whole).get(0);

        // a run stopped after 8 steps, as a killed bench leaves it: its state saved at step 8
        Path interrupted = dir.resolve("interrupted");
        Path file = new BenchRunner(interrupted, System.err).checkpointFile("h");
        TrainConfig config = suite.cases().get(0).config();
        trainSaving(config.withTraining(config.training().withSteps(8)), file);
        String log = run(interrupted, suite, 4, false);
        assertTrue(log.contains("h: resuming from " + file), log);
        JsonNode resumed = results(interrupted).get(0);
        assertEquals("resumed from its checkpoint", resumed.get("note").asText());
        assertSameRun(expected, resumed);
        assertFalse(Files.exists(interrupted.resolve(BenchRunner.CHECKPOINTS)));

        // a checkpoint of another config is discarded, and the case trains from step 0
        Path stale = dir.resolve("stale");
        TrainConfig other = suite(dir, "h", "2", "12").cases().get(0).config();
        trainSaving(other.withTraining(other.training().withSteps(8)), new BenchRunner(stale, System.err)
                .checkpointFile("h"));
        String staleLog = run(stale, suite, 4, false);
        assertTrue(staleLog.contains("checkpoint not resumed") && staleLog.contains("another config"), staleLog);
        JsonNode fresh = results(stale).get(0);
        assertTrue(fresh.get("note").asText().contains("trained from step 0"), fresh.toString());
        assertSameRun(expected, fresh);
        assertTrue(Files.exists(stale.resolve(BenchRunner.CHECKPOINTS).resolve("h.ckpt.discarded")),
                "the other run's state is moved aside, not deleted");
        assertFalse(Files.exists(stale.resolve(BenchRunner.CHECKPOINTS).resolve("h.ckpt")));
    }

    @Test
    void aCancelledBenchSavesTheRunningCaseWhereItStoppedAndTheSameCommandFinishesIt(@TempDir Path dir)
            throws Exception {
        BenchSuite suite = suite(dir, "a", "1", "6", "h", "2", "12");
        Path whole = dir.resolve("whole");
        run(whole, suite, 4, false);
        JsonNode expected = results(whole).get(1);

        Path out = dir.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // no periodic save before the stop: the checkpoint is the one the interruption made
        BenchRunner runner = new BenchRunner(out, new PrintStream(log, true, StandardCharsets.UTF_8), 100, false);
        // asked before each case and each step: once and six times for a, once for h and then before
        // each of its steps; the 16th ask, before h's 8th step, calls it off
        AtomicInteger asks = new AtomicInteger();
        Cancellation afterSevenStepsOfH = () -> asks.incrementAndGet() > 15 ? "interrupted" : null;
        assertThrows(FitCancelledException.class, () -> runner.run(suite, afterSevenStepsOfH));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("h: interrupted at step 7; its state is saved in " + runner.checkpointFile("h")
                + ", and the same command continues it"), printed);
        assertEquals(1, results(out).size(), "a row for the case that ended, none for the interrupted one");
        assertEquals("a", results(out).get(0).get("name").asText());
        assertTrue(Files.exists(runner.checkpointFile("h")), "h saved the step it reached");

        String again = run(out, suite, 100, false);
        assertTrue(again.contains("[1/2] a: ok in an earlier run, kept") && again.contains("h: resuming from"), again);
        JsonNode resumed = results(out).get(1);
        assertEquals("resumed from its checkpoint", resumed.get("note").asText());
        assertSameRun(expected, resumed);
        assertFalse(Files.exists(out.resolve(BenchRunner.CHECKPOINTS)), "the case ended: its checkpoint is gone");
    }

    @Test
    void aBenchCancelledBetweenCasesStartsNoOther(@TempDir Path dir) throws Exception {
        BenchSuite suite = suite(dir, "a", "1", "6", "h", "2", "12");
        Path out = dir.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchRunner runner = new BenchRunner(out, new PrintStream(log, true, StandardCharsets.UTF_8), 100, false);
        AtomicInteger asks = new AtomicInteger();
        // the 8th ask is the one before h: a ended (one ask before it, six before its steps)
        assertThrows(FitCancelledException.class,
                () -> runner.run(suite, () -> asks.incrementAndGet() > 7 ? "interrupted" : null));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("[2/2] h ("), "h never started: " + printed);
        assertEquals(1, results(out).size());
        assertFalse(Files.exists(runner.checkpointFile("h")));
    }

    private static void trainSaving(TrainConfig config, Path file) {
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(config.training().threads()))) {
            fit.train(ProgressListener.NONE, new Trainer.Checkpoints(file, 4, null));
        }
        assertTrue(Files.exists(file), "no checkpoint at " + file);
    }

    /** The same training, bit for bit: errors, steps and every evaluation of the curve but its clock. */
    private static void assertSameRun(JsonNode expected, JsonNode actual) {
        for (String key : new String[]{"status", "rel_l2", "grad_rel_l2", "paper_metric", "steps", "weights"}) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
        JsonNode curve = expected.get("error_curve");
        assertEquals(curve.size(), actual.get("error_curve").size());
        for (int i = 0; i < curve.size(); i++) {
            for (int column : new int[]{0, 2, 3}) {
                assertEquals(curve.get(i).get(column), actual.get("error_curve").get(i).get(column),
                        "error curve point " + i + ", column " + column);
            }
        }
    }

    @Test
    void badSuitesNameTheCaseAndTheProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"name\": \"bad\", \"cases\": [{\"name\": \"x\", \"config\": " + TINY_2D
                + ", \"budget\": {\"step\": 3}}]}");
        ConfigException e = assertThrows(ConfigException.class, () -> BenchSuite.read(file));
        assertTrue(e.getMessage().contains("case 'x'") && e.getMessage().contains("step"), e.getMessage());
        Files.writeString(file, "{\"name\": \"bad\", \"cases\": [{\"name\": \"x\", \"config\": " + TINY_2D
                + ", \"budget\": {\"steps\": 3}}, {\"name\": \"x\", \"config\": " + TINY_2D + ", \"budget\": {\"steps\": 3}}]}");
        e = assertThrows(ConfigException.class, () -> BenchSuite.read(file));
        assertTrue(e.getMessage().contains("duplicate case name 'x'"), e.getMessage());
        Files.writeString(file, "{\"name\": \"bad\", \"cases\": [{\"name\": \"x\", \"config\": \"missing.json\","
                + " \"budget\": {\"steps\": 3}}]}");
        e = assertThrows(ConfigException.class, () -> BenchSuite.read(file));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }

    @Test
    void shippedSuitesParse() throws Exception {
        Path suites = Path.of(BenchRunnerTest.class.getResource("/suites/paper.json").toURI()).getParent();
        BenchSuite paper = BenchSuite.read(suites.resolve("paper.json"));
        BenchSuite quick = BenchSuite.read(suites.resolve("quick.json"));
        assertTrue(paper.cases().size() >= 12, "paper suite rows: " + paper.cases().size());
        assertEquals(java.util.List.of("helmholtz2d-a20"),
                paper.only(java.util.Set.of("helmholtz2d-a20")).cases().stream().map(BenchCase::name).toList());
        ConfigException unknown = assertThrows(ConfigException.class, () -> paper.only(java.util.Set.of("nope")));
        assertTrue(unknown.getMessage().contains("nope") && unknown.getMessage().contains("helmholtz2d-a10"),
                unknown.getMessage());
        // the CPU suite is the paper suite capped: the same rows, configs and overrides, 3,000 steps at most
        BenchSuite paperCpu = BenchSuite.read(suites.resolve("paper-cpu.json"));
        assertEquals(paper.cases().size(), paperCpu.cases().size());
        for (int i = 0; i < paper.cases().size(); i++) {
            BenchCase full = paper.cases().get(i);
            BenchCase capped = paperCpu.cases().get(i);
            assertEquals(full.name(), capped.name());
            assertEquals(Math.min(3000, full.config().training().steps()), capped.config().training().steps());
            assertEquals(full.config().withTraining(full.config().training().withSteps(0)).toJson(),
                    capped.config().withTraining(capped.config().training().withSteps(0)).toJson(), full.name());
            assertEquals(full.paperRelL2(), capped.paperRelL2(), 0.0);
        }
        double quickBudget = quick.cases().stream().mapToDouble(c -> c.config().training().maxSeconds()).sum();
        assertTrue(quickBudget <= 360, "quick suite training budget must leave room for evaluation within 10 minutes: "
                + quickBudget);
    }
}
