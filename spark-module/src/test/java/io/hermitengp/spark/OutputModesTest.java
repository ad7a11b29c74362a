package io.hermitengp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's output: refused when it exists unless a mode says what to do; overwrite replaces (and
 * drops what was made from the old fields), append adds, resume fits only what is not ok yet;
 * a run killed before it commits leaves the previous run whole; surfaces of ids that differ only
 * in '/', '_' and ' ' get a file each.
 */
class OutputModesTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-output-modes")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FieldPipeline pipeline(ByteArrayOutputStream log) {
        return new FieldPipeline(spark, new PrintStream(log, true, StandardCharsets.UTF_8), 60);
    }

    private static Instance helmholtz(String id) {
        return new Instance(id, SparkTestInstances.smallHelmholtz(1, 5));
    }

    private static Map<String, String> statusById(Dataset<Row> metrics) {
        Map<String, String> statuses = new HashMap<>();
        for (Row r : metrics.select("id", "status").collectAsList()) {
            assertEquals(null, statuses.put(r.getString(0), r.getString(1)), "id " + r.getString(0) + " twice");
        }
        return statuses;
    }

    private static Set<String> fieldIds(Path out) {
        return spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString()).select("id").collectAsList()
                .stream().map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode runRecord(Path out) throws Exception {
        return ConfigReader.mapper().readTree(Files.readString(out.resolve(FieldPipeline.RUN_FILE)));
    }

    @Test
    void anExistingRunIsRefusedByDefaultAndOverwriteReplacesItAndWhatWasMadeFromIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String uri = out.toUri().toString();
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        p.fit(p.instances(List.of(helmholtz("a"), helmholtz("b"))), uri, WriteMode.ERROR, "first");
        assertEquals(Set.of("a", "b"), fieldIds(out));
        assertEquals(2, runRecord(out).get("ok").asInt());
        assertEquals(1, spark.read().parquet(out.resolve(FieldPipeline.SUMMARY).toString()).count(), "one kind");

        OutputExistsException refused = assertThrows(OutputExistsException.class,
                () -> p.fit(p.instances(List.of(helmholtz("c"))), uri, WriteMode.ERROR, "second"));
        assertTrue(refused.getMessage().contains("already holds a run") && refused.getMessage().contains("--mode"),
                refused.getMessage());
        assertEquals(Set.of("a", "b"), fieldIds(out), "the refused run touched nothing");

        Files.createDirectories(out.resolve(SurfaceExtraction.TABLE));   // an extraction of the old fields
        Dataset<Row> metrics = p.fit(p.instances(List.of(helmholtz("c"))), uri, WriteMode.OVERWRITE, "third");
        assertEquals(Map.of("c", "ok"), statusById(metrics));
        assertEquals(Set.of("c"), fieldIds(out));
        assertFalse(Files.exists(out.resolve(SurfaceExtraction.TABLE)), "the stale extraction is gone");
        JsonNode record = runRecord(out);
        assertEquals("third", record.get("command").asText());
        assertEquals("overwrite", record.get("mode").asText());
        assertEquals(1, record.get("rows").asInt());
        assertEquals(WriteMode.ERROR, p.ownRunMode(uri, "demo"), "a demo refuses a run that fit wrote");
        p.fit(p.instances(List.of(helmholtz("c"))), uri, WriteMode.OVERWRITE, "demo --out " + uri);
        assertEquals(WriteMode.OVERWRITE, p.ownRunMode(uri, "demo"), "and replaces its own");
        assertEquals(WriteMode.ERROR, p.ownRunMode(uri, "demonstration"));
    }

    @Test
    void resumeFitsOnlyTheIdsNotOkYetAndAppendAddsNewIdsOnly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String uri = out.toUri().toString();
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        Instance broken = new Instance("b", "{\"problem\": {\"type\": \"helmholtz2d\"");
        p.fit(p.instances(List.of(helmholtz("a"), broken)), uri, WriteMode.ERROR, "first");
        Row firstA = spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString()).filter(col("id").equalTo("a"))
                .first();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FieldPipeline resumed = pipeline(log);
        Dataset<Row> metrics = resumed.fit(resumed.instances(List.of(helmholtz("a"), helmholtz("b"), helmholtz("c"))),
                uri, WriteMode.RESUME, "resume");
        assertEquals(Map.of("a", "ok", "b", "ok", "c", "ok"), statusById(metrics));
        assertEquals(Set.of("a", "b", "c"), fieldIds(out), "fields and metrics agree");
        JsonNode record = runRecord(out);
        assertEquals(2, record.get("fitted").asInt(), "b (failed before) and c (new) fitted: " + log);
        assertEquals(1, record.get("kept").asInt(), "a kept");
        Row keptA = spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString()).filter(col("id").equalTo("a"))
                .first();
        assertEquals(firstA.getStruct(2), keptA.getStruct(2), "a's field is the first run's, not refitted");

        OutputExistsException clash = assertThrows(OutputExistsException.class,
                () -> p.fit(p.instances(List.of(helmholtz("c"), helmholtz("d"))), uri, WriteMode.APPEND, "append"));
        assertTrue(clash.getMessage().contains("[c]"), clash.getMessage());
        metrics = p.fit(p.instances(List.of(helmholtz("d"))), uri, WriteMode.APPEND, "append");
        assertEquals(Set.of("a", "b", "c", "d"), statusById(metrics).keySet());
        assertEquals(Set.of("a", "b", "c", "d"), fieldIds(out));
    }

    @Test
    void aRunKilledBeforeItCommitsLeavesThePreviousRunWhole(@TempDir Path dir) {
        Path out = dir.resolve("run");
        String uri = out.toUri().toString();
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        p.fit(p.instances(List.of(helmholtz("a"), helmholtz("b"))), uri, WriteMode.ERROR, "first");

        // the job dies while the new fits are being written: one instance's row raises an error in its task
        Dataset<Row> dying = p.instances(List.of(helmholtz("c"), helmholtz("boom"), helmholtz("d")))
                .withColumn("spec", when(col("id").equalTo("boom"), raise_error(lit("task killed")))
                        .otherwise(col("spec")));
        assertThrows(RuntimeException.class, () -> p.fit(dying, uri, WriteMode.OVERWRITE, "dies"));
        assertEquals(Map.of("a", "ok", "b", "ok"),
                statusById(spark.read().parquet(out.resolve(FieldPipeline.METRICS).toString())));
        assertEquals(Set.of("a", "b"), fieldIds(out), "metrics and fields still agree on the previous run");

        // the next run clears the dead run's staging and commits
        p.fit(p.instances(List.of(helmholtz("c"))), uri, WriteMode.OVERWRITE, "again");
        assertEquals(Set.of("c"), fieldIds(out));
        assertArrayEquals(new String[0], new OutputLocation(uri, spark.sparkContext().hadoopConfiguration())
                .children(FieldPipeline.STAGING_PREFIX), "no staging left behind");
    }

    @Test
    void aCommitCutShortIsFinishedByTheNextRunNotDropped(@TempDir Path dir) throws Exception {
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        Path done = dir.resolve("done");
        p.fit(p.instances(List.of(helmholtz("new-1"), helmholtz("new-2"))), done.toUri().toString(), WriteMode.ERROR,
                "staged");
        Path out = dir.resolve("run");
        p.fit(p.instances(List.of(helmholtz("old"))), out.toUri().toString(), WriteMode.ERROR, "old");
        // a commit killed after the old metrics were removed and before the new ones arrived
        Path staging = Files.createDirectories(out.resolve(FieldPipeline.STAGING_PREFIX + "cut"));
        for (String name : List.of(FieldPipeline.METRICS, FieldPipeline.FIELDS, FieldPipeline.SUMMARY,
                FieldPipeline.RUN_FILE)) {
            Files.move(done.resolve(name), staging.resolve(name));
        }
        Files.writeString(staging.resolve(FieldPipeline.COMMIT_MARKER), "");
        org.apache.commons.io.FileUtils.deleteDirectory(out.resolve(FieldPipeline.METRICS).toFile());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FieldPipeline next = pipeline(log);
        Dataset<Row> metrics = next.fit(next.instances(List.of(helmholtz("new-1"), helmholtz("new-2"))),
                out.toUri().toString(), WriteMode.RESUME, "resume");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("finishing the commit of an earlier run"), log.toString());
        assertEquals(Map.of("new-1", "ok", "new-2", "ok"), statusById(metrics), "the staged run, not lost");
        assertEquals(Set.of("new-1", "new-2"), fieldIds(out));
        assertEquals(0, runRecord(out).get("fitted").asInt(), "both were ok in the finished commit: nothing refitted");
        assertFalse(Files.exists(staging));
    }

    @Test
    void idsThatDifferOnlyInSlashUnderscoreOrSpaceGetASurfaceFileEach(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> ids = List.of("sph/1", "sph_1", "sph 1");
        for (int i = 0; i < ids.size(); i++) {
            rows.add(RowFactory.create(ids.get(i), "ok", "", 1L, 0.0, 0.0, 1.0, 16, 0.1, null,
                    new byte[]{(byte) i, 42}));
        }
        Dataset<Row> extraction = spark.createDataFrame(rows, SurfaceExtraction.SCHEMA);
        OutputLocation out = new OutputLocation(dir.toUri().toString(), spark.sparkContext().hadoopConfiguration());
        SurfaceExtraction.exportFiles(extraction, out);
        Path surfaces = dir.resolve(SurfaceExtraction.SURFACES);
        try (var files = Files.list(surfaces)) {
            assertEquals(3, files.count(), "three ids, three files");
        }
        for (int i = 0; i < ids.size(); i++) {
            Path file = surfaces.resolve(SurfaceExtraction.fileName(ids.get(i)) + ".ply");
            assertArrayEquals(new byte[]{(byte) i, 42}, Files.readAllBytes(file), ids.get(i));
        }
        assertEquals("sph~2F1", SurfaceExtraction.fileName("sph/1"));
        assertEquals("sph_1", SurfaceExtraction.fileName("sph_1"));
        assertEquals("sph~201", SurfaceExtraction.fileName("sph 1"));
        assertEquals("~2Ehidden", SurfaceExtraction.fileName(".hidden"));
    }
}
