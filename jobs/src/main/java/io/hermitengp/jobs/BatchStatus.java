package io.hermitengp.jobs;

import io.hermitengp.fit.FitOutcome;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintStream;

import static org.apache.spark.sql.functions.col;

/**
 * How a batch ended: its items (instances, or the sdf job's meshes), and how many of them did not
 * end {@code ok} (failed or diverged). A job that fits a batch exits with {@link #SOME_NOT_OK}
 * when the fraction not ok is above its {@code --max-failed-fraction} (default 0: any item not
 * ok); {@code items} is the noun its messages count them with.
 */
record BatchStatus(long count, long notOk, String items) {
    static final int SOME_NOT_OK = 3;

    static final OptionSpec MAX_FAILED_FRACTION = OptionSpec.withDefault("--max-failed-fraction", "F", "0",
            "exit with status 3 when the fraction of instances not ok (failed or diverged) is above F");

    /** The option of the sdf jobs, whose items are meshes. */
    static final OptionSpec MAX_FAILED_MESH_FRACTION = OptionSpec.withDefault("--max-failed-fraction", "F", "0",
            "exit with status 3 when the fraction of meshes not ok (failed, or a failed or diverged fit or surface) "
                    + "is above F");

    static final String EXITS = "3 the fraction of instances not ok (failed or diverged) is above "
            + "--max-failed-fraction";

    /** A batch of instances. */
    BatchStatus(long instances, long notOk) {
        this(instances, notOk, "instances");
    }

    /** Counts the rows of a metrics table ({@code status} per instance). */
    static BatchStatus of(Dataset<Row> metrics) {
        return new BatchStatus(metrics.count(), metrics.filter(col("status").notEqual(FitOutcome.OK)).count());
    }

    double notOkFraction() {
        return count == 0 ? 0 : (double) notOk / count;
    }

    /** 0, or {@link #SOME_NOT_OK} with a line on {@code err} saying why. */
    int exitCode(String job, double maxFailedFraction, PrintStream err) {
        if (notOkFraction() <= maxFailedFraction) {
            return 0;
        }
        err.printf("%s: %d of %d %s not ok (fraction %.4g, above --max-failed-fraction %s): exit status %d%n",
                job, notOk, count, items, notOkFraction(), maxFailedFraction, SOME_NOT_OK);
        return SOME_NOT_OK;
    }
}
