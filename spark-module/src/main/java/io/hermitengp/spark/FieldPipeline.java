package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldBatchFit;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.fit.InstanceCheckpoints;
import io.hermitengp.train.Cancellation;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;

/**
 * Fits a Dataset of instances ({@code id}, {@code spec}, optionally {@code defect}; see {@link
 * InstanceList}) and writes a run under an output location (a local path or any Hadoop URI,
 * {@link OutputLocation}): the Parquet tables {@code metrics} (one row per instance),
 * {@code fields} (the {@code ok} ones; see {@link FitRows}) and {@code summary}
 * ({@link MetricsSummary}), and {@code _run.json} (what ran, with its counts).
 *
 * <p>Instances of one architecture are cut into batches of up to {@link #batchFields} (sorted by
 * id, so the same instances always form the same batches), and each batch is its own partition:
 * one task trains its batch's fields together on its device ({@link TaskDevice}) with {@link
 * FieldBatchFit}, which turns every bad instance into a row instead of an exception and keeps the
 * rest of its batch training. With a batch size of 1 each instance is its own partition, so
 * Spark spreads them evenly and progress moves one instance at a time.
 * The fits are computed once: their rows are written in one pass through Spark's file commit
 * protocol into a staging directory of the run, and every table is cut from that written copy,
 * never recomputed, so {@code metrics} and {@code fields} cannot disagree and a killed or retried
 * task leaves neither partial nor duplicate rows. Only when every table is staged does the run
 * replace the previous tables (and drop an {@code extraction} made from the previous fields);
 * a run killed before that leaves the previous run as it was. Fields depend only on the instance
 * (seed from its id), never on the partitioning. What happens to an existing run is the
 * {@link WriteMode}'s choice.
 */
public final class FieldPipeline {
    public static final String METRICS = "metrics";
    public static final String FIELDS = "fields";
    public static final String SUMMARY = "summary";
    public static final String RUN_FILE = "_run.json";
    static final String STAGING_PREFIX = "_staging-";
    /** In a staging directory: every table is staged and the run may replace the previous one. */
    static final String COMMIT_MARKER = "_COMMITTING";
    /** Tables made from a run's fields by later jobs: stale once the fields change. */
    static final List<String> DERIVED = List.of(SurfaceExtraction.TABLE, SurfaceExtraction.SURFACES);

    private final SparkSession spark;
    private final PrintStream log;
    private final double progressSeconds;
    private long checkpointEvery;
    private int batchFields = AUTO_BATCH;
    /** {@link #batchFields} unset: chosen from the instances and the cluster's parallelism. */
    public static final int AUTO_BATCH = 0;
    /** The largest batch the automatic choice makes. */
    static final int MAX_AUTO_BATCH = 32;

    public FieldPipeline(SparkSession spark, PrintStream log, double progressSeconds) {
        this.spark = spark;
        this.log = log;
        this.progressSeconds = progressSeconds;
    }

