package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.InstanceList;
import io.hermitengp.spark.MetricsSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;

/** {@code fit --instances FILE --out DIR}: fits every instance of a list, writes metrics and fields. */
final class FitJob {
    static final CommandSpec SPEC = new CommandSpec("fit", null,
            "fit every instance of a JSON Lines list; writes DIR/metrics and DIR/fields (Parquet) and prints the "
                    + "summary by kind",
            List.of(OptionSpec.required("--instances", "FILE", "the instance list, JSON Lines"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the tables are written"),
                    OptionSpec.withDefault("--progress-seconds", "S", "10", "print progress every S seconds"),
                    BatchStatus.MAX_FAILED_FRACTION),
            BatchStatus.EXITS, true);

    private FitJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        Path instances = options.path("--instances");
        Path out = options.path("--out");
        int period = options.integer("--progress-seconds", 1);
        double maxFailed = options.fraction("--max-failed-fraction");
        PathChecks.readableFile(options.label("--instances"), options.string("--instances"));
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        SparkSession spark = Sessions.start("hermite-ngp fit");
        try {
            Dataset<Row> metrics = fit(spark, instances, out, period);
            MetricsSummary.byKind(metrics).show(1000, false);
            return BatchStatus.of(metrics).exitCode("fit", maxFailed, System.err);
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> fit(SparkSession spark, Path instances, Path out, int progressSeconds) {
        FieldPipeline pipeline = new FieldPipeline(spark, System.out, progressSeconds);
        return pipeline.fit(pipeline.instances(InstanceList.read(instances)), out);
    }
}
