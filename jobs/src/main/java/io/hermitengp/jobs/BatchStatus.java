package io.hermitengp.jobs;

import io.hermitengp.fit.FitOutcome;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintStream;

import static org.apache.spark.sql.functions.col;

/**
 * How a batch ended: instances, and how many of them did not end {@code ok} (failed or
 * diverged). A job that fits a batch exits with {@link #SOME_NOT_OK} when the fraction not ok
 * is above its {@code --max-failed-fraction} (default 0: any instance not ok).
 */
record BatchStatus(long instances, long notOk) {
    static final int SOME_NOT_OK = 3;

    static final OptionSpec MAX_FAILED_FRACTION = OptionSpec.withDefault("--max-failed-fraction", "F", "0",
            "exit with status 3 when the fraction of instances not ok (failed or diverged) is above F");

    static final String EXITS = "3 the fraction of instances not ok (failed or diverged) is above "
            + "--max-failed-fraction";

    /** Counts the rows of a metrics table ({@code status} per instance). */
    static BatchStatus of(Dataset<Row> metrics) {
        return new BatchStatus(metrics.count(), metrics.filter(col("status").notEqual(FitOutcome.OK)).count());
    }

    double notOkFraction() {
        return instances == 0 ? 0 : (double) notOk / instances;
    }

    /** 0, or {@link #SOME_NOT_OK} with a line on {@code err} saying why. */
    int exitCode(String job, double maxFailedFraction, PrintStream err) {
        if (notOkFraction() <= maxFailedFraction) {
            return 0;
        }
        err.printf("%s: %d of %d instances not ok (fraction %.4g, above --max-failed-fraction %s): exit status %d%n",
                job, notOk, instances, notOkFraction(), maxFailedFraction, SOME_NOT_OK);
        return SOME_NOT_OK;
    }
}
