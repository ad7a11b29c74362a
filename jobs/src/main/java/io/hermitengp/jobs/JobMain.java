package io.hermitengp.jobs;

import io.hermitengp.backend.opencl.OpenClUnavailableException;
import io.hermitengp.config.ConfigException;

import java.util.Arrays;

/**
 * Entry point of every command: {@code bin/hermite-ngp <command>} and
 * {@code spark-submit --class io.hermitengp.jobs.JobMain hermite-ngp-jobs-*-spark.jar <job> ...}.
 * {@code train}, {@code speed} and {@code bench} fit fields in this JVM, without Spark; the jobs
 * run on Spark ({@code local[*]} under the launcher, the cluster under spark-submit).
 */
public final class JobMain {
    private JobMain() {
    }

    static final String USAGE = """
            usage: hermite-ngp <command> [arguments]
            one field at a time, in this JVM:
              train <config.json> [--steps N] [--seconds S] [--threads N] [--seed S]
                    [--backend auto|java|opencl] [--device INDEX|NAME] [--curves FILE]
                    [--surface FILE.ply|obj] [--slice FILE.png]
                  train one field; progress on stderr, one JSON result line on stdout;
                  --surface: an sdf's zero level set in the mesh's coordinates; --slice: a 3D field's mid-plane
              speed <config.json> [--steps N] [--warmup W] [--backends java,opencl] [--threads N] [--device D]
                  time full training steps of a config on each backend in one run; JSON on stdout
              bench <suite.json> --out DIR [--only CASE[,CASE...]]
                  run a benchmark suite; results.json, results.md and PNG pictures under DIR
            Spark jobs (local[*] under bin/hermite-ngp; see README for spark-submit):
              fit --instances FILE [--out DIR] [--progress-seconds S]
                  fit every instance of a JSON Lines list; writes DIR/metrics and DIR/fields (Parquet)
              extract [--fields DIR] [--out DIR] [--resolution N] [--samples N]
                  surfaces of the fitted SDFs: DIR/surfaces/<id>.ply and DIR/extraction (Parquet)
              summarize [--metrics DIR] [--out DIR]
                  the metrics table aggregated by kind
              demo [--instances FILE] [--out DIR]
                  fit, extract and summarize the demo batch (data/instances/demo.jsonl) under ./out
              throughput [--instances FILE] [--out DIR]
                  the batch fitted directly in one JVM, then through Spark: instances per minute and their ratio
            """;

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "train" -> System.exit(TrainCommand.run(rest));
                case "speed" -> System.exit(SpeedCommand.run(rest));
                case "bench" -> System.exit(BenchCommand.run(rest));
                case "fit" -> FitJob.run(args);
                case "extract" -> ExtractJob.run(args);
                case "summarize" -> SummarizeJob.run(args);
                case "demo" -> DemoJob.run(args);
                case "throughput" -> ThroughputJob.run(args);
                default -> throw new UsageException("unknown command '" + args[0] + "'\n" + USAGE);
            }
        } catch (ConfigException | UsageException | OpenClUnavailableException e) {
            System.err.println("hermite-ngp: " + e.getMessage());
            System.exit(2);
        }
    }
}
