package io.hermitengp.spark;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshReader;
import io.hermitengp.shape.SdfSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Surface extraction through Spark in {@code local[2]}, on fields the pipeline fitted: one row
 * per SDF field (a PDE field gets none), a surface file in the mesh's own coordinates whose
 * triangles the row counts, and a failed row naming the missing file when a field's mesh is gone.
 */
class SurfaceExtractionTest {
    private static final int RESOLUTION = 24;
    /** How far outside the mesh's bounding box, in mesh units, a vertex of a briefly fitted surface may lie. */
    private static final double BOUNDS_MARGIN = 0.25;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-extraction-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Path bundled(String name) {
        try {
            return Path.of(SurfaceExtractionTest.class.getResource("/meshes/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everySdfFieldGetsARowAndASurfaceInMeshCoordinatesAndNoOtherFieldDoes(@TempDir Path dir)
            throws IOException {
        Path sphere = bundled("sphere.obj");
        List<Instance> instances = List.of(
                new Instance("sdf-sphere", SparkTestInstances.smallSdf(sphere, 20)),
                new Instance("h-0", SparkTestInstances.smallHelmholtz(1, 5)));
        Path out = dir.resolve("out");
        FieldPipeline pipeline = new FieldPipeline(spark,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 0.5);
        Dataset<Row> metrics = pipeline.fit(pipeline.instances(instances), out);
        assertEquals(2, metrics.filter(col("status").equalTo("ok")).count(), "every fit is ok: "
                + metrics.select("id", "status", "message").collectAsList());

        Dataset<Row> fields = spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString());
        // the sphere's stored field once more, its config naming a mesh file that no longer exists
        Path gone = dir.resolve("gone/vanished.obj");
        Dataset<Row> orphan = fields.filter(col("id").equalTo("sdf-sphere"))
                .withColumn("id", lit("sdf/orphan"))
                .withColumn("field", col("field").withField("config", regexp_replace(col("field.config"),
                        Pattern.quote(sphere.toString()), Matcher.quoteReplacement(gone.toString()))));
        Dataset<Row> table = new SurfaceExtraction(RESOLUTION, 1000).run(spark, fields.unionByName(orphan), out);

        Map<String, Row> byId = new HashMap<>();
        for (Row r : table.collectAsList()) {
            byId.put(r.getAs("id"), r);
        }
        assertEquals(Set.of("sdf-sphere", "sdf/orphan"), byId.keySet(),
                "one row per SDF field, none for the Helmholtz field");

        Row ok = byId.get("sdf-sphere");
        assertEquals("ok", ok.getAs("status"), ok.<String>getAs("message"));
        assertEquals(RESOLUTION, ok.<Integer>getAs("resolution"));
        Path file = Path.of(java.net.URI.create(ok.<String>getAs("surface_file")));
        assertEquals(out.resolve(SurfaceExtraction.SURFACES).resolve("sdf-sphere.ply").toAbsolutePath(), file);
        TriangleMesh surface = MeshReader.read(file);
        long triangles = ok.getAs("triangles");
        assertTrue(triangles > 0, "triangles: " + triangles);
        assertEquals(triangles, surface.triangleCount(), "the row counts the file's triangles");

        // in the mesh's own coordinates: near the unit sphere, not the sphere as placed in the box
        // (scaled by 1 - 2 margin), and within the mesh's bounding box grown by BOUNDS_MARGIN
        Box bounds = MeshReader.read(sphere).bounds();
        double[] v = surface.vertices();
        double radiusSum = 0;
        for (int k = 0; k < v.length; k += 3) {
            for (int i = 0; i < 3; i++) {
                assertTrue(v[k + i] >= bounds.lo(i) - BOUNDS_MARGIN && v[k + i] <= bounds.hi(i) + BOUNDS_MARGIN,
                        "vertex " + k / 3 + " axis " + i + " at " + v[k + i] + " outside the grown bounds");
            }
            radiusSum += Math.sqrt(v[k] * v[k] + v[k + 1] * v[k + 1] + v[k + 2] * v[k + 2]);
        }
        double meanRadius = radiusSum / (v.length / 3);
        assertEquals(1.0, meanRadius, 0.05, "mean distance of the surface's vertices from the sphere's center");

        double chamfer = ok.getAs("chamfer");
        double normals = ok.getAs("normal_consistency");
        assertTrue(chamfer > 0 && chamfer < 0.2, "Chamfer distance in box units: " + chamfer);
        // the box is [-1, 1]^3 and the sphere's diameter 2, so a mesh unit is 1 - 2 margin box units
        double margin = SdfSettings.DEFAULTS.margin();
        assertEquals(chamfer / (1 - 2 * margin), ok.<Double>getAs("chamfer_mesh_units"), 1e-12 * chamfer);
        assertTrue(normals > 0.5 && normals <= 1, "normal consistency: " + normals);

        Row failed = byId.get("sdf/orphan");
        assertEquals("failed", failed.getAs("status"));
        assertTrue(failed.<String>getAs("message").contains(gone.toString()),
                "the message names the missing mesh: " + failed.getAs("message"));
        assertNull(failed.getAs("triangles"));
        assertNull(failed.getAs("surface_file"));

        try (Stream<Path> files = Files.list(out.resolve(SurfaceExtraction.SURFACES))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("sdf-sphere.ply"), names, "a surface for the extracted SDF field only");
        }
    }
}
