package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.InstanceList;
import io.hermitengp.spark.MetricsSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Set;

/** {@code fit --instances FILE --out DIR}: fits every instance of a list, writes metrics and fields. */
final class FitJob {
    static final Set<String> OPTIONS = Set.of("--instances", "--out", "--progress-seconds");

    private FitJob() {
    }

    static void run(String[] args) {
        JobOptions options = new JobOptions("fit", args, 1, OPTIONS);
        Path instances = options.path("--instances", null);
        Path out = options.path("--out", "out");
        int period = options.integer("--progress-seconds", 10, 1);
        SparkSession spark = Sessions.start("hermite-ngp fit");
        try {
            Dataset<Row> metrics = fit(spark, instances, out, period);
            MetricsSummary.byKind(metrics).show(1000, false);
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> fit(SparkSession spark, Path instances, Path out, int progressSeconds) {
        FieldPipeline pipeline = new FieldPipeline(spark, System.out, progressSeconds);
        return pipeline.fit(pipeline.instances(InstanceList.read(instances)), out);
    }
}
