package io.hermitengp.jobs;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.shape.FieldSurface;
import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.OutputLocation;
import io.hermitengp.spark.SurfaceExtraction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.List;

/**
 * {@code extract --fields DIR --out DIR [--resolution N]}: the surfaces of every fitted SDF as
 * PLY files in their meshes' coordinates, and a table of extraction metrics.
 */
final class ExtractJob {
    static final CommandSpec SPEC = new CommandSpec("extract", null,
            "the surfaces of the fitted SDFs (marching cubes, in the mesh's coordinates): DIR/extraction (Parquet, "
                    + "each surface as binary PLY beside its metrics), then DIR/surfaces/<name>.ply",
            List.of(OptionSpec.optional("--fields", "DIR", "<out>/fields", "the fields table that fit wrote"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the surfaces and the table are written"),
                    OptionSpec.withDefault("--resolution", "N", "128",
                            "marching-cubes grid N^3 (4 <= N <= " + FieldSurface.MAX_RESOLUTION + ")"),
                    OptionSpec.withDefault("--samples", "N", "20000",
                            "points on each surface for the Chamfer distance and normal consistency (N >= 100)")),
            "3 some surfaces could not be extracted (their rows say why)", true);

    private ExtractJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String out = options.string("--out");
        String fields = options.has("--fields") ? options.string("--fields")
                : new org.apache.hadoop.fs.Path(out, FieldPipeline.FIELDS).toString();
        int resolution = (int) options.integer("--resolution", 4, FieldSurface.MAX_RESOLUTION);
        int samples = options.integer("--samples", 100);
        PathChecks.readableTable(options.label("--fields"), fields);
        PathChecks.writableLocation(options.label("--out"), out);
        SparkSession spark = Sessions.start("hermite-ngp extract");
        try {
            Dataset<Row> table = extract(spark, fields,
                    new OutputLocation(out, spark.sparkContext().hadoopConfiguration()), resolution, samples);
            table.show(1000, false);
            long failed = table.filter(functions.col("status").notEqual(FitOutcome.OK)).count();
            if (failed > 0) {
                System.err.printf("hermite-ngp: extract: %d of %d surfaces failed (exit status 3)%n", failed,
                        table.count());
                return 3;
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> extract(SparkSession spark, String fields, OutputLocation out, int resolution, int samples) {
        Dataset<Row> table = new SurfaceExtraction(resolution, samples).run(spark, spark.read().parquet(fields), out);
        System.out.printf("extract: %d surfaces -> %s%n", table.count(), out.child(SurfaceExtraction.SURFACES));
        return table.select("id", "status", "triangles", "chamfer", "chamfer_mesh_units", "normal_consistency",
                "seconds", "message");
    }
}
