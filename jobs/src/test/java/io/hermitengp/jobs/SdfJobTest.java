package io.hermitengp.jobs;

import io.hermitengp.spark.MeshEntry;
import io.hermitengp.spark.MeshList;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.hermitengp.jobs.JobOutputs.byId;
import static io.hermitengp.jobs.JobOutputs.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sdf} job on a small folder: the bundled box (whose distance is known in closed form),
 * an open and an inside-out mesh from the generated collection, an OBJ without an extension and a
 * broken PLY. Exact samples and grids are checked against the box's analytic distance, the flawed
 * meshes against what their flaws do to the signs, the broken file is a failed row naming it while
 * the rest succeeds, the tables read back through DuckDB (an independent Parquet reader) give
 * our numbers, an existing dataset is refused unless overwritten, a seed reproduces the samples, a
 * manifest overrides per mesh, and a fit adds the fit job's tables and field grids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SdfJobTest {
    private static final String BOX = "box.obj";
    private static final String OPEN = "open/hemisphere.ply";
    private static final String INSIDE_OUT = "inside-out/sphere.obj";
    private static final String NO_EXTENSION = "box-without-extension";
    private static final String BROKEN = "broken.ply";

    @TempDir
    static Path dir;
    private static Path meshes;
    private static Path out;
    private static String uiEnabled;

    @BeforeAll
    static void writeMeshFolder() throws Exception {
        uiEnabled = System.setProperty("spark.ui.enabled", "false");
        meshes = dir.resolve("meshes");
        copy("/meshes/box.obj", meshes.resolve(BOX));
        copy("/meshes/collection/open/hemisphere.ply", meshes.resolve(OPEN));
        copy("/meshes/collection/inside-out/sphere.obj", meshes.resolve(INSIDE_OUT));
        copy("/meshes/box.obj", meshes.resolve(NO_EXTENSION));
        Files.writeString(meshes.resolve(BROKEN), "ply\nformat ascii 1.0\nelement vertex 3\n");
        Files.writeString(meshes.resolve("README.md"), "not a mesh: skipped by the folder listing\n");
        out = dir.resolve("out");
    }

    private static void copy(String resource, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = SdfJobTest.class.getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
    }

    @AfterAll
    static void restoreUi() {
        if (uiEnabled == null) {
            System.clearProperty("spark.ui.enabled");
        } else {
            System.setProperty("spark.ui.enabled", uiEnabled);
        }
    }

    /** The box's exact signed distance in box coordinates: half extents h x scale about the origin. */
    private static double boxDistance(double[] half, double x, double y, double z) {
        double[] p = {x, y, z};
        double outside = 0;
        double inside = -Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double d = Math.abs(p[i]) - half[i];
            outside += Math.max(d, 0) * Math.max(d, 0);
            inside = Math.max(inside, d);
        }
        return inside > 0 ? Math.sqrt(outside) : inside;
    }

    /** Half extents of a mesh's bounding box in box units, from its meshes row. */
    private static double[] placedHalfExtents(Row mesh) {
        List<Double> lo = mesh.getList(mesh.fieldIndex("bbox_min"));
        List<Double> hi = mesh.getList(mesh.fieldIndex("bbox_max"));
        double scale = mesh.getAs("scale");
        return new double[]{(hi.get(0) - lo.get(0)) / 2 * scale, (hi.get(1) - lo.get(1)) / 2 * scale,
            (hi.get(2) - lo.get(2)) / 2 * scale};
    }

    @Test
    @Order(1)
    void nothingToComputeAndFitOnlyOptionsAreUsageErrorsBeforeSparkStarts() {
        String master = System.setProperty("spark.master", "no-such-master");
        try {
            UsageException none = assertThrows(UsageException.class,
                    () -> SdfJob.run(new String[]{"--meshes", meshes.toString(), "--out", out.toString()}));
            assertTrue(none.getMessage().contains("nothing to compute"), none.getMessage());
            UsageException surfaces = assertThrows(UsageException.class, () -> SdfJob.run(new String[]{
                "--meshes", meshes.toString(), "--samples", "10", "--surfaces"}));
            assertEquals("sdf --surfaces needs --fit (a field to extract)", surfaces.getMessage());
            UsageException mix = assertThrows(UsageException.class, () -> SdfJob.run(new String[]{
                "--meshes", meshes.toString(), "--samples", "10", "--mix", "surface:0.5,uniform:0.4"}));
            assertTrue(mix.getMessage().startsWith("sdf --mix: the fractions of a sample mix must sum to 1"),
                    mix.getMessage());
            UsageException missing = assertThrows(UsageException.class, () -> SdfJob.run(new String[]{
                "--meshes", dir.resolve("nowhere").toString(), "--samples", "10"}));
            assertTrue(missing.getMessage().startsWith("sdf --meshes: no such folder, file or manifest"),
                    missing.getMessage());
        } finally {
            if (master == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", master);
            }
        }
    }

    @Test
    @Order(2)
    void exactSamplesAndGridsOfAFolderWithABrokenFile() {
        CapturedRun run = CapturedRun.of("sdf", "--meshes", meshes.toString(), "--out", out.toString(),
                "--samples", "600", "--grid", "9", "--progress-seconds", "1");
        assertEquals(3, run.code(), "one mesh failed: " + run.describe());
        assertTrue(run.err().contains("sdf: 1 of 5 meshes not ok"), run.err());
        read(spark -> {
            Map<String, Row> rows = byId(spark.read().parquet(out.resolve("meshes").toString()).collectAsList());
            assertEquals(List.of(BOX, BROKEN, NO_EXTENSION, OPEN, INSIDE_OUT).stream().sorted().toList(),
                    List.copyOf(rows.keySet()), "one row per mesh file, README.md skipped, ids from relative paths");

            Row broken = rows.get(BROKEN);
            assertEquals("failed", broken.getAs("status"));
            String message = broken.getAs("message");
            assertTrue(message.contains("mesh " + BROKEN) && message.contains("end_header"),
                    "the failed row names the mesh and the reason: " + message);

            Row box = rows.get(BOX);
            assertEquals("ok", box.getAs("status"), (String) box.getAs("message"));
            assertEquals("obj", box.getAs("format"));
            assertEquals(Boolean.TRUE, box.getAs("watertight"));
            assertEquals(1.0, (Double) box.getAs("sign_confidence"));
            assertEquals("obj", rows.get(NO_EXTENSION).getAs("format"), "format read from the content");

            Row open = rows.get(OPEN);
            assertEquals(Boolean.FALSE, open.getAs("watertight"));
            assertTrue((Long) open.getAs("boundary_edges") > 0);
            assertTrue((Double) open.getAs("sign_confidence") < 1.0, "an open mesh's signs are doubtful");
            assertTrue(((String) open.getAs("message")).contains("open: "), (String) open.getAs("message"));

            Row insideOut = rows.get(INSIDE_OUT);
            assertTrue((Double) insideOut.getAs("signed_volume") < 0);
            assertTrue((Integer) insideOut.getAs("inverted_signs") > 0);
            assertTrue(((String) insideOut.getAs("message")).contains("inside out"));

            // the box's samples against its exact distance, in the coordinates its row records
            double[] half = placedHalfExtents(box);
            List<Row> samples = spark.read().parquet(out.resolve("sdf_samples").toString())
                    .filter("id = '" + BOX + "'").collectAsList();
            assertEquals(600, samples.size());
            List<String> columns = new java.util.ArrayList<>(List.of("id"));
            columns.addAll(List.of(io.hermitengp.spark.SdfDatasetRows.SAMPLE.fieldNames()));
            assertEquals(columns, List.of(samples.get(0).schema().fieldNames()), "the documented sdf_samples columns");
            for (Row s : samples) {
                double x = s.getAs("x"), y = s.getAs("y"), z = s.getAs("z");
                String kind = s.getAs("kind");
                double expected = kind.equals("surface") ? 0 : boxDistance(half, x, y, z);
                assertEquals(expected, (Double) s.getAs("sdf"), 1e-12, "sample " + s.getAs("sample") + " (" + kind + ")");
                assertEquals(0, boxDistance(half, x, y, z), kind.equals("surface") ? 1e-12 : 10, "surface samples on it");
                assertEquals(kind.equals("near"), s.getAs("sigma") != null, "sigma only for near points");
            }
            assertEquals(0, spark.read().parquet(out.resolve("sdf_samples").toString())
                    .filter("id = '" + BROKEN + "'").count(), "no samples for the broken mesh");

            Row grid = spark.read().parquet(out.resolve("grids").toString()).filter("id = '" + BOX + "'").first();
            assertEquals("exact", grid.getAs("source"));
            assertEquals(9, (Integer) grid.getAs("resolution"));
            ByteBuffer values = ByteBuffer.wrap((byte[]) grid.getAs("values")).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(4 * 729, values.capacity());
            for (int k = 0; k < 9; k++) {
                for (int j = 0; j < 9; j++) {
                    for (int i = 0; i < 9; i++) {
                        double exact = boxDistance(half, -1 + i / 4.0, -1 + j / 4.0, -1 + k / 4.0);
                        assertEquals(exact, values.getFloat(4 * (i + 9 * (j + 9 * k))), 1e-6,
                                "grid value (" + i + ", " + j + ", " + k + ")");
                    }
                }
            }
            return null;
        });
    }

    /** A DuckDB query over the Parquet files of a table, one list of column values per row. */
    private static List<List<Object>> duckdb(String sql) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            List<List<Object>> rows = new java.util.ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new java.util.ArrayList<>();
                for (int k = 1; k <= columns; k++) {
                    Object v = rs.getObject(k);
                    if (v instanceof java.sql.Blob blob) {
                        v = blob.getBytes(1, (int) blob.length());
                    }
                    row.add(v instanceof java.sql.Array a ? List.of((Object[]) a.getArray()) : v);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static String parquet(String table) {
        return "read_parquet('" + out.resolve(table).toString().replace("'", "''") + "/*.parquet')";
    }

    @Test
    @Order(3)
    void duckDbReadsTheSameNumbersFromTheTables() throws Exception {
        List<List<Object>> meshRows = duckdb("SELECT id, status, triangles, boundary_edges, watertight, "
                + "sign_confidence, bbox_min, scale FROM " + parquet("meshes") + " ORDER BY id");
        List<List<Object>> sampleRows = duckdb("SELECT id, sample, kind, x, y, z, sdf, gx, gy, gz, winding FROM "
                + parquet("sdf_samples") + " ORDER BY id, sample");
        List<List<Object>> gridRows = duckdb("SELECT id, source, resolution, \"values\" FROM " + parquet("grids")
                + " ORDER BY id, source");
        read(spark -> {
            List<Row> meshes = spark.read().parquet(out.resolve("meshes").toString()).orderBy("id").collectAsList();
            assertEquals(meshes.size(), meshRows.size(), "meshes rows");
            for (int k = 0; k < meshes.size(); k++) {
                Row r = meshes.get(k);
                List<Object> d = meshRows.get(k);
                String id = r.getAs("id");
                assertEquals(id, d.get(0));
                assertEquals(r.getAs("status"), d.get(1), id + " status");
                assertEquals(r.getAs("triangles"), d.get(2), id + " triangles");
                assertEquals(r.getAs("boundary_edges"), d.get(3), id + " boundary_edges");
                assertEquals(r.getAs("watertight"), d.get(4), id + " watertight");
                assertEquals(r.getAs("sign_confidence"), d.get(5), id + " sign_confidence");
                assertEquals(r.isNullAt(r.fieldIndex("bbox_min")) ? null : r.getList(r.fieldIndex("bbox_min")), d.get(6),
                        id + " bbox_min");
                assertEquals(r.getAs("scale"), d.get(7), id + " scale");
            }
            List<Row> samples = spark.read().parquet(out.resolve("sdf_samples").toString()).orderBy("id", "sample")
                    .collectAsList();
            assertEquals(samples.size(), sampleRows.size(), "sdf_samples rows");
            String[] columns = {"id", "sample", "kind", "x", "y", "z", "sdf", "gx", "gy", "gz", "winding"};
            for (int k = 0; k < samples.size(); k++) {
                for (int c = 0; c < columns.length; c++) {
                    assertEquals((Object) samples.get(k).getAs(columns[c]), sampleRows.get(k).get(c),
                            "sdf_samples row " + k + " column " + columns[c]);
                }
            }
            List<Row> grids = spark.read().parquet(out.resolve("grids").toString()).orderBy("id", "source")
                    .collectAsList();
            assertEquals(grids.size(), gridRows.size(), "grids rows");
            for (int k = 0; k < grids.size(); k++) {
                assertEquals((Object) grids.get(k).getAs("id"), gridRows.get(k).get(0));
                assertEquals((Object) grids.get(k).getAs("resolution"), gridRows.get(k).get(2));
                assertTrue(java.util.Arrays.equals((byte[]) grids.get(k).getAs("values"), (byte[]) gridRows.get(k).get(3)),
                        "grid " + grids.get(k).getAs("id") + ": the same bytes");
            }
            return null;
        });
    }

    @Test
    @Order(4)
    void anExistingDatasetIsRefusedAndOverwritingWithTheSeedReproducesIt() {
        List<Row> before = read(spark -> spark.read().parquet(out.resolve("sdf_samples").toString())
                .orderBy("id", "sample").collectAsList());
        CapturedRun refused = CapturedRun.of("sdf", "--meshes", meshes.toString(), "--out", out.toString(),
                "--samples", "600");
        assertEquals(2, refused.code(), refused.describe());
        assertTrue(refused.errorLines().get(0).contains("already holds meshes, sdf_samples, grids; choose --mode "
                + "overwrite"), refused.errorLines().toString());

        CapturedRun again = CapturedRun.of("sdf", "--meshes", meshes.toString(), "--out", out.toString(),
                "--samples", "600", "--mode", "overwrite", "--max-failed-fraction", "0.5");
        assertEquals(0, again.code(), "one failed mesh of five is allowed by 0.5: " + again.describe());
        read(spark -> {
            List<Row> after = spark.read().parquet(out.resolve("sdf_samples").toString()).orderBy("id", "sample")
                    .collectAsList();
            assertEquals(before, after, "the same seed gives the same samples, bit for bit");
            assertFalse(Files.exists(out.resolve("grids")), "a run without --grid leaves no grids of an earlier one");
            return null;
        });
    }

    @Test
    @Order(5)
    void aManifestOverridesPerMeshAndABadRowIsAFailedRow() throws Exception {
        Path manifest = meshes.resolve("list.csv");
        Files.writeString(manifest, """
                path,id,samples,seed,mix
                box.obj,the-box,50,7,uniform:1
                open/hemisphere.ply,,30,,
                inside-out/sphere.obj,bad-samples,many,,
                box.obj,the-box,,,
                """);
        Path listed = dir.resolve("manifest-out");
        CapturedRun run = CapturedRun.of("sdf", "--meshes", manifest.toString(), "--out", listed.toString(),
                "--samples", "20");
        assertEquals(3, run.code(), run.describe());
        read(spark -> {
            Map<String, Row> rows = byId(spark.read().parquet(listed.resolve("meshes").toString()).collectAsList());
            assertEquals(List.of("bad-samples", OPEN, "the-box", "the-box@row4"), List.copyOf(rows.keySet()));
            assertEquals(50, (Integer) rows.get("the-box").getAs("samples"));
            assertEquals("uniform:1.0", rows.get("the-box").getAs("sample_mix"));
            assertEquals(30, (Integer) rows.get(OPEN).getAs("samples"));
            assertTrue(((String) rows.get("bad-samples").getAs("message")).contains("column 'samples' needs an integer"),
                    (String) rows.get("bad-samples").getAs("message"));
            assertTrue(((String) rows.get("the-box@row4").getAs("message")).contains("duplicate id 'the-box'"),
                    (String) rows.get("the-box@row4").getAs("message"));
            assertEquals(0, spark.read().parquet(listed.resolve("sdf_samples").toString())
                    .filter("id = 'the-box' AND kind <> 'uniform'").count(), "the row's mix: uniform points only");
            return null;
        });
        List<String> globbed = read(spark -> MeshList.read(spark, meshes + "/*/*.{ply,obj}")).stream()
                .map(MeshEntry::id).toList();
        assertEquals(List.of(INSIDE_OUT, OPEN), globbed, "a glob's ids are relative to its fixed leading folders");
        Files.writeString(manifest, "path,colour\nbox.obj,red\n");
        CapturedRun unknown = CapturedRun.of("sdf", "--meshes", manifest.toString(), "--out",
                dir.resolve("never").toString(), "--samples", "20");
        assertEquals(2, unknown.code(), unknown.describe());
        assertTrue(unknown.errorLines().get(0).contains("unknown column 'colour'"), unknown.errorLines().toString());
        Files.delete(manifest);
    }

    @Test
    @Order(6)
    void aFitAddsTheFitJobsTablesAndFieldGrids() throws Exception {
        Path config = dir.resolve("tiny-sdf.json");
        Files.writeString(config, """
                {"problem": {"type": "sdf", "mesh": "x.obj", "pool_size": 2048, "evaluation_points": 1024,
                             "surface_resolution": 16, "paper_metric_grid": 16},
                 "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [10, 10, 10, 10]},
                 "network": {"hidden": [16]},
                 "training": {"steps": 20, "eval_every": 0,
                              "points": {"surface": 128, "normal": 128, "eikonal": 128, "distance": 256}}}
                """);
        Path one = dir.resolve("one-mesh");
        copy("/meshes/box.obj", one.resolve(BOX));
        Path fitted = dir.resolve("fitted");
        CapturedRun run = CapturedRun.of("sdf", "--meshes", one.toString(), "--out", fitted.toString(),
                "--samples", "100", "--grid", "6", "--grid-source", "both", "--fit", "--config", config.toString());
        assertEquals(0, run.code(), run.describe());
        read(spark -> {
            Row metrics = spark.read().parquet(fitted.resolve("metrics").toString()).first();
            assertEquals(BOX, metrics.getAs("id"));
            assertEquals("ok", metrics.getAs("status"), (String) metrics.getAs("message"));
            assertEquals(1, spark.read().parquet(fitted.resolve("fields").toString()).count());
            assertTrue(((String) metrics.getAs("config")).contains("\"margin\":0.1"),
                    "the field is placed as the samples are");
            Map<String, Row> grids = new TreeMap<>();
            for (Row g : spark.read().parquet(fitted.resolve("grids").toString()).collectAsList()) {
                grids.put(g.getAs("source"), g);
            }
            assertEquals(List.of("exact", "field"), List.copyOf(grids.keySet()));
            assertEquals(4 * 216, ((byte[]) grids.get("field").getAs("values")).length);
            assertNotNull(spark.read().parquet(fitted.resolve("summary").toString()).first());
            return null;
        });
    }
}
