package io.hermitengp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.config.ConfigReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's GPU scheduling with a fake discovery script (two GPUs, addresses 0 and 1, on one
 * two-core executor, one GPU per task): tasks that run at the same time hold distinct addresses,
 * and each hands its address to the OpenCL backend as the device to open. No GPU is needed: an
 * address that names one of this machine's OpenCL devices trains there, any other is a failed
 * row naming it, and either way the resolved config records what the task asked for. With a GPU
 * assigned, an instance that asks for {@code java} trains on the CPU and its row says the GPU went
 * unused; an {@code auto} instance the OpenCL backend cannot train (an INGP-FD encoding) runs on
 * the CPU and its row says why.
 */
class GpuAssignmentTest {

    @Test
    void concurrentTasksGetDistinctGpusAndHandThemToTheBackend(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("discover-gpus.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SparkSession spark = LocalClusters.start("local-cluster[1,2,1024]", "hermite-ngp-gpus", Map.of(
                "spark.worker.resource.gpu.amount", "2",
                "spark.worker.resource.gpu.discoveryScript", script.toString(),
                "spark.executor.resource.gpu.amount", "2",
                "spark.executor.resource.gpu.discoveryScript", script.toString(),
                "spark.task.resource.gpu.amount", "1",
                "spark.executor.cores", "2"));
        try {
            // one instance per task, so that rows that overlap in time come from distinct tasks
            // (the fields of a batch share their task's GPU, as they should)
            FieldPipeline pipeline = new FieldPipeline(spark,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 1).batchFields(1);
            Path out = dir.resolve("out");
            List<Instance> instances = new ArrayList<>(SparkTestInstances.helmholtz(6, 150));
            instances.add(new Instance("asks-java", SparkTestInstances.smallHelmholtzOn("java", 20)));
            instances.add(new Instance("cpu-only-encoding", SparkTestInstances.smallHelmholtzIngpFd(5)));
            // a file:// URI, as a cluster user names a shared file system
            Dataset<Row> metrics = pipeline.fit(pipeline.instances(instances), "file://" + out.toAbsolutePath(),
                    WriteMode.ERROR, "test");
            List<Row> all = metrics.select("id", "gpu_address", "started_at_ms", "wall_seconds", "executor_id",
                    "config", "status", "message", "backend", "backend_note").collectAsList();
            assertEquals(8, all.size());
            Map<String, Row> byId = new HashMap<>();
            all.forEach(r -> byId.put(r.getString(0), r));
            Row java = byId.get("asks-java");
            assertEquals("ok", java.getString(6), java.getString(7));
            assertTrue(java.getString(8).startsWith("java:"), "an explicit java request ran on " + java.getString(8));
            assertTrue(java.getString(9).contains("GPU " + java.getString(1) + " is not used"), java.getString(9));
            Row cpuOnly = byId.get("cpu-only-encoding");
            assertEquals("ok", cpuOnly.getString(6), cpuOnly.getString(7));
            assertTrue(cpuOnly.getString(8).startsWith("java:"), "auto without OpenCL support ran on " + cpuOnly.getString(8));
            assertTrue(cpuOnly.getString(9).startsWith("GPU " + cpuOnly.getString(1) + " assigned, trained on the CPU"),
                    cpuOnly.getString(9));
            List<Row> rows = all.stream().filter(r -> r.getString(0).startsWith("h-")).toList();
            assertEquals(6, rows.size());
            int overlapping = 0;
            for (Row r : rows) {
                String address = r.getString(1);
                assertNotNull(address, r.getString(0) + " ran without a GPU");
                assertTrue(address.equals("0") || address.equals("1"), "address " + address);
                JsonNode config = ConfigReader.mapper().readTree(r.getString(5));
                assertEquals("opencl", config.at("/training/backend/type").asText(), r.getString(0));
                assertEquals("gpu:" + address, config.at("/training/backend/device").asText(),
                        r.getString(0) + ": the backend was asked for the assigned GPU");
                for (Row other : all) {
                    if (other != r && overlaps(r, other)) {
                        overlapping++;
                        assertNotEquals(address, other.getString(1), r.getString(0) + " and " + other.getString(0)
                                + " ran at the same time on the same GPU");
                    }
                }
            }
            assertTrue(overlapping > 0, "with two cores and two GPUs some fits must have run at the same time");
            // the executors run on this machine: an address naming one of its OpenCL GPUs (or, on a
            // machine without one, such as PoCL alone, one of its devices) trains there, any other
            // fails naming the address
            int devices = OpenClDevices.addressableCount();
            for (Row r : rows) {
                int address = Integer.parseInt(r.getString(1));
                if (address < devices) {
                    assertEquals("ok", r.getString(6), r.getString(0) + ": " + r.getString(7));
                    assertTrue(r.getString(8).startsWith("opencl:"), r.getString(0) + " ran on " + r.getString(8));
                } else {
                    assertEquals("failed", r.getString(6), r.getString(0));
                    assertTrue(r.getString(7).contains(Integer.toString(address)), r.getString(7));
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static boolean overlaps(Row a, Row b) {
        long aStart = a.getLong(2);
        long aEnd = aStart + (long) (a.getDouble(3) * 1000);
        long bStart = b.getLong(2);
        long bEnd = bStart + (long) (b.getDouble(3) * 1000);
        return a.getString(4).equals(b.getString(4)) && aStart < bEnd && bStart < aEnd;
    }
}
