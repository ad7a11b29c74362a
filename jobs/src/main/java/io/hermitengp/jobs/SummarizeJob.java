package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.MetricsSummary;
import io.hermitengp.spark.OutputLocation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** {@code summarize --metrics DIR [--out DIR]}: the metrics table aggregated by kind, printed (and written). */
final class SummarizeJob {
    static final CommandSpec SPEC = new CommandSpec("summarize", null,
            "the metrics table aggregated by kind: instances, ok, failed, diverged, errors, times, backends",
            List.of(OptionSpec.withDefault("--metrics", "DIR", "out/metrics", "the metrics table that fit wrote"),
                    OptionSpec.optional("--out", "DIR", "none, printed only", "also write DIR/summary (Parquet), replacing that table only")),
            "", true);

    private SummarizeJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String metrics = options.string("--metrics");
        String out = options.string("--out");
        PathChecks.readableTable(options.label("--metrics"), options.string("--metrics"));
        if (out != null) {
            PathChecks.writableLocation(options.label("--out"), out);
        }
        SparkSession spark = Sessions.start("hermite-ngp summarize");
        try {
            Dataset<Row> summary = MetricsSummary.byKind(spark.read().parquet(metrics));
            summary.show(1000, false);
            if (out != null) {
                // into DIR/summary, the run layout's own table: never over DIR itself, which may hold a run
                String table = new OutputLocation(out, spark.sparkContext().hadoopConfiguration())
                        .child(FieldPipeline.SUMMARY);
                summary.write().mode(SaveMode.Overwrite).parquet(table);
                System.out.println("summarize: written to " + table);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }
}
