package io.hermitengp.cli;

import io.hermitengp.backend.opencl.OpenClUnavailableException;
import io.hermitengp.config.ConfigException;

import java.util.Arrays;

/** Entry point of {@code bin/hermite-ngp}: dispatches to a subcommand. */
public final class HermiteNgp {
    private static final String USAGE = """
            usage: hermite-ngp <command> [arguments]
            commands:
              train <config.json> [--steps N] [--seconds S] [--threads N] [--seed S]
                    [--backend java|opencl] [--device INDEX|NAME] [--curves FILE]
                    [--surface FILE.ply|obj] [--slice FILE.png]
                  train one field; progress on stderr, one JSON result line on stdout;
                  --surface: an sdf's zero level set in the mesh's coordinates; --slice: a 3D field's mid-plane
              speed <config.json> [--steps N] [--warmup W] [--backends java,opencl] [--threads N] [--device D]
                  time full training steps of a config on each backend in one run; JSON on stdout
              bench <suite.json> --out DIR [--only CASE[,CASE...]]
                  run a benchmark suite; results.json, results.md and PNG pictures under DIR
            Spark jobs (local[*]; see README for spark-submit):
              fit --instances FILE [--out DIR]    extract [--out DIR] [--resolution N]
              summarize [--metrics DIR]           demo [--out DIR]
            """;

    private HermiteNgp() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            int code = switch (args[0]) {
                case "train" -> TrainCommand.run(rest);
                case "speed" -> SpeedCommand.run(rest);
                case "bench" -> BenchCommand.run(rest);
                default -> {
                    System.err.println("unknown command '" + args[0] + "'");
                    System.err.print(USAGE);
                    yield 2;
                }
            };
            System.exit(code);
        } catch (ConfigException | UsageException | OpenClUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
