package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.SurfaceExtraction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code extract --fields DIR --out DIR [--resolution N]}: the surfaces of every fitted SDF as
 * PLY files in their meshes' coordinates, and a table of extraction metrics.
 */
final class ExtractJob {
    static final CommandSpec SPEC = new CommandSpec("extract", null,
            "the surfaces of the fitted SDFs: DIR/surfaces/<id>.ply (marching cubes, in the mesh's coordinates) "
                    + "and DIR/extraction (Parquet)",
            List.of(OptionSpec.optional("--fields", "DIR", "<out>/fields", "the fields table that fit wrote"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the surfaces and the table are written"),
                    OptionSpec.withDefault("--resolution", "N", "128", "marching-cubes grid N^3 (N >= 4)"),
                    OptionSpec.withDefault("--samples", "N", "20000",
                            "points on each surface for the Chamfer distance and normal consistency (N >= 100)")),
            "", true);

    private ExtractJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        Path out = options.path("--out");
        Path fields = options.has("--fields") ? options.path("--fields") : out.resolve(FieldPipeline.FIELDS);
        int resolution = options.integer("--resolution", 4);
        int samples = options.integer("--samples", 100);
        PathChecks.readableTable(options.label("--fields"), options.has("--fields") ? options.string("--fields")
                : new org.apache.hadoop.fs.Path(options.string("--out"), FieldPipeline.FIELDS).toString());
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        SparkSession spark = Sessions.start("hermite-ngp extract");
        try {
            extract(spark, fields, out, resolution, samples).show(1000, false);
            return 0;
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
