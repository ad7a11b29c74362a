package io.hermitengp.jobs;

import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.InstanceList;
import io.hermitengp.spark.MetricsSummary;
import io.hermitengp.spark.WriteMode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** {@code fit --instances FILE --out DIR}: fits every instance of a list, writes metrics and fields. */
final class FitJob {
    /** {@code --batch-fields}: how many fields of one architecture a task trains together. */
    static final OptionSpec BATCH_FIELDS = OptionSpec.withDefault("--batch-fields", "N", "auto",
            "train up to N instances of one architecture together in one task (auto: min(32, instances / "
                    + "cores)); fields are the same for any N, only the speed changes");
    static final CommandSpec SPEC = new CommandSpec("fit", null,
            "fit every instance of a JSON Lines list; writes DIR/metrics, DIR/fields, DIR/summary (Parquet) and "
                    + "DIR/_run.json, and prints the summary by kind",
            List.of(OptionSpec.required("--instances", "FILE", "the instance list, JSON Lines"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the tables are written (a path or a Hadoop URI)"),
                    OptionSpec.withDefault("--mode", "MODE", "error", "an existing run in --out: error (refuse), "
                            + "overwrite, append (new ids only) or resume (fit only the ids not ok yet)"),
                    OptionSpec.withDefault("--progress-seconds", "S", "10", "print progress every S seconds"),
                    OptionSpec.withDefault("--checkpoint-every", "N", "0", "save each fit's state every N steps "
                            + "in DIR/_checkpoints, so a fit whose task dies continues from there (0: never)"),
                    BATCH_FIELDS,
                    BatchStatus.MAX_FAILED_FRACTION),
            BatchStatus.EXITS, true);

    private FitJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String instances = options.string("--instances");
        String out = options.string("--out");
        WriteMode mode = mode(options);
        int period = options.integer("--progress-seconds", 1);
        long checkpointEvery = options.integer("--checkpoint-every", 0, Long.MAX_VALUE);
        int batchFields = batchFields(options);
        double maxFailed = options.fraction("--max-failed-fraction");
        PathChecks.readableFile(options.label("--instances"), options.string("--instances"));
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        SparkSession spark = Sessions.start("hermite-ngp fit");
        try {
            Dataset<Row> metrics = fit(spark, instances, out, period, checkpointEvery, batchFields, mode,
                    "fit " + String.join(" ", args));
            MetricsSummary.byKind(metrics).show(1000, false);
            return BatchStatus.of(metrics).exitCode("fit", maxFailed, System.err);
        } finally {
            spark.stop();
        }
    }

    /** {@code --mode}, a usage error when it names no mode. */
    static WriteMode mode(JobOptions options) {
        try {
            return WriteMode.parse(options.string("--mode"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.label("--mode") + ": " + e.getMessage());
        }
    }

    /** {@code --batch-fields}: a count >= 1, or {@link FieldPipeline#AUTO_BATCH} for {@code auto}. */
    static int batchFields(JobOptions options) {
        return options.string("--batch-fields").equals("auto") ? FieldPipeline.AUTO_BATCH
                : options.integer("--batch-fields", 1);
    }

    static Dataset<Row> fit(SparkSession spark, String instances, String out, int progressSeconds,
                            long checkpointEvery, int batchFields, WriteMode mode, String command) {
        FieldPipeline pipeline = new FieldPipeline(spark, System.out, progressSeconds).checkpointEvery(checkpointEvery)
                .batchFields(batchFields);
        return pipeline.fit(pipeline.instances(InstanceList.read(instances, spark.sparkContext().hadoopConfiguration())),
                out, mode, command);
    }
}
