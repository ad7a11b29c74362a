package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instance checkpoints in the pipeline ({@code fit --checkpoint-every}): a fit that finds its
 * instance's saved state, as a task killed after its save at step 20 of 40 leaves it, continues
 * from there and stores the same field, bit for bit, as a fit that ran through, and says it
 * resumed; a saved state of another config is discarded and the fit starts over, saying so; a run
 * whose fits all ended leaves no checkpoint behind, one with a failed fit keeps that fit's; a
 * cancelled job's fit stops within a step and keeps its checkpoint.
 */
class CheckpointResumeTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-checkpoints")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FieldPipeline pipeline() {
        return new FieldPipeline(spark, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1);
    }

    /** Fits one instance into {@code out} and returns its row of metrics and its stored parameters. */
    private static Row fit(FieldPipeline pipeline, Instance instance, Path out) {
        pipeline.fit(pipeline.instances(List.of(instance)), out.toString(), WriteMode.ERROR, "test");
        return spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString())
                .join(spark.read().parquet(out.resolve(FieldPipeline.METRICS).toString()), "id")
                .select("id", "field.parameters", "status", "backend_note").collectAsList().get(0);
    }

    /** Trains an instance's own config (id-derived seed) for some steps, saving its state to {@code file}. */
    private static void saveAfter(Instance instance, long steps, Path file) throws Exception {
        TrainConfig config = FieldFit.withInstanceSeed(ConfigReader.readTrainConfig(instance.spec(), instance.id()),
                instance.id());
        config = config.withTraining(config.training().withSteps(steps).withThreads(1));
        Files.createDirectories(file.getParent());
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(1))) {
            fit.train(ProgressListener.NONE, new Trainer.Checkpoints(file, 10, null));
        }
    }

    private static Path storedCheckpoint(Path out, String id) {
        return out.resolve(HadoopInstanceCheckpoints.DIRECTORY).resolve(SurfaceExtraction.fileName(id) + ".ckpt");
    }

    @Test
    void aFitContinuesFromItsSavedStateAndStoresTheFieldOfAnUninterruptedFit(@TempDir Path dir) throws Exception {
        Instance instance = SparkTestInstances.helmholtz(1, 40).get(0);
        Row through = fit(pipeline(), instance, dir.resolve("through"));
        assertEquals("ok", through.getString(2));

        Path resumedRun = dir.resolve("resumed");
        saveAfter(instance, 20, storedCheckpoint(resumedRun, instance.id()));
        Row resumed = fit(pipeline().checkpointEvery(10), instance, resumedRun);
        assertEquals("ok", resumed.getString(2));
        assertTrue(resumed.getString(3).contains("resumed from its checkpoint"), resumed.getString(3));
        assertArrayEquals(LocalArrays.doubles(through.getList(1)), LocalArrays.doubles(resumed.getList(1)), 0.0,
                "20 steps, saved, then 20 more give the field of 40 steps, bit for bit");
        assertFalse(Files.exists(resumedRun.resolve(HadoopInstanceCheckpoints.DIRECTORY)),
                "a run whose fits all ended leaves no checkpoints");
    }

    @Test
    void aSavedStateOfAnotherConfigIsDiscardedAndTheFitStartsOver(@TempDir Path dir) throws Exception {
        List<Instance> two = SparkTestInstances.helmholtz(2, 30);
        Instance instance = two.get(0);
        Row through = fit(pipeline(), instance, dir.resolve("through"));

        Path run = dir.resolve("stale");
        // the saved state of the other instance (another frequency) under this instance's name
        saveAfter(new Instance(instance.id(), two.get(1).spec()), 10, storedCheckpoint(run, instance.id()));
        Row fresh = fit(pipeline().checkpointEvery(10), instance, run);
        assertEquals("ok", fresh.getString(2));
        assertTrue(fresh.getString(3).contains("its checkpoint was not resumed"), fresh.getString(3));
        assertArrayEquals(LocalArrays.doubles(through.getList(1)), LocalArrays.doubles(fresh.getList(1)), 0.0,
                "a fit that started over equals one that never saw the stale state");
        assertFalse(Files.exists(storedCheckpoint(run, instance.id())));
    }

    @Test
    void aRunRemovesTheCheckpointsOfEndedFitsAndKeepsThoseOfFailedOnes(@TempDir Path dir) throws Exception {
        Instance trains = SparkTestInstances.helmholtz(1, 40).get(0);
        Instance fails = new Instance("broken",
                SparkTestInstances.smallHelmholtz(2, 40).replace("\"seed\"", "\"sed\""));
        Path run = dir.resolve("mixed");
        saveAfter(trains, 20, storedCheckpoint(run, trains.id()));
        Path failedState = Files.writeString(storedCheckpoint(run, fails.id()), "the state of an earlier try");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FieldPipeline pipeline = new FieldPipeline(spark, new PrintStream(log, true, StandardCharsets.UTF_8), 1)
                .checkpointEvery(10);
        List<Row> rows = pipeline.fit(pipeline.instances(List.of(trains, fails)), run.toString(), WriteMode.ERROR,
                "test").select("id", "status").orderBy("id").collectAsList();
        assertEquals("broken", rows.get(0).getString(0));
        assertEquals("failed", rows.get(0).getString(1));
        assertEquals("ok", rows.get(1).getString(1));
        assertFalse(Files.exists(storedCheckpoint(run, trains.id())), "the ended fit's checkpoint is gone");
        assertTrue(Files.exists(failedState), "the failed fit's state stays for --mode resume");
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("fit: 1 checkpoint(s) of fits that did not end stay"), printed);
    }

    /**
     * Spark only marks a killed task; a fit that did not ask would train on for its whole budget
     * (here a million steps) after its job was cancelled, or after its job ended without it.
     */
    @Test
    void aCancelledJobsFitStopsWithinAStepAndKeepsItsCheckpoint(@TempDir Path dir) throws Exception {
        Instance endless = SparkTestInstances.helmholtz(1, 1_000_000).get(0);
        Path run = dir.resolve("cancelled");
        CountDownLatch killed = new CountDownLatch(1);
        SparkListener taskEnds = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof TaskKilled) {
                    killed.countDown();
                }
            }
        };
        spark.sparkContext().addSparkListener(taskEnds);
        try {
            FieldPipeline pipeline = pipeline().checkpointEvery(10);
            CompletableFuture<Row> job = CompletableFuture.supplyAsync(() -> fit(pipeline, endless, run));
            Path checkpoint = storedCheckpoint(run, endless.id());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(checkpoint) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(checkpoint), "the fit saved its state");
            spark.sparkContext().cancelAllJobs();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> job.get(60, TimeUnit.SECONDS));
            assertTrue(String.valueOf(failed.getCause().getMessage()).contains("cancel"),
                    "the job was cancelled: " + failed.getCause());
            assertTrue(killed.await(60, TimeUnit.SECONDS), "the killed task ended: its fit asked before a step");
            assertTrue(Files.exists(checkpoint), "the cancelled fit keeps its checkpoint for a later run");
        } finally {
            spark.sparkContext().removeSparkListener(taskEnds);
        }
    }
}