    /**
     * Saves each instance's training state every {@code steps} counted steps under
     * {@code <out>/_checkpoints} ({@link HadoopInstanceCheckpoints}), so that an instance whose task
     * dies (a lost executor, a killed driver) continues from its last save when it is fitted again:
     * by Spark's retry, or by running the job again ({@code --mode resume} keeps the instances that
     * finished). 0 (the default) saves nothing.
     */
    public FieldPipeline checkpointEvery(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + steps);
        }
        this.checkpointEvery = steps;
        return this;
    }

    /**
     * Trains up to {@code fields} instances of one architecture together in one task
     * ({@link FieldBatchFit}); {@link #AUTO_BATCH} (the default) chooses
     * {@code min(32, ceil(instances / parallelism))}, so every core of the cluster still gets a
     * batch. Fields are the same whatever the batch size; only the speed changes. Within a
     * batch, a member the executor's heap cannot hold beside the others trains after them, alone.
     */
    public FieldPipeline batchFields(int fields) {
        if (fields < 0) {
            throw new IllegalArgumentException("batch fields must be >= 1 (or 0 for automatic), got " + fields);
        }
        this.batchFields = fields;
        return this;
    }

    /** The batch size for this many instances: the one set, or the automatic choice. */
    int batchSize(long instances) {
        if (batchFields != AUTO_BATCH) {
            return batchFields;
        }
        int parallelism = Math.max(1, spark.sparkContext().defaultParallelism());
        return (int) Math.max(1, Math.min(MAX_AUTO_BATCH, (instances + parallelism - 1) / parallelism));
    }

    /** A Dataset of instances, for callers that hold them in memory. */
    public Dataset<Row> instances(List<Instance> instances) {
        List<Row> rows = new ArrayList<>();
        for (Instance i : instances) {
            rows.add(RowFactory.create(i.id(), i.spec(), i.defect()));
        }
        return spark.createDataFrame(rows, InstanceList.SCHEMA);
    }

    /** {@link #fit(Dataset, String, WriteMode, String)} into a local directory, replacing what is there. */
    public Dataset<Row> fit(Dataset<Row> instances, java.nio.file.Path out) {
        return fit(instances, out.toAbsolutePath().toUri().toString(), WriteMode.OVERWRITE, "");
    }

    /**
     * The mode for a command that keeps its own scratch run ({@code demo}, {@code throughput}):
     * {@code overwrite} when the run in {@code out} was written by that command, else
     * {@code error}, so a run of another command there is refused, never replaced silently.
     */
    public WriteMode ownRunMode(String out, String commandName) {
        OutputLocation location = location(out);
        if (!location.exists(RUN_FILE)) {
            return WriteMode.ERROR;
        }
        try {
            String command = ConfigReader.mapper().readTree(location.readText(RUN_FILE)).path("command").asText();
            return command.equals(commandName) || command.startsWith(commandName + " ") ? WriteMode.OVERWRITE
                    : WriteMode.ERROR;
        } catch (java.io.IOException unreadable) {
            return WriteMode.ERROR;
        }
    }

    /** The output location a string names, on the session's Hadoop configuration. */
    public OutputLocation location(String out) {
        return new OutputLocation(out, spark.sparkContext().hadoopConfiguration());
    }

    /**
     * Fits the instances and writes the run under {@code out} as {@code mode} says.
     *
     * @param command what started the run, recorded in {@code _run.json}
     * @return the metrics table as written
     * @throws OutputExistsException when {@code out} holds a run and the mode is {@code error},
     *                               or {@code append} meets an id the run already has
     */
    public Dataset<Row> fit(Dataset<Row> instances, String out, WriteMode mode, String command) {
        OutputLocation location = location(out);
        recoverStaging(location);
        boolean existing = location.exists(METRICS) || location.exists(FIELDS) || location.exists(RUN_FILE);
        if (existing && mode == WriteMode.ERROR) {
            throw new OutputExistsException(location + " already holds a run (" + METRICS + ", " + FIELDS
                    + "); choose --mode overwrite, append or resume, or another --out");
        }
        Dataset<Row> listing = InstanceList.normalized(instances);
        long listed = listing.count();
        Dataset<Row> normalized = listing;   // the instances to fit: all of them, unless resume keeps some
        if (listed == 0) {
            throw new IllegalArgumentException("no instances to fit");
        }
        Dataset<Row> keptMetrics = null;
        Dataset<Row> keptFields = null;
        if (existing && (mode == WriteMode.RESUME || mode == WriteMode.APPEND)) {
            Dataset<Row> oldMetrics = spark.read().parquet(location.child(METRICS));
            Dataset<Row> oldFields = spark.read().parquet(location.child(FIELDS));
            Dataset<Row> oldIds = oldMetrics.select(col("id"));
            if (mode == WriteMode.APPEND) {
                List<Row> clashes = normalized.select(col("id")).intersect(oldIds).limit(5).collectAsList();
                if (!clashes.isEmpty()) {
                    throw new OutputExistsException("--mode append: " + location + " already has instance ids "
                            + clashes.stream().map(r -> r.getString(0)).toList() + "; use resume or overwrite");
                }
                keptMetrics = oldMetrics;
                keptFields = oldFields;
            } else {
                Dataset<Row> done = oldMetrics.filter(col("status").equalTo(FitOutcome.OK)).select(col("id"));
                keptMetrics = oldMetrics.join(done, "id");
                keptFields = oldFields.join(done, "id");
                normalized = normalized.join(done, normalized.col("id").equalTo(done.col("id")), "left_anti");
            }
        }
        long total = normalized == listing ? listed : normalized.count();
        long kept = keptMetrics == null ? 0 : keptMetrics.count();
        String staging = STAGING_PREFIX + UUID.randomUUID();
        log.printf("fit: %d instances to fit%s -> %s (mode %s)%n", total,
                kept > 0 ? ", " + kept + " kept from the run there" : "", location, mode.label());
        if (mode == WriteMode.OVERWRITE && location.exists(HadoopInstanceCheckpoints.DIRECTORY)) {
            // the saved states of the run being replaced: its instances may share ids with these
            location.delete(HadoopInstanceCheckpoints.DIRECTORY);
        }
        InstanceCheckpoints checkpoints = checkpointEvery > 0
                ? new HadoopInstanceCheckpoints(location.child(HadoopInstanceCheckpoints.DIRECTORY), checkpointEvery)
                : InstanceCheckpoints.NONE;
        if (total > 0) {
            fitInto(normalized, total, location.child(staging + "/fits"), checkpoints);
        }
        Dataset<Row> fits = total > 0 ? spark.read().parquet(location.child(staging + "/fits")) : null;
        Dataset<Row> metrics = union(fits == null ? null : fits.select(FitRows.metricsColumns()), keptMetrics);
        Dataset<Row> fields = union(fits == null ? null
                : fits.filter(col("status").equalTo(FitOutcome.OK)).select(FitRows.fieldColumns()), keptFields);
        metrics.write().parquet(location.child(staging + "/" + METRICS));
        fields.write().parquet(location.child(staging + "/" + FIELDS));
        Dataset<Row> stagedMetrics = spark.read().parquet(location.child(staging + "/" + METRICS));
        MetricsSummary.byKind(stagedMetrics).write().parquet(location.child(staging + "/" + SUMMARY));
        RunRecord record = RunRecord.of(command, mode, location.toString(), listing, listed, total, kept,
                stagedMetrics);

        location.writeText(staging + "/" + RUN_FILE, record.toJson());
        // from here on the staged run is complete: the marker makes the next run finish this commit, not drop it
        location.writeText(staging + "/" + COMMIT_MARKER, "");
        commit(location, staging);
        if (checkpoints instanceof HadoopInstanceCheckpoints stored) {
            int left = removeCheckpointsOfEndedFits(stored, spark.read().parquet(location.child(METRICS)));
            if (left > 0) {
                log.printf("fit: %d checkpoint(s) of fits that did not end stay in %s; --mode resume continues them%n",
                        left, location.child(HadoopInstanceCheckpoints.DIRECTORY));
            }
        }
        log.printf("fit: %s%n", record.counts());
        return spark.read().parquet(location.child(METRICS));
    }

    /**
     * After the commit: the checkpoints that ended fits left behind go ({@link HadoopInstanceCheckpoints#tidy}).
     * Only the few checkpoints left are listed; the ids that hold one are found on the executors.
     *
     * @param committed the run's committed metrics
     * @return the checkpoints left
     */
    private static int removeCheckpointsOfEndedFits(HadoopInstanceCheckpoints stored, Dataset<Row> committed) {
        return stored.tidy(names -> committed.filter(col("status").isin(FitOutcome.OK, FitOutcome.DIVERGED))
                .select("id").as(Encoders.STRING())
                .filter((FilterFunction<String>) id -> HadoopInstanceCheckpoints.holdsOneOf(names, id))
                .collectAsList());
    }

    /**
     * Moves a complete staged run into place: each staged table replaces the run's own (a table
     * already moved is skipped, so a commit cut short is finished by calling this again), what
     * was made from the previous fields is removed, then {@code _run.json}; the staging goes last.
     */
    private void commit(OutputLocation location, String staging) {
        for (String table : List.of(METRICS, FIELDS, SUMMARY)) {
            if (location.exists(staging + "/" + table)) {
                location.replace(staging + "/" + table, table);
            }
        }
        for (String derived : DERIVED) {
            if (location.exists(derived)) {
                log.printf("fit: %s was made from the previous fields; removed%n", location.child(derived));
                location.delete(derived);
            }
        }
        if (location.exists(staging + "/" + RUN_FILE)) {
            location.replace(staging + "/" + RUN_FILE, RUN_FILE);
        }
        location.delete(staging);
    }

    /**
     * Staging left by an earlier run: one that was killed while committing (its marker written)
     * is finished, so its tables are never lost between the old ones' removal and the new ones'
     * arrival; one killed before that is dropped, leaving the run there as it was.
     */
    private void recoverStaging(OutputLocation location) {
        for (String staging : location.children(STAGING_PREFIX)) {
            if (location.exists(staging + "/" + COMMIT_MARKER)) {
                log.printf("fit: finishing the commit of an earlier run (%s)%n", location.child(staging));
                commit(location, staging);
            } else {
                location.delete(staging);
            }
        }
    }

    /** Fits the instances, one batch per partition, and writes their full rows to {@code target} in one pass. */
    private void fitInto(Dataset<Row> instances, long total, String target, InstanceCheckpoints checkpoints) {
        int batch = batchSize(total);
        FitProgress progress = new FitProgress(spark.sparkContext());
        // the kinds the tasks will report (FieldFit.kindOf; an instance with a defect is unknown)
        Map<String, Long> kinds = new HashMap<>(instances.select("spec", "defect").javaRDD()
                .map(r -> r.getString(1).isEmpty() ? FieldFit.kindOf(r.getString(0)) : FitOutcome.UNKNOWN_KIND)
                .countByValue());
        progress.expectKinds(kinds);
        // each instance's batch, from its id and its architecture's key only: a recomputed
        // partition gets the same rows, whatever order the rows come in
        Map<String, Long> batches = batches(instances, batch);
        int partitions = (int) Math.min(batches.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1,
                100_000);
        Broadcast<Map<String, Long>> batchOf = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(batches);
        JavaRDD<Row> spread = instances.javaRDD()
                .mapToPair(r -> new Tuple2<>(batchOf.value().get(r.getString(0)), r))
                .partitionBy(new IndexPartitioner(partitions))
                .values();
        JavaRDD<Row> fitted = spread.mapPartitions(rows -> fitAll(rows, progress, checkpoints, batch));
        try (AutoCloseable printer = progress.printEvery(progressSeconds, total, log)) {
            log.printf("fit: %d instances in %d partitions (batches of up to %d fields)%n", total, partitions, batch);
            spark.createDataFrame(fitted, FitRows.SCHEMA).write().parquet(target);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * The batch index of every instance: instances grouped by their architecture's key
     * ({@link FieldBatchFit#specKey}, digested; a defective one by itself), sorted by id within a group and
     * cut into runs of {@code batch}; the batches are numbered group by group.
     */
    private static Map<String, Long> batches(Dataset<Row> instances, int batch) {
        List<Tuple2<String, String>> keyed = new ArrayList<>(instances.select("id", "spec", "defect").javaRDD()
                .map(r -> new Tuple2<>(r.getString(2).isEmpty() ? digest(FieldBatchFit.specKey(r.getString(1)))
                        : "defect:" + r.getString(0), r.getString(0)))
                .collect());
        keyed.sort(Comparator.comparing((Tuple2<String, String> t) -> t._1()).thenComparing(Tuple2::_2));
        Map<String, Long> batchOf = new HashMap<>();
        long index = -1;
        String group = null;
        int inBatch = 0;
        for (Tuple2<String, String> t : keyed) {
            if (!t._1().equals(group) || inBatch == batch) {
                index++;
                inBatch = 0;
                group = t._1();
            }
            batchOf.put(t._2(), index);
            inBatch++;
        }
        return batchOf;
    }

    /** A short stand-in for an architecture key on its way to the driver (128 bits of MD5). */
    private static String digest(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static Dataset<Row> union(Dataset<Row> a, Dataset<Row> b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.unionByName(b);
    }

    private static Iterator<Row> fitAll(Iterator<Row> rows, FitProgress progress, InstanceCheckpoints checkpoints,
                                        int batchFields) {
        DeviceChoice device = TaskDevice.current();
        TaskContext task = TaskContext.get();
        String executor = SparkEnv.get().executorId();
        int attempt = task == null ? 0 : task.attemptNumber();
        List<Row> out = new ArrayList<>();
        List<FieldBatchFit.InstanceSpec> fit = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            Instance instance = new Instance(row.getString(0), row.getString(1), row.getString(2));
            if (instance.defect().isEmpty()) {
                fit.add(new FieldBatchFit.InstanceSpec(instance.id(), instance.spec()));
            } else {
                FitOutcome rejected = instance.fit(device, checkpoints);
                progress.record(rejected);
                out.add(FitRows.toRow(rejected, executor, attempt));
            }
        }
        // sorted by id: the batch trains in the same order whatever order its rows arrived in
        fit.sort(Comparator.comparing(FieldBatchFit.InstanceSpec::id));
        FieldBatchFit.fitAll(fit, device, checkpoints, batchFields, killed(task), outcome -> {
            progress.record(outcome);
            out.add(FitRows.toRow(outcome, executor, attempt));
        });
        return out.iterator();
    }

    /**
     * The task's kill as a fit's cancellation. Spark kills a task when its job is cancelled, and
     * when its job ends while the task still runs (an attempt whose partition another attempt
     * finished, after a lost executor sent a stage back); it only marks the task, whose code has
     * to stop by itself, so a fit asks before every step instead of training on for hours and
     * saving checkpoints into a run that has ended.
     */
    private static Cancellation killed(TaskContext task) {
        if (task == null) {
            return Cancellation.NEVER;
        }
        return () -> task.isInterrupted() ? "Spark killed the task" : null;
    }

    /** Sends the batch with index i to partition {@code i mod n}. */
    static final class IndexPartitioner extends Partitioner {
        private final int partitions;

        IndexPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod((Long) key, (long) partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IndexPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
