package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.SurfaceExtraction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code extract --fields DIR --out DIR [--resolution N]}: the surfaces of every fitted SDF as
 * PLY files in their meshes' coordinates, and a table of extraction metrics.
 */
final class ExtractJob {
    static final Set<String> OPTIONS = Set.of("--fields", "--out", "--resolution", "--samples");

    private ExtractJob() {
    }

    static void run(String[] args) {
        JobOptions options = new JobOptions("extract", args, 1, OPTIONS);
        Path out = options.path("--out", "out");
        Path fields = options.path("--fields", out.resolve(FieldPipeline.FIELDS).toString());
        int resolution = options.integer("--resolution", 128, 4);
        int samples = options.integer("--samples", 20000, 100);
        SparkSession spark = Sessions.start("hermite-ngp extract");
        try {
            extract(spark, fields, out, resolution, samples).show(1000, false);
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> extract(SparkSession spark, Path fields, Path out, int resolution, int samples) {
        Dataset<Row> table = new SurfaceExtraction(resolution, samples).run(spark,
                spark.read().parquet(fields.toString()), out);
        System.out.printf("extract: %d surfaces -> %s%n", table.count(), out.resolve(SurfaceExtraction.SURFACES));
        return table.select("id", "status", "triangles", "chamfer", "chamfer_mesh_units", "normal_consistency",
                "seconds", "message");
    }
}
