package io.hermitengp.jobs;

import io.hermitengp.jobs.bench.BenchRunner;
import io.hermitengp.jobs.bench.BenchSuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code bench <suite.json> --out DIR [--only NAME[,NAME...]]}: runs a benchmark suite (or only the
 * named cases), progress on stderr, results under DIR ({@code results.json}, {@code results.md},
 * PNG pictures). Exit status {@link #SOME_FAILED} when any case did not end ok.
 */
final class BenchCommand {
    static final int SOME_FAILED = 3;

    static final CommandSpec SPEC = new CommandSpec("bench", "<suite.json>",
            "run a benchmark suite; results.json, results.md and PNG pictures under DIR, written after every case",
            List.of(OptionSpec.required("--out", "DIR", "where the results are written"),
                    OptionSpec.optional("--only", "CASE[,CASE...]", "every case", "run only the named cases")),
            SOME_FAILED + " a case did not end ok", false);

    private BenchCommand() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        Path out = options.path("--out");
        BenchSuite suite = BenchSuite.read(Path.of(options.operand()));
        if (options.has("--only")) {
            suite = suite.only(new LinkedHashSet<>(Arrays.asList(options.string("--only").split(","))));
        }
        PathChecks.writableDirectory(options.label("--out"), out);
        try {
            var results = new BenchRunner(out, System.err).run(suite);
            System.err.println("results in " + out.resolve("results.md"));
            int failed = 0;
            for (var r : results) {
                failed += r.path("status").asText().equals("ok") ? 0 : 1;
            }
            if (failed > 0) {
                System.err.printf("bench: %d of %d cases did not end ok: exit status %d%n", failed, results.size(),
                        SOME_FAILED);
            }
            return failed > 0 ? SOME_FAILED : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + out + ": " + e.getMessage(), e);
        }
    }
}
