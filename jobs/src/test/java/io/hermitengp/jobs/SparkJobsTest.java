package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.hermitengp.jobs.JobOutputs.byId;
import static io.hermitengp.jobs.JobOutputs.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark jobs: every usage error named before any Spark session starts (through the jobs' own
 * entry methods, as {@link JobMain} calls them), then tiny batches through {@code fit}, {@code
 * extract}, {@code summarize}, {@code demo} and {@code throughput} run by {@link JobMain#run},
 * each job starting and stopping its own {@code local[*]} session and ending with its exit status
 * (3 for a batch with a failed instance, unless {@code --max-failed-fraction} allows it). The batch: two Helmholtz instances, the SDF of the bundled sphere and a
 * malformed line; {@code demo} and {@code throughput}, which fit their list again, get the same
 * list without the sphere. The end-to-end tests run in order: {@code extract} and {@code
 * summarize} read what {@code fit} wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkJobsTest {
    private static final String SDF_ID = "sphere";
    /** Enough steps for the sphere's field to cross zero on a 16^3 grid (after 10 it had no zero crossing there). */
    private static final int SDF_STEPS = 20;
    /** The malformed last line of each list is an instance named by the file and line. */
    private static final String MALFORMED_ID = "instances.jsonl:5";
    private static final String PDE_MALFORMED_ID = "pde.jsonl:3";

    @TempDir
    static Path dir;
    private static Path list;
    private static Path pdeList;
    private static Path fitOut;
    private static String uiEnabled;

    @BeforeAll
    static void writeInstanceList() throws Exception {
        // no Spark UI for the jobs' sessions (SparkConf reads spark.* system properties): faster, no ports
        uiEnabled = System.setProperty("spark.ui.enabled", "false");
        Path configs = Files.createDirectories(dir.resolve("configs"));
        try (InputStream in = SparkJobsTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(configs.resolve("helmholtz2d-small.json"), in.readAllBytes());
        }
        String mesh = Path.of(SparkJobsTest.class.getResource("/meshes/sphere.obj").toURI()).toString()
                .replace("\\", "/");
        String tinyTraining = "\"steps\": 10, \"eval_every\": 0, \"points\": {\"residual\": 256, \"boundary\": 64}";
        Path instances = Files.createDirectories(dir.resolve("instances"));
        list = instances.resolve("instances.jsonl");
        Files.writeString(list, """
                # two Helmholtz instances on the small config, the sphere's SDF, and a line cut short
                {"id": "h-a1", "base": "../configs/helmholtz2d-small.json", "spec": {"training": {%s}}}
                {"id": "h-a2", "base": "../configs/helmholtz2d-small.json", "spec": {"problem": {"a": 2}, "training": {%s}}}
                {"id": "%s", "spec": {"problem": {"type": "sdf", "mesh": "%s", "pool_size": 2048, "evaluation_points": 1024, "surface_resolution": 16}, "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [10, 10, 10, 10]}, "network": {"hidden": [16]}, "training": {"steps": %d, "eval_every": 0, "points": {"surface": 128, "normal": 128, "eikonal": 128, "distance": 256}}}}
                {"id": "cut-short", "spec": {"problem": {"type": "helmholtz2d"
                """.formatted(tinyTraining, tinyTraining, SDF_ID, mesh, SDF_STEPS));
        pdeList = instances.resolve("pde.jsonl");
        List<String> lines = Files.readAllLines(list);
        Files.write(pdeList, List.of(lines.get(1), lines.get(2), lines.get(4)));
        fitOut = dir.resolve("fit");
    }

    @AfterAll
    static void restoreUi() {
        restore("spark.ui.enabled", uiEnabled);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    // ---- usage errors --------------------------------------------------------------------------

    /**
     * Runs a job that must stop on its command line. With {@code spark.master} set to a URL Spark
     * cannot parse, a job that started its session before checking every option would fail with
     * Spark's error instead of the usage error.
     */
    private static UsageException usageError(Executable job) {
        String master = System.setProperty("spark.master", "no-such-master");
        try {
            return assertThrows(UsageException.class, job);
        } finally {
            restore("spark.master", master);
        }
    }

    private static void assertNames(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "the message does not name " + part + ": " + message);
        }
    }

    @Test
    @Order(1)
    void everyJobNamesAnUnknownOptionAndTheOnesItAllows() {
        // in the order help lists them: the job's own, then the global ones
        Map<String, List<String>> allowed = new TreeMap<>(Map.of(
                "fit", List.of("--instances", "--out", "--mode", "--progress-seconds", "--checkpoint-every",
                        "--batch-fields", "--max-failed-fraction"),
                "extract", List.of("--fields", "--out", "--resolution", "--samples"),
                "summarize", List.of("--metrics", "--out"),
                "demo", List.of("--instances", "--out", "--max-failed-fraction"),
                "throughput", List.of("--instances", "--limit", "--batch-fields", "--backend", "--out",
                        "--max-failed-fraction")));
        Map<String, Executable> jobs = Map.of(
                "fit", () -> FitJob.run(new String[]{"--instances", list.toString(), "--outt", "x"}),
                "extract", () -> ExtractJob.run(new String[]{"--outt", "x"}),
                "summarize", () -> SummarizeJob.run(new String[]{"--outt", "x"}),
                "demo", () -> DemoJob.run(new String[]{"--outt", "x"}),
                "throughput", () -> ThroughputJob.run(new String[]{"--outt", "x"}));
        allowed.forEach((job, options) -> {
            String message = usageError(jobs.get(job)).getMessage();
            assertEquals(job + ": unknown option '--outt'; allowed: " + String.join(", ", options)
                    + ", --verbose, --help", message);
        });
    }

    @Test
    @Order(2)
    void aMissingRequiredOptionOrValueIsNamed() {
        String message = usageError(() -> FitJob.run(new String[]{"--out", dir.toString()})).getMessage();
        assertEquals("fit: --instances is required", message);
        message = usageError(() -> FitJob.run(new String[]{"--instances"})).getMessage();
        assertEquals("fit: --instances needs a value", message);
    }

    @Test
    @Order(3)
    void badIntegersNameTheOptionBeforeAnySessionStarts() {
        String message = usageError(() -> ExtractJob.run(new String[]{"--resolution", "x"})).getMessage();
        assertNames(message, "extract --resolution", "integer", "'x'");
        message = usageError(() -> ExtractJob.run(new String[]{"--resolution", "2"})).getMessage();
        assertNames(message, "extract --resolution", ">= 4", "2");
        message = usageError(() -> ExtractJob.run(new String[]{"--samples", "99"})).getMessage();
        assertNames(message, "extract --samples", ">= 100", "99");
        message = usageError(() -> FitJob.run(new String[]{"--instances", list.toString(),
                "--progress-seconds", "0"})).getMessage();
        assertNames(message, "fit --progress-seconds", ">= 1", "0");
        message = usageError(() -> FitJob.run(new String[]{"--instances", list.toString(),
                "--checkpoint-every", "-5"})).getMessage();
        assertNames(message, "fit --checkpoint-every", ">= 0", "-5");
    }

    @Test
    @Order(4)
    void jobMainExitsWithStatusTwoNamingAnUnknownCommand() throws Exception {
        // main ends in System.exit with what run returns: run it in its own JVM and read the status
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                JobMain.class.getName(), "fitt", "--instances", "x").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "JobMain did not end");
        assertEquals(2, process.exitValue(), output);
        assertEquals("hermite-ngp: unknown command 'fitt'; commands: train, speed, bench, devices, fit, extract, "
                + "summarize, demo, throughput, sdf, demo-sdf (hermite-ngp --help shows what each does)", output.strip());
    }

    // ---- one tiny batch end to end -------------------------------------------------------------

    /** The metrics of the batch: one row per line, the ok ones trained, the malformed one failed and named. */
    private static void assertBatchMetrics(List<Row> metrics) {
        Map<String, Row> rows = byId(metrics);
        assertEquals(List.of("h-a1", "h-a2", MALFORMED_ID, SDF_ID), new ArrayList<>(rows.keySet()),
                "one metrics row per instance line");
        assertEquals("sdf", rows.get(SDF_ID).getAs("kind"));
        Map<String, Double> sdfMetrics = rows.get(SDF_ID).getJavaMap(rows.get(SDF_ID).fieldIndex("metrics"));
        assertTrue(sdfMetrics.containsKey("grad_mae") && sdfMetrics.containsKey("chamfer"), sdfMetrics.toString());
        assertPdeMetrics(rows, MALFORMED_ID);
    }

    /** The Helmholtz rows ok and trained, the malformed line failed, named by file and line. */
    private static void assertPdeMetrics(Map<String, Row> rows, String malformedId) {
        for (String id : rows.keySet()) {
            if (id.equals(malformedId)) {
                continue;
            }
            Row r = rows.get(id);
            assertEquals("ok", r.getAs("status"), id + ": " + r.getAs("message"));
            assertEquals("", r.getAs("message"), id);
            assertEquals(id.equals(SDF_ID) ? SDF_STEPS : 10, (long) r.<Long>getAs("steps"), id + " steps");
            double relL2 = r.getAs("rel_l2");
            assertTrue(relL2 > 0 && Double.isFinite(relL2), id + " rel_l2 " + relL2);
        }
        assertEquals("helmholtz2d", rows.get("h-a1").getAs("kind"));
        assertEquals("helmholtz2d", rows.get("h-a2").getAs("kind"));
        Row malformed = rows.get(malformedId);
        assertEquals("failed", malformed.getAs("status"));
        assertEquals("unknown", malformed.getAs("kind"));
        assertNames(malformed.getAs("message"), malformedId, "ConfigException");
    }

    @Test
    @Order(10)
    void fitWritesOneMetricsRowPerInstanceAndTheFieldsOfTheOkOnes() throws Throwable {
        // --verbose: should anything unexpected happen, its stack trace is in the test's log
        CapturedRun run = CapturedRun.of("fit", "--instances", list.toString(), "--out", fitOut.toString(), "--verbose");
        assertEquals(3, run.code(), "one instance of four failed, none allowed: " + run.describe());
        assertTrue(run.err().contains("fit: 1 of 4 instances not ok (fraction 0.2500, above --max-failed-fraction "
                + "0.0): exit status 3"), run.err());
        String printed = run.out();
        // the two Helmholtz instances share a batch; the SDF and the malformed line are batches of their own
        assertNames(printed, "fit: 4 instances in 3 partitions (batches of up to 2 fields)",
                "fit: 4/4 instances done, 1 failed, 0 diverged");
        // then the summary by kind
        assertNames(printed, "helmholtz2d", "sdf", "unknown", "median_rel_l2");

        List<List<Row>> tables = read(spark -> List.of(
                spark.read().parquet(fitOut.resolve("metrics").toString()).collectAsList(),
                spark.read().parquet(fitOut.resolve("fields").toString()).collectAsList()));
        List<Row> metrics = tables.get(0);
        assertBatchMetrics(metrics);
        List<Row> fields = tables.get(1);
        Map<String, Row> fieldById = byId(fields);
        assertEquals(List.of("h-a1", "h-a2", SDF_ID), new ArrayList<>(fieldById.keySet()), "fields of the ok rows only");
        Map<String, Row> metricsById = byId(metrics);
        for (Map.Entry<String, Row> e : fieldById.entrySet()) {
            Row field = e.getValue().getStruct(e.getValue().fieldIndex("field"));
            long expected = metricsById.get(e.getKey()).getAs("parameter_count");
            assertEquals(expected, field.getList(field.fieldIndex("parameters")).size(),
                    e.getKey() + ": stored parameters against parameter_count");
        }
    }

    @Test
    @Order(11)
    void extractWritesTheSphereSurfaceAndAnOkExtractionRow() throws Throwable {
        // --fields defaults to <out>/fields
        CapturedRun run = CapturedRun.of("extract", "--out", fitOut.toString(), "--resolution", "16", "--samples",
                "200", "--verbose");
        assertEquals(0, run.code(), run.describe());
        String printed = run.out();
        assertNames(printed, "extract: 1 surfaces", SDF_ID);

        Path surface = fitOut.resolve("surfaces").resolve(SDF_ID + ".ply");
        assertTrue(Files.isRegularFile(surface), "no surface file " + surface);
        TriangleMesh mesh = MeshReader.read(surface);
        assertTrue(mesh.triangleCount() > 0, "the surface has no triangles");
        List<Row> rows = read(spark -> spark.read().parquet(fitOut.resolve("extraction").toString()).collectAsList());
        assertEquals(1, rows.size(), "one extraction row, for the one sdf field");
        Row row = rows.get(0);
        assertEquals(SDF_ID, row.getAs("id"));
        assertEquals("ok", row.getAs("status"), (String) row.getAs("message"));
        assertEquals(16, (int) row.<Integer>getAs("resolution"));
        assertEquals(mesh.triangleCount(), (long) row.<Long>getAs("triangles"), "triangles in the row and the file");
        assertEquals(surface.toAbsolutePath(), Path.of(java.net.URI.create(row.<String>getAs("surface_file"))));
        double chamfer = row.getAs("chamfer");
        assertTrue(chamfer >= 0 && Double.isFinite(chamfer), "chamfer " + chamfer);
    }

    @Test
    @Order(12)
    void summarizePrintsAndWritesTheMetricsByKind() throws Throwable {
        // --out names the run directory, as for every other command: the summary goes to its summary table
        Path summary = fitOut.resolve("summary");
        CapturedRun run = CapturedRun.of("summarize", "--metrics", fitOut.resolve("metrics").toString(), "--out",
                fitOut.toString(), "--verbose");
        assertEquals(0, run.code(), run.describe());
        String printed = run.out();
        assertNames(printed, "kind", "instances", "helmholtz2d", "sdf", "unknown");

        Map<String, List<Long>> counts = new TreeMap<>();
        for (Row r : read(spark -> spark.read().parquet(summary.toString()).collectAsList())) {
            counts.put(r.getAs("kind"), List.of(r.<Long>getAs("instances"), r.<Long>getAs("ok"),
                    r.<Long>getAs("failed"), r.<Long>getAs("diverged")));
        }
        assertEquals(Map.of("helmholtz2d", List.of(2L, 2L, 0L, 0L), "sdf", List.of(1L, 1L, 0L, 0L),
                "unknown", List.of(1L, 0L, 1L, 0L)), counts, "instances, ok, failed, diverged by kind");
        for (String table : List.of("metrics", "fields", "_run.json")) {
            assertTrue(java.nio.file.Files.exists(fitOut.resolve(table)), "the run's " + table + " is still there");
        }
    }

    @Test
    @Order(20)
    void aRerunIntoAnExistingRunIsRefusedUnlessItsModeSaysWhatToDo() throws Throwable {
        CapturedRun again = CapturedRun.of("fit", "--instances", list.toString(), "--out", fitOut.toString());
        assertEquals(2, again.code(), again.describe());
        assertTrue(again.err().contains("already holds a run") && again.err().contains("--mode"), again.err());
        assertTrue(java.nio.file.Files.exists(fitOut.resolve("extraction")), "the refused run removed nothing");

        CapturedRun resumed = CapturedRun.of("fit", "--instances", list.toString(), "--out", fitOut.toString(),
                "--mode", "resume");
        assertEquals(3, resumed.code(), "the malformed line fails again: " + resumed.describe());
        assertNames(resumed.out(), "fit: 1 instances to fit, 3 kept from the run there",
                "4 rows (1 fitted now, 3 kept): 3 ok, 1 failed, 0 diverged");
        assertTrue(!java.nio.file.Files.exists(fitOut.resolve("extraction")),
                "the extraction of the previous fields is gone");
        com.fasterxml.jackson.databind.JsonNode record = io.hermitengp.config.ConfigReader.mapper()
                .readTree(java.nio.file.Files.readString(fitOut.resolve("_run.json")));
        assertEquals("resume", record.get("mode").asText());
        assertEquals(4, record.get("instances_listed").asInt());

        CapturedRun badMode = CapturedRun.of("fit", "--instances", list.toString(), "--out", fitOut.toString(),
                "--mode", "merge");
        assertEquals(2, badMode.code(), badMode.describe());
        assertTrue(badMode.err().contains("fit --mode") && badMode.err().contains("resume"), badMode.err());
    }

    @Test
    @Order(13)
    void demoFitsExtractsAndSummarizesAGivenListUnderItsOut() throws Throwable {
        Path out = dir.resolve("demo");
        // one of three failed: above 0.3
        CapturedRun run = CapturedRun.of("demo", "--instances", pdeList.toString(), "--out", out.toString(),
                "--max-failed-fraction", "0.3", "--verbose");
        assertEquals(3, run.code(), run.describe());
        assertTrue(run.err().contains("demo: 1 of 3 instances not ok (fraction 0.3333, above --max-failed-fraction "
                + "0.3): exit status 3"), run.err());
        String printed = run.out();
        // no sdf in this list: extraction reads the demo's fields and finds no surface to make
        assertNames(printed, "fit: 3/3 instances done, 1 failed", "extract: 0 surfaces", "summary by kind:",
                "helmholtz2d", "demo: 3 instances in");
        List<List<Row>> tables = read(spark -> List.of(
                spark.read().parquet(out.resolve("metrics").toString()).collectAsList(),
                spark.read().parquet(out.resolve("fields").toString()).collectAsList(),
                spark.read().parquet(out.resolve("extraction").toString()).collectAsList()));
        Map<String, Row> metrics = byId(tables.get(0));
        assertEquals(List.of("h-a1", "h-a2", PDE_MALFORMED_ID), new ArrayList<>(metrics.keySet()));
        assertPdeMetrics(metrics, PDE_MALFORMED_ID);
        assertEquals(List.of("h-a1", "h-a2"), new ArrayList<>(byId(tables.get(1)).keySet()), "demo fields");
        assertEquals(List.of(), tables.get(2), "no extraction rows without an sdf");
    }

    @Test
    @Order(14)
    void throughputFitsTheListDirectlyThenThroughSparkPerBatchSizeAndPrintsTheResults() throws Throwable {
        Path out = dir.resolve("throughput");
        // one of three failed in each pass: not above 0.34
        CapturedRun run = CapturedRun.of("throughput", "--instances", pdeList.toString(), "--out", out.toString(),
                "--batch-fields", "1,2", "--backend", "java", "--max-failed-fraction", "0.34", "--verbose");
        assertEquals(0, run.code(), run.describe());
        assertFalse(run.err().contains("exit status 3"), run.err());
        String printed = run.out();
        for (String line : List.of("h-a1 +ok", "h-a2 +ok", Pattern.quote(PDE_MALFORMED_ID) + " +failed")) {
            assertTrue(Pattern.compile("(?m)^direct: " + line + " ").matcher(printed).find(),
                    "no direct line " + line + ":\n" + printed);
        }
        assertNames(printed, "throughput of 3 instances (" + pdeList + ")", "(1 not ok)", "instances/min",
                "batches of 1 fields per task", "batches of 2 fields per task");
        String last = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode json = new ObjectMapper().readTree(last);
        assertEquals(3, json.path("instances").asInt(), last);
        assertTrue(json.path("direct_instances_per_minute").asDouble() > 0, last);
        assertEquals(2, json.path("results").size(), last);
        for (int i = 0; i < 2; i++) {
            JsonNode r = json.path("results").get(i);
            assertEquals(i + 1, r.path("batch_fields").asInt(), last);
            assertTrue(r.path("instances_per_minute").asDouble() > 0, last);
            assertEquals(1, r.path("not_ok").asInt(), "the malformed line fails in every pass: " + last);
        }
        Map<String, Row> metrics = byId(read(spark -> spark.read().parquet(out.resolve("metrics").toString())
                .collectAsList()));
        assertEquals(List.of("h-a1", "h-a2", PDE_MALFORMED_ID), new ArrayList<>(metrics.keySet()),
                "the Spark pass wrote its metrics under --out");
        assertPdeMetrics(metrics, PDE_MALFORMED_ID);
    }
}
