package io.hermitengp.jobs;

import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.Instance;
import io.hermitengp.spark.InstanceList;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/**
 * {@code throughput --instances FILE [--out DIR]}: the same batch fitted twice in one run, first
 * directly in this JVM (one instance after another, each on every core), then through Spark
 * ({@code local[*]} unless spark-submit says otherwise), and the instances per minute of each
 * with their ratio: what the Spark layer costs or gains on this machine.
 */
final class ThroughputJob {
    static final CommandSpec SPEC = new CommandSpec("throughput", null,
            "a batch fitted directly in one JVM, then through Spark: instances per minute of each and their ratio",
            List.of(OptionSpec.withDefault("--instances", "FILE", "data/instances/demo.jsonl",
                            "the instance list, JSON Lines"),
                    OptionSpec.withDefault("--out", "DIR", "out/throughput", "where the Spark pass writes its tables"),
                    BatchStatus.MAX_FAILED_FRACTION),
            BatchStatus.EXITS + " in either pass", true);

    private ThroughputJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String list = options.string("--instances");
        String out = options.string("--out");
        double maxFailed = options.fraction("--max-failed-fraction");
        PathChecks.readableFile(options.label("--instances"), options.string("--instances"));
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        List<Instance> instances = InstanceList.read(list, new Configuration());
        int cores = Runtime.getRuntime().availableProcessors();

        long started = System.nanoTime();
        int failed = 0;
        for (Instance instance : instances) {
            FitOutcome o = instance.fit(DeviceChoice.cpu(cores));
            failed += o.status().equals(FitOutcome.OK) ? 0 : 1;
            System.out.printf("direct: %-24s %-8s %6.1f s  %s%n", o.id(), o.status(), o.wallSeconds(), o.message());
        }
        double direct = (System.nanoTime() - started) / 1e9;

        SparkSession spark = Sessions.start("hermite-ngp throughput");
        double viaSpark;
        BatchStatus viaSparkStatus;
        try {
            started = System.nanoTime();
            FieldPipeline pipeline = new FieldPipeline(spark, System.out, 10);
            // each throughput run replaces the last one's tables there, and refuses any other run
            Dataset<Row> metrics = pipeline.fit(pipeline.instances(instances), out,
                    pipeline.ownRunMode(out, "throughput"), "throughput " + String.join(" ", args));
            viaSpark = (System.nanoTime() - started) / 1e9;
            viaSparkStatus = BatchStatus.of(metrics);
        } finally {
            spark.stop();
        }
        int n = instances.size();
        System.out.printf("throughput of %d instances (%s), %d cores:%n", n, list, cores);
        System.out.printf("  direct, one JVM, one instance at a time on %d threads: %.1f s, %.2f instances/min"
                + " (%d not ok)%n", cores, direct, 60 * n / direct, failed);
        System.out.printf("  Spark %s, one task per core, one thread per task:  %.1f s, %.2f instances/min%n",
                "local[*]", viaSpark, 60 * n / viaSpark);
        System.out.printf("  Spark / direct throughput: %.2f%n", direct / viaSpark);
        // the two passes fit the same instances, but on different devices they can end differently: the worse counts
        return new BatchStatus(n, Math.max(failed, viaSparkStatus.notOk())).exitCode("throughput", maxFailed,
                System.err);
    }
}
