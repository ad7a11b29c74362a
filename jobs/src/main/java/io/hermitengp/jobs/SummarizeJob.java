package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.MetricsSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Set;

/** {@code summarize --metrics DIR [--out DIR]}: the metrics table aggregated by kind, printed (and written). */
final class SummarizeJob {
    static final Set<String> OPTIONS = Set.of("--metrics", "--out");

    private SummarizeJob() {
    }

    static void run(String[] args) {
        JobOptions options = new JobOptions("summarize", args, 1, OPTIONS);
        Path metrics = options.path("--metrics", Path.of("out").resolve(FieldPipeline.METRICS).toString());
        String out = options.string("--out", null);
        SparkSession spark = Sessions.start("hermite-ngp summarize");
        try {
            Dataset<Row> summary = MetricsSummary.byKind(spark.read().parquet(metrics.toString()));
            summary.show(1000, false);
            if (out != null) {
                summary.write().mode(SaveMode.Overwrite).parquet(out);
            }
        } finally {
            spark.stop();
        }
    }
}
