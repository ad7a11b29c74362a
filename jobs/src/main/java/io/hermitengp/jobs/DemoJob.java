package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.MetricsSummary;
import io.hermitengp.spark.OutputLocation;
import io.hermitengp.spark.WriteMode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * {@code demo [--instances FILE] [--out DIR]}: fits the demo batch in {@code data/instances/demo.jsonl}
 * (PDE instances and the bundled meshes), extracts the SDF surfaces and prints the summary, all
 * under {@code ./out}.
 */
final class DemoJob {
    static final CommandSpec SPEC = new CommandSpec("demo", null,
            "fit, extract and summarize a batch (the demo batch: PDE instances and the bundled meshes) under DIR",
            List.of(OptionSpec.withDefault("--instances", "FILE", "data/instances/demo.jsonl",
                            "the instance list, JSON Lines"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the tables and surfaces are written"),
                    BatchStatus.MAX_FAILED_FRACTION),
            BatchStatus.EXITS, true);

    private DemoJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String instances = options.string("--instances");
        String out = options.string("--out");
        double maxFailed = options.fraction("--max-failed-fraction");
        PathChecks.readableFile(options.label("--instances"), options.string("--instances"));
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        SparkSession spark = Sessions.start("hermite-ngp demo");
        try {
            long started = System.nanoTime();
            // each demo replaces the last demo's run there, and refuses any other
            WriteMode mode = new FieldPipeline(spark, System.out, 5).ownRunMode(out, "demo");
            Dataset<Row> metrics = FitJob.fit(spark, instances, out, 5, 0, FieldPipeline.AUTO_BATCH, mode,
                    "demo " + String.join(" ", args));
            OutputLocation location = new OutputLocation(out, spark.sparkContext().hadoopConfiguration());
            ExtractJob.extract(spark, location.child(FieldPipeline.FIELDS), location, 64, 5000).show(1000, false);
            System.out.println("summary by kind:");
            MetricsSummary.byKind(metrics).show(1000, false);
            System.out.printf("demo: %d instances in %.1f s; Parquet tables metrics, fields, extraction and the "
                    + "surfaces are under %s%n", metrics.count(), (System.nanoTime() - started) / 1e9,
                    location);
            return BatchStatus.of(metrics).exitCode("demo", maxFailed, System.err);
        } finally {
            spark.stop();
        }
    }
}
