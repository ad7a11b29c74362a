package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

/**
 * The metrics table aggregated by kind, one row per kind:
 *
 * <ul>
 *   <li>{@code instances}, {@code ok}, {@code failed}, {@code diverged}: row counts (longs);</li>
 *   <li>{@code median_rel_l2}: the exact median of rel_l2 over the ok rows (for an even count the
 *       mean of the two middle values), {@code worst_rel_l2} its maximum;</li>
 *   <li>{@code mean_grad_mae}, {@code mean_chamfer}: the means of those SDF metrics;</li>
 *   <li>{@code mean_seconds}, {@code mean_ms_per_step}: training seconds and ms per step;</li>
 *   <li>{@code backends}: the backends that ran.</li>
 * </ul>
 *
 * Every aggregate of a value is over the ok rows that measured it: a value that is absent from the
 * {@code metrics} map (an SDF fit with no extracted surface has no {@code chamfer}), null or NaN
 * is left out, so one such row never turns its kind's mean into NaN. An aggregate that no row
 * measured is null.
 */
public final class MetricsSummary {
    private MetricsSummary() {
    }

    public static Dataset<Row> byKind(Dataset<Row> metrics) {
        return metrics.groupBy(col("kind")).agg(
                        count(lit(1)).as("instances"),
                        count_if(col("status").equalTo(FitOutcome.OK)).as("ok"),
                        count_if(col("status").equalTo(FitOutcome.FAILED)).as("failed"),
                        count_if(col("status").equalTo(FitOutcome.DIVERGED)).as("diverged"),
                        median(measured(col("rel_l2"))).as("median_rel_l2"),
                        max(measured(col("rel_l2"))).as("worst_rel_l2"),
                        avg(measured(metric("grad_mae"))).as("mean_grad_mae"),
                        avg(measured(metric("chamfer"))).as("mean_chamfer"),
                        round(avg(measured(col("seconds"))), 2).as("mean_seconds"),
                        round(avg(measured(col("ms_per_step"))), 2).as("mean_ms_per_step"),
                        collect_set(col("backend")).as("backends"))
                .orderBy(col("kind"));
    }

    /** A problem metric from the {@code metrics} map; null where the map lacks it. */
    private static Column metric(String name) {
        return try_element_at(col("metrics"), lit(name));
    }

    /** The value on ok rows that measured it; null on other rows, and where it is null or NaN. */
    private static Column measured(Column value) {
        return when(col("status").equalTo(FitOutcome.OK).and(value.isNotNull()).and(not(isnan(value))), value);
    }
}
