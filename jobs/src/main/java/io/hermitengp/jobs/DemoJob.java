package io.hermitengp.jobs;

import io.hermitengp.spark.MetricsSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code demo [--instances FILE] [--out DIR]}: fits the demo batch in {@code data/instances/demo.jsonl}
 * (PDE instances and the bundled meshes), extracts the SDF surfaces and prints the summary, all
 * under {@code ./out}.
 */
final class DemoJob {
    static final Set<String> OPTIONS = Set.of("--instances", "--out");

    private DemoJob() {
    }

    static void run(String[] args) {
        JobOptions options = new JobOptions("demo", args, 1, OPTIONS);
        Path instances = options.path("--instances", "data/instances/demo.jsonl");
        Path out = options.path("--out", "out");
        SparkSession spark = Sessions.start("hermite-ngp demo");
        try {
            long started = System.nanoTime();
            Dataset<Row> metrics = FitJob.fit(spark, instances, out, 5);
            ExtractJob.extract(spark, out.resolve("fields"), out, 64, 5000).show(1000, false);
            System.out.println("summary by kind:");
            MetricsSummary.byKind(metrics).show(1000, false);
            System.out.printf("demo: %d instances in %.1f s; Parquet tables metrics, fields, extraction and the "
                    + "surfaces are under %s%n", metrics.count(), (System.nanoTime() - started) / 1e9,
                    out.toAbsolutePath());
        } finally {
            spark.stop();
        }
    }
}
