package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.train.Progress;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instances done out of the total, failures, how many are being fitted now, an ETA, and by
 * problem kind the instances done, their mean wall seconds and (when the driver said how many of
 * each kind there are, {@link #expectKinds}) an ETA per kind; printed by the driver every few
 * seconds while a fit runs:
 *
 * <pre>
 *   fit: 5/12 instances done, 0 failed, 0 diverged, 2 fitting, elapsed 1m02s, eta 2m10s;
 *        helmholtz2d 3/8 done, 4.2 s each, eta 11s; sdf 2/4 done, 20.1 s each, eta 20s
 * </pre>
 *
 * (one line). Tasks count into accumulators as each instance finishes; Spark merges them when the
 * task ends, so with one instance per task (as {@link FieldPipeline} partitions) the counts move
 * instance by instance. A retried task may count twice; the display caps at the total. Whether a
 * running instance is still training or already in its final evaluation is not visible from the
 * driver: "fitting" counts the tasks running now. A kind's mean wall time is over its finished
 * instances that trained (ok or diverged; one that failed before training says nothing of the
 * rest), and its ETA spreads its remaining instances at that mean over the tasks running now.
 */
public final class FitProgress implements Serializable {
    private final LongAccumulator done;
    private final LongAccumulator failed;
    private final LongAccumulator diverged;
    private final KindTally byKind;
    /** The driver's context, for the tasks running now; not shipped to tasks. */
    private final transient SparkContext context;
    /** Instances of each kind in the batch, when the driver knows them; empty otherwise. */
    private final transient Map<String, Long> expected = new TreeMap<>();

    public FitProgress(SparkContext context) {
        this.context = context;
        this.done = context.longAccumulator("hermite-ngp instances done");
        this.failed = context.longAccumulator("hermite-ngp instances failed");
        this.diverged = context.longAccumulator("hermite-ngp instances diverged");
        this.byKind = new KindTally();
        context.register(byKind, "hermite-ngp instances done by kind");
    }

    /** How many instances of each kind the batch holds, so that each kind gets its own ETA. */
    public void expectKinds(Map<String, Long> instancesByKind) {
        synchronized (expected) {
            expected.clear();
            expected.putAll(instancesByKind);
        }
    }

    /** Called in a task when an instance finishes. */
    void record(FitOutcome outcome) {
        done.add(1);
        if (outcome.status().equals(FitOutcome.FAILED)) {
            failed.add(1);
        } else if (outcome.status().equals(FitOutcome.DIVERGED)) {
            diverged.add(1);
        }
        byKind.add(outcome);
    }

    /** Starts a daemon thread printing progress every {@code periodSeconds}; stop it with the returned handle. */
    public AutoCloseable printEvery(double periodSeconds, long total, PrintStream out) {
        long started = System.nanoTime();
        Thread printer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep((long) (periodSeconds * 1000));
                    out.println(line(total, (System.nanoTime() - started) / 1e9, runningTasks()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hermite-ngp-progress");
        printer.setDaemon(true);
        printer.start();
        return () -> {
            printer.interrupt();
            out.println(line(total, (System.nanoTime() - started) / 1e9, runningTasks()));
        };
    }

    /** Tasks running now in the application's active stages (the fit's, while it runs). */
    private int runningTasks() {
        JavaSparkStatusTracker tracker = JavaSparkContext.fromSparkContext(context).statusTracker();
        int running = 0;
        for (int stage : tracker.getActiveStageIds()) {
            SparkStageInfo info = tracker.getStageInfo(stage);
            if (info != null) {
                running += info.numActiveTasks();
            }
        }
        return running;
    }

    String line(long total, double elapsed, int running) {
        long finished = Math.min(total, done.value());
        String eta = finished == 0 ? "-" : Progress.duration(elapsed / finished * (total - finished));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "fit: %d/%d instances done, %d failed, %d diverged, %d fitting, elapsed %s, eta %s", finished, total,
                failed.value(), diverged.value(), running, Progress.duration(elapsed), eta));
        Map<String, Long> expectedNow;
        synchronized (expected) {
            expectedNow = new TreeMap<>(expected);
        }
        Map<String, KindStats> stats = new TreeMap<>(byKind.value());
        expectedNow.keySet().forEach(kind -> stats.putIfAbsent(kind, KindStats.NONE));
        for (Map.Entry<String, KindStats> e : stats.entrySet()) {
            KindStats k = e.getValue();
            Long kindTotal = expectedNow.get(e.getKey());
            s.append("; ").append(e.getKey()).append(' ').append(k.done());
            if (kindTotal != null) {
                s.append('/').append(kindTotal);
            }
            s.append(" done");
            if (k.trained() > 0) {
                double mean = k.trainedSeconds() / k.trained();
                s.append(String.format(Locale.ROOT, ", %.1f s each", mean));
                if (kindTotal != null) {
                    long remaining = Math.max(0, kindTotal - k.done());
                    s.append(", eta ").append(Progress.duration(remaining * mean / Math.max(1, running)));
                }
            }
        }
        return s.toString();
    }

    /**
     * One kind's finished instances: how many, and how many of them trained (ok or diverged) with
     * their summed shares of wall time (a batch's wall time split among its fields).
     */
    record KindStats(long done, long trained, double trainedSeconds) implements Serializable {
        static final KindStats NONE = new KindStats(0, 0, 0);

        KindStats plus(KindStats o) {
            return new KindStats(done + o.done, trained + o.trained, trainedSeconds + o.trainedSeconds);
        }
    }

    /** Finished instances by kind, counted in tasks and merged on the driver. */
    static final class KindTally extends AccumulatorV2<FitOutcome, Map<String, KindStats>> {
        private final Map<String, KindStats> byKind = new LinkedHashMap<>();

        @Override
        public synchronized boolean isZero() {
            return byKind.isEmpty();
        }

        @Override
        public synchronized KindTally copy() {
            KindTally copy = new KindTally();
            copy.byKind.putAll(byKind);
            return copy;
        }

        @Override
        public synchronized void reset() {
            byKind.clear();
        }

        @Override
        public synchronized void add(FitOutcome outcome) {
            boolean trained = !outcome.status().equals(FitOutcome.FAILED);
            byKind.merge(outcome.kind(), new KindStats(1, trained ? 1 : 0, trained ? outcome.wallSecondsShare() : 0),
                    KindStats::plus);
        }

        @Override
        public void merge(AccumulatorV2<FitOutcome, Map<String, KindStats>> other) {
            Map<String, KindStats> theirs = other.value();
            synchronized (this) {
                theirs.forEach((kind, stats) -> byKind.merge(kind, stats, KindStats::plus));
            }
        }

        /** A copy: the driver reads it while task results merge in. */
        @Override
        public synchronized Map<String, KindStats> value() {
            return new LinkedHashMap<>(byKind);
        }
    }
}
