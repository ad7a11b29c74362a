package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.train.ProgressListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-worker cluster of separate executor JVMs in which one executor is killed (SIGKILL) while
 * the fit runs, with checkpoints every 50 steps: the job still completes, every instance appears
 * exactly once in both tables, no checkpoint is left, and a fit that continued from the killed
 * task's checkpoint stores the field of an uninterrupted fit, bit for bit.
 */
class ExecutorLossTest {

    @Test
    void killingAnExecutorMidJobLosesAndDuplicatesNothing(@TempDir Path out) throws Exception {
        SparkSession spark = LocalClusters.start("local-cluster[2,1,1024]", "hermite-ngp-executor-loss", Map.of());
        try {
            int k = 12;
            List<Instance> instances = SparkTestInstances.helmholtz(k, 200);
            FieldPipeline pipeline = new FieldPipeline(spark,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1).checkpointEvery(50)
                    .batchFields(3);   // four tasks of three fields: the killed executor loses batches mid-way
            Dataset<Row> input = pipeline.instances(instances);
            CompletableFuture<Dataset<Row>> job = CompletableFuture.supplyAsync(() -> pipeline.fit(input,
                    out.toAbsolutePath() + "//run", WriteMode.ERROR, "test"));   // '//' inside a path: one directory

            String app = spark.sparkContext().applicationId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            // wait until fitting is under way (batches have saved checkpoints), then kill one executor
            Path checkpoints = out.resolve("run").resolve(HadoopInstanceCheckpoints.DIRECTORY);
            while (savedCheckpoints(checkpoints) < 3 && System.nanoTime() < deadline && !job.isDone()) {
                Thread.sleep(100);
            }
            assertFalse(job.isDone(), "the job finished before an executor could be killed");
            List<ProcessHandle> executors = LocalClusters.executors(app);
            assertEquals(2, executors.size(), "two executor JVMs before the kill");
            assertTrue(executors.get(0).destroyForcibly(), "kill an executor");

            Dataset<Row> metrics = job.get(300, TimeUnit.SECONDS);
            List<Row> rows = metrics.select("id", "status", "task_attempt", "executor_id").collectAsList();
            Set<String> ids = new HashSet<>();
            for (Row r : rows) {
                assertTrue(ids.add(r.getString(0)), "instance " + r.getString(0) + " appears twice");
                assertEquals("ok", r.getString(1), "instance " + r.getString(0));
            }
            assertEquals(k, rows.size(), "every instance exactly once in metrics");
            Dataset<Row> fields = spark.read().parquet(out.resolve("run").resolve(FieldPipeline.FIELDS).toString());
            assertEquals(k, fields.count(), "every instance exactly once in fields");
            assertEquals(k, fields.select("id").distinct().count());
            assertFalse(Files.exists(out.resolve("run").resolve(HadoopInstanceCheckpoints.DIRECTORY)),
                    "every fit ended, so no checkpoint is left");
            List<Row> resumed = metrics.filter(metrics.col("backend_note").contains("resumed from its checkpoint"))
                    .join(fields, "id").select("id", "field.parameters").collectAsList();
            for (Row r : resumed) {
                Instance instance = instances.stream().filter(i -> i.id().equals(r.getString(0))).findFirst()
                        .orElseThrow();
                TrainConfig config = FieldFit.withInstanceSeed(
                        ConfigReader.readTrainConfig(instance.spec(), instance.id()), instance.id());
                try (FieldFit fit = FieldFit.open(config.withTraining(config.training().withThreads(1)),
                        DeviceChoice.cpu(1))) {
                    assertArrayEquals(fit.train(ProgressListener.NONE).parameters(),
                            LocalArrays.doubles(r.getList(1)), 0.0,
                            instance.id() + " continued from a checkpoint and must equal an uninterrupted fit");
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static long savedCheckpoints(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).count();
        }
    }
}
