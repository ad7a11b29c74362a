package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hermitengp.jobs.bench.BenchCase;
import io.hermitengp.jobs.bench.BenchRunner;
import io.hermitengp.jobs.bench.BenchSuite;
import io.hermitengp.train.FitCancelledException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench <suite.json> --out DIR [--only NAME[,NAME...]] [--checkpoint-every N] [--rerun]}:
 * runs a benchmark suite (or only the named cases), progress on stderr, results under DIR
 * ({@code results.json}, {@code results.md}, PNG pictures). Run again on the same DIR, it keeps
 * the rows there, skips the cases that ended (unless {@code --rerun}) and resumes an interrupted
 * case from its checkpoint ({@link BenchRunner}). Exit status {@link #SOME_FAILED} when any case
 * of the suite (as run, or as kept) did not end ok.
 */
final class BenchCommand {
    static final int SOME_FAILED = 3;

    static final CommandSpec SPEC = new CommandSpec("bench", "<suite.json>",
            "run a benchmark suite; results.json, results.md and PNG pictures under DIR, written after every case",
            List.of(OptionSpec.required("--out", "DIR", "where the results are written"),
                    OptionSpec.optional("--only", "CASE[,CASE...]", "every case", "run only the named cases"),
                    OptionSpec.withDefault("--checkpoint-every", "N", String.valueOf(BenchRunner.DEFAULT_CHECKPOINT_EVERY),
                            "save a running case's state to DIR/_checkpoints every N counted steps, so that a later "
                                    + "run resumes it (0: never)"),
                    OptionSpec.flag("--rerun", "run the cases that ended in an earlier run in DIR again, replacing "
                            + "their rows (default: keep them)")),
            SOME_FAILED + " a case did not end ok; " + TrainCommand.INTERRUPTED
                    + " interrupted (Ctrl-C), the running case's step saved", false);

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
            ArrayNode results;
            try (Interruption interruption = Interruption.install()) {
                try {
                    results = new BenchRunner(out, System.err, options.integer("--checkpoint-every", 0, Long.MAX_VALUE),
                            options.has("--rerun")).run(suite, interruption);
                } catch (FitCancelledException stopped) {
                    // the runner said where the case stopped; printed before the JVM may halt
                    System.err.println("bench: interrupted; the rows of the cases that ended are in "
                            + out.resolve("results.json"));
                    return TrainCommand.INTERRUPTED;
                } catch (Throwable e) {
                    interruption.keepUntilReported();
                    throw e;
                }
            }
            System.err.println("results in " + out.resolve("results.md"));
            Set<String> cases = suite.cases().stream().map(BenchCase::name).collect(Collectors.toSet());
            int failed = 0;
            for (var r : results) {
                if (cases.contains(r.path("name").asText())) {
                    failed += r.path("status").asText().equals("ok") ? 0 : 1;
                }
            }
            if (failed > 0) {
                System.err.printf("bench: %d of %d cases did not end ok: exit status %d%n", failed, cases.size(),
                        SOME_FAILED);
            }
            return failed > 0 ? SOME_FAILED : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + out + ": " + e.getMessage(), e);
        }
    }
}
