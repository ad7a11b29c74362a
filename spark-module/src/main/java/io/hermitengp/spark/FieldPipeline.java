package io.hermitengp.spark;

import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FitOutcome;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Fits a Dataset of instances ({@code id}, {@code spec}, optionally {@code defect}; see {@link
 * InstanceList}) and writes two Parquet tables under an
 * output directory, {@code metrics} and {@code fields} (see {@link FitRows}).
 *
 * <p>Each instance is its own partition, so Spark spreads them evenly and progress moves one
 * instance at a time; each task picks its device ({@link TaskDevice}) and fits with {@link
 * io.hermitengp.fit.FieldFit}, which turns every bad instance into a row instead of an exception. The fit rows
 * are persisted once and both tables are cut from them, each written through Spark's file commit
 * protocol (a task's output becomes visible only when the task commits, and the job's only when
 * it succeeds), so a killed or retried task leaves neither partial nor duplicate rows. Fields
 * depend only on the instance (seed from its id), never on the partitioning.
 */
public final class FieldPipeline {
    public static final String METRICS = "metrics";
    public static final String FIELDS = "fields";

    private final SparkSession spark;
    private final PrintStream log;
    private final double progressSeconds;

    public FieldPipeline(SparkSession spark, PrintStream log, double progressSeconds) {
        this.spark = spark;
        this.log = log;
        this.progressSeconds = progressSeconds;
    }

    /** A Dataset of instances, for callers that hold them in memory. */
    public Dataset<Row> instances(List<Instance> instances) {
        List<Row> rows = new ArrayList<>();
        for (Instance i : instances) {
            rows.add(RowFactory.create(i.id(), i.spec(), i.defect()));
        }
        return spark.createDataFrame(rows, InstanceList.SCHEMA);
    }

    /**
     * Fits every instance and writes {@code out/metrics} and {@code out/fields}, replacing them.
     *
     * @return the metrics table as written
     */
    public Dataset<Row> fit(Dataset<Row> instances, Path out) {
        long total = instances.count();
        if (total == 0) {
            throw new IllegalArgumentException("no instances to fit");
        }
        int partitions = (int) Math.min(total, 100_000);
        FitProgress progress = new FitProgress(spark.sparkContext());
        JavaRDD<Row> spread = InstanceList.normalized(instances).javaRDD().zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .partitionBy(new IndexPartitioner(partitions))
                .values();
        JavaRDD<Row> fitted = spread.mapPartitions(rows -> fitAll(rows, progress));
        Dataset<Row> results = spark.createDataFrame(fitted, FitRows.SCHEMA).persist(StorageLevel.DISK_ONLY());
        try (AutoCloseable printer = progress.printEvery(progressSeconds, total, log)) {
            log.printf("fit: %d instances in %d partitions -> %s%n", total, partitions, out);
            results.select(FitRows.metricsColumns()).write().mode(SaveMode.Overwrite)
                    .parquet(out.resolve(METRICS).toString());
            results.filter(col("status").equalTo(FitOutcome.OK)).select(FitRows.fieldColumns()).write()
                    .mode(SaveMode.Overwrite).parquet(out.resolve(FIELDS).toString());
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            results.unpersist();
        }
        return spark.read().parquet(out.resolve(METRICS).toString());
    }

    private static Iterator<Row> fitAll(Iterator<Row> rows, FitProgress progress) {
        DeviceChoice device = TaskDevice.current();
        TaskContext task = TaskContext.get();
        String executor = SparkEnv.get().executorId();
        int attempt = task == null ? 0 : task.attemptNumber();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            FitOutcome outcome = new Instance(row.getString(0), row.getString(1), row.getString(2)).fit(device);
            progress.record(outcome);
            out.add(FitRows.toRow(outcome, executor, attempt));
        }
        return out.iterator();
    }

    /** Sends the instance with index i to partition {@code i mod n}. */
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
