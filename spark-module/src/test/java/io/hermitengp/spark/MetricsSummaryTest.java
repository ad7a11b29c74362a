package io.hermitengp.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The summary by kind on a metrics table built here with known values: exact medians, counts as
 * longs, and means that skip what a row did not measure (an absent map entry, a NaN).
 */
class MetricsSummaryTest {
    /** The metrics table's columns the summary reads, with their stored types. */
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("kind", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("rel_l2", DataTypes.DoubleType, true)
            .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), true)
            .add("seconds", DataTypes.DoubleType, true)
            .add("ms_per_step", DataTypes.DoubleType, true)
            .add("backend", DataTypes.StringType, true);

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-summary-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "3")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Row row(String id, String kind, String status, Double relL2, Map<String, Double> metrics,
                           Double seconds) {
        return RowFactory.create(id, kind, status, relL2,
                metrics == null ? null : CollectionConverters.asScala(metrics), seconds,
                seconds == null ? null : seconds * 10, status.equals("failed") ? null : "java:threads=1");
    }

    private static Map<String, Double> sdf(double gradMae, Double chamfer) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("grad_mae", gradMae);
        if (chamfer != null) {
            m.put("chamfer", chamfer);
        }
        m.put("surface_triangles", chamfer == null ? 0.0 : 100.0);
        return m;
    }

    private static Map<String, Row> summarize(List<Row> rows) {
        Dataset<Row> metrics = spark.createDataFrame(rows, SCHEMA);
        Dataset<Row> summary = MetricsSummary.byKind(metrics);
        for (String count : new String[]{"instances", "ok", "failed", "diverged"}) {
            assertEquals(DataTypes.LongType, summary.schema().apply(count).dataType(), count + " is a count");
        }
        Map<String, Row> byKind = new HashMap<>();
        for (Row r : summary.collectAsList()) {
            byKind.put(r.getAs("kind"), r);
        }
        return byKind;
    }

    @Test
    void medianIsExactAndCountsAreLongs() {
        List<Row> rows = new ArrayList<>();
        // ok rel_l2 10, 1, 3, 2 (even count): median (2 + 3) / 2, not the lower middle 2
        double[] relL2 = {10, 1, 3, 2};
        for (int i = 0; i < relL2.length; i++) {
            rows.add(row("h" + i, "helmholtz2d", "ok", relL2[i], Map.of(), 1.0 + i));
        }
        rows.add(row("h-failed", "helmholtz2d", "failed", null, null, null));
        rows.add(row("h-nan", "helmholtz2d", "diverged", Double.NaN, Map.of(), 0.5));
        // odd count: the middle value
        rows.add(row("p0", "poisson", "ok", 0.7, Map.of(), 2.0));
        rows.add(row("p1", "poisson", "ok", 0.1, Map.of(), 2.0));
        rows.add(row("p2", "poisson", "ok", 0.4, Map.of(), 2.0));
        Map<String, Row> s = summarize(rows);

        Row h = s.get("helmholtz2d");
        assertEquals(6L, h.<Long>getAs("instances"));
        assertEquals(4L, h.<Long>getAs("ok"));
        assertEquals(1L, h.<Long>getAs("failed"));
        assertEquals(1L, h.<Long>getAs("diverged"));
        assertEquals(2.5, h.<Double>getAs("median_rel_l2"), 0.0, "mean of the two middle values");
        assertEquals(10.0, h.<Double>getAs("worst_rel_l2"), 0.0, "the diverged row's NaN is not the worst");
        assertEquals(2.5, h.<Double>getAs("mean_seconds"), 0.0, "mean over the ok rows");
        assertNull(h.getAs("mean_chamfer"), "no row measured a chamfer");

        Row p = s.get("poisson");
        assertEquals(3L, p.<Long>getAs("instances"));
        assertEquals(0L, p.<Long>getAs("failed"));
        assertEquals(0.4, p.<Double>getAs("median_rel_l2"), 0.0, "the middle of three");
    }

    @Test
    void unmeasuredOrNaNMetricsAreLeftOutOfTheirKindsMeans() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("s0", "sdf", "ok", 0.1, sdf(0.02, 0.001), 3.0));
        rows.add(row("s1", "sdf", "ok", 0.2, sdf(0.04, 0.003), 3.0));
        // no zero crossing: no chamfer in the map
        rows.add(row("s2", "sdf", "ok", 0.3, sdf(0.06, null), 3.0));
        // a table written before absent metrics: chamfer stored as NaN
        rows.add(row("s3", "sdf", "ok", Double.NaN, sdf(0.08, Double.NaN), 3.0));
        Map<String, Row> s = summarize(rows);

        Row sdf = s.get("sdf");
        assertEquals(4L, sdf.<Long>getAs("ok"));
        assertEquals(0.002, sdf.<Double>getAs("mean_chamfer"), 1e-15, "the two measured chamfers only");
        assertEquals(0.05, sdf.<Double>getAs("mean_grad_mae"), 1e-15, "every row measured grad_mae");
        assertEquals(0.2, sdf.<Double>getAs("median_rel_l2"), 0.0, "the NaN rel_l2 is left out");
        assertEquals(0.3, sdf.<Double>getAs("worst_rel_l2"), 0.0, "the NaN rel_l2 is not the worst");
    }
}
