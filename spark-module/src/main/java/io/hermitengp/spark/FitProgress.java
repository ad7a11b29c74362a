package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.train.Progress;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.io.Serializable;

/**
 * Instances done out of the total, failures and an ETA, printed by the driver every few seconds
 * while a fit runs. Tasks count into accumulators as each instance finishes; Spark merges them
 * when the task ends, so with one instance per task (as {@link FieldPipeline} partitions) the
 * count moves instance by instance. A retried task may count twice; the display caps at the total.
 */
public final class FitProgress implements Serializable {
    private final LongAccumulator done;
    private final LongAccumulator failed;
    private final LongAccumulator diverged;

    public FitProgress(SparkContext context) {
        this.done = context.longAccumulator("hermite-ngp instances done");
        this.failed = context.longAccumulator("hermite-ngp instances failed");
        this.diverged = context.longAccumulator("hermite-ngp instances diverged");
    }

    /** Called in a task when an instance finishes. */
    void record(FitOutcome outcome) {
        done.add(1);
        if (outcome.status().equals(FitOutcome.FAILED)) {
            failed.add(1);
        } else if (outcome.status().equals(FitOutcome.DIVERGED)) {
            diverged.add(1);
        }
    }

    /** Starts a daemon thread printing progress every {@code periodSeconds}; stop it with the returned handle. */
    public AutoCloseable printEvery(double periodSeconds, long total, PrintStream out) {
        long started = System.nanoTime();
        Thread printer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep((long) (periodSeconds * 1000));
                    out.println(line(total, (System.nanoTime() - started) / 1e9));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hermite-ngp-progress");
        printer.setDaemon(true);
        printer.start();
        return () -> {
            printer.interrupt();
            out.println(line(total, (System.nanoTime() - started) / 1e9));
        };
    }

    String line(long total, double elapsed) {
        long finished = Math.min(total, done.value());
        String eta = finished == 0 ? "-" : Progress.duration(elapsed / finished * (total - finished));
        return String.format("fit: %d/%d instances done, %d failed, %d diverged, elapsed %s, eta %s", finished, total,
                failed.value(), diverged.value(), Progress.duration(elapsed), eta);
    }
}
