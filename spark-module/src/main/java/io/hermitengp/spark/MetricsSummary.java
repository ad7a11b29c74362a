package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

/**
 * The metrics table aggregated by kind: instances, how many ended ok, failed or diverged, the
 * median and worst relative L2 error, the mean gradient MAE and extracted-surface Chamfer
 * distance of SDF fits, mean training seconds and ms per step over the ok rows, and the backends
 * that ran.
 */
public final class MetricsSummary {
    private MetricsSummary() {
    }

    public static Dataset<Row> byKind(Dataset<Row> metrics) {
        var ok = col("status").equalTo(FitOutcome.OK);
        return metrics.groupBy(col("kind")).agg(
                        count(lit(1)).as("instances"),
                        sum(when(ok, 1).otherwise(0)).as("ok"),
                        sum(when(col("status").equalTo(FitOutcome.FAILED), 1).otherwise(0)).as("failed"),
                        sum(when(col("status").equalTo(FitOutcome.DIVERGED), 1).otherwise(0)).as("diverged"),
                        percentile_approx(when(ok, col("rel_l2")), lit(0.5), lit(10000)).as("median_rel_l2"),
                        org.apache.spark.sql.functions.max(when(ok, col("rel_l2"))).as("worst_rel_l2"),
                        avg(when(ok, try_element_at(col("metrics"), lit("grad_mae")))).as("mean_grad_mae"),
                        avg(when(ok, try_element_at(col("metrics"), lit("chamfer")))).as("mean_chamfer"),
                        round(avg(when(ok, col("seconds"))), 2).as("mean_seconds"),
                        round(avg(when(ok, col("ms_per_step"))), 2).as("mean_ms_per_step"),
                        collect_set(col("backend")).as("backends"))
                .orderBy(col("kind"));
    }
}
