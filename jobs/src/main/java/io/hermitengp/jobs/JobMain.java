package io.hermitengp.jobs;

import io.hermitengp.cli.UsageException;

/**
 * Entry point of the jobs, for {@code bin/hermite-ngp} (Spark {@code local[*]}) and for
 * {@code spark-submit --class io.hermitengp.jobs.JobMain hermite-ngp-jobs-*-spark.jar <job> ...}.
 */
public final class JobMain {
    private JobMain() {
    }

    static final String USAGE = """
            usage: <job> [options]
              fit --instances FILE [--out DIR] [--progress-seconds S]
                  fit every instance of a JSON Lines list; writes DIR/metrics and DIR/fields (Parquet)
              extract [--fields DIR] [--out DIR] [--resolution N] [--samples N]
                  surfaces of the fitted SDFs: DIR/surfaces/<id>.ply and DIR/extraction (Parquet)
              summarize [--metrics DIR] [--out DIR]
                  the metrics table aggregated by kind
              demo [--instances FILE] [--out DIR]
                  fit, extract and summarize the demo batch (data/instances/demo.jsonl) under ./out
              throughput [--instances FILE] [--out DIR]
                  the batch fitted directly in one JVM, then through Spark: instances per minute and their ratio""";

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            switch (args[0]) {
                case "fit" -> FitJob.run(args);
                case "extract" -> ExtractJob.run(args);
                case "summarize" -> SummarizeJob.run(args);
                case "demo" -> DemoJob.run(args);
                case "throughput" -> ThroughputJob.run(args);
                default -> throw new UsageException("unknown job '" + args[0] + "'\n" + USAGE);
            }
        } catch (UsageException e) {
            System.err.println("hermite-ngp: " + e.getMessage());
            System.exit(2);
        }
    }
}
