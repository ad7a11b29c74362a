package io.hermitengp.jobs;

import io.hermitengp.shape.SampleMix;
import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.SdfDatasetPipeline;
import io.hermitengp.spark.WriteMode;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * {@code demo-sdf [--meshes DIR] [--out DIR]}: the {@code sdf} job end to end on the bundled
 * meshes (the generated collection, the bunny and the other three): exact samples and grids,
 * a small fit per mesh, the surfaces, and the summary.
 */
final class DemoSdfJob {
    static final String CONFIG = SdfJob.DEFAULT_CONFIG;

    static final CommandSpec SPEC = new CommandSpec("demo-sdf", null,
            "the sdf job end to end on the bundled meshes: 2000 exact samples and a 32^3 grid each, a small fit, "
                    + "the surfaces at 48^3, the summary",
            List.of(OptionSpec.withDefault("--meshes", "DIR", "data/meshes", "the mesh folder"),
                    OptionSpec.withDefault("--config", "FILE", CONFIG, "the sdf training config of the fits"),
                    OptionSpec.withDefault("--out", "DIR", "out/sdf-demo", "where the tables and surfaces are written"),
                    BatchStatus.MAX_FAILED_MESH_FRACTION),
            SdfJob.SPEC.exits(), true);

    private DemoSdfJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String meshes = options.string("--meshes");
        String out = options.string("--out");
        PathChecks.readableFile(options.label("--config"), options.string("--config"));
        PathChecks.writableLocation(options.label("--out"), out);
        SparkSession spark = Sessions.start("hermite-ngp demo-sdf");
        try {
            // each demo replaces the last demo's dataset there, and refuses anything else
            WriteMode mode = new FieldPipeline(spark, System.out, 10).ownRunMode(out, SPEC.name());
            SdfJob.Plan plan = new SdfJob.Plan(meshes, out, 2000, SampleMix.DEFAULT, 32,
                    SdfDatasetPipeline.GridSource.BOTH, 0, null, options.string("--config"), true, 48, mode, 10,
                    options.fraction("--max-failed-fraction"));
            return SdfJob.run(spark, plan, SPEC.name() + " " + String.join(" ", args));
        } finally {
            spark.stop();
        }
    }
}
