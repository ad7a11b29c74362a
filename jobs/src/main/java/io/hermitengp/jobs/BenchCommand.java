package io.hermitengp.jobs;

import io.hermitengp.jobs.bench.BenchRunner;
import io.hermitengp.jobs.bench.BenchSuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code bench <suite.json> --out DIR [--only NAME[,NAME...]]}: runs a benchmark suite (or only the
 * named cases), progress on stderr, results under DIR ({@code results.json}, {@code results.md},
 * PNG pictures). Exit code 1 when any case failed.
 */
final class BenchCommand {
    private BenchCommand() {
    }

    static int run(String[] args) {
        if (args.length < 1 || args[0].startsWith("--")) {
            throw new UsageException("bench needs a suite file: bench <suite.json> --out DIR");
        }
        Path out = null;
        java.util.Set<String> only = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = new java.util.LinkedHashSet<>(java.util.Arrays.asList(args[++i].split(",")));
            } else {
                throw new UsageException("unknown or incomplete option '" + args[i] + "'; allowed: --out DIR, --only NAMES");
            }
        }
        if (out == null) {
            throw new UsageException("bench needs --out DIR");
        }
        BenchSuite suite = BenchSuite.read(Path.of(args[0]));
        if (only != null) {
            suite = suite.only(only);
        }
        try {
            var results = new BenchRunner(out, System.err).run(suite);
            System.err.println("results in " + out.resolve("results.md"));
            boolean failed = false;
            for (var r : results) {
                failed |= !r.path("status").asText().equals("ok");
            }
            return failed ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + out + ": " + e.getMessage(), e);
        }
    }
}
