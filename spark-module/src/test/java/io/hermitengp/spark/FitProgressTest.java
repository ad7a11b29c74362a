package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line: totals, tasks running, and by kind the instances done, their mean wall time and an ETA. */
class FitProgressTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-progress-test")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FitOutcome finished(String kind, String status, double wallSeconds) {
        return new FitOutcome(kind + "-" + wallSeconds, kind, status, "", null, null, 0, null, "", 0L, wallSeconds, 1);
    }

    private static void assertContains(String line, String fragment) {
        assertTrue(line.contains(fragment), "'" + line + "' should contain '" + fragment + "'");
    }

    private static FitProgress progressOf(List<FitOutcome> outcomes) {
        FitProgress progress = new FitProgress(spark.sparkContext());
        outcomes.forEach(progress::record);
        return progress;
    }

    private static final List<FitOutcome> FOUR = List.of(
            finished("helmholtz2d", FitOutcome.OK, 4),
            finished("helmholtz2d", FitOutcome.OK, 6),
            finished("sdf", FitOutcome.FAILED, 0.05),    // a missing mesh: says nothing of how long a fit takes
            finished("sdf", FitOutcome.DIVERGED, 20));

    @Test
    void eachKindShowsItsInstancesDoneAndTheirMeanWallTime() {
        String line = progressOf(FOUR).line(10, 30, 2);
        assertTrue(line.startsWith("fit: 4/10 instances done, 1 failed, 1 diverged, 2 fitting, elapsed 30s, eta 45s"),
                line);
        assertContains(line, "; helmholtz2d 2 done, 5.0 s each");
        assertContains(line, "; sdf 2 done, 20.0 s each");
        assertFalse(line.contains("each, eta"), "no ETA by kind without the batch's kinds: " + line);
    }

    @Test
    void withTheBatchsKindsEachKindGetsAnEta() {
        FitProgress progress = progressOf(FOUR);
        progress.expectKinds(Map.of("helmholtz2d", 6L, "sdf", 3L, "convection", 1L));
        String line = progress.line(10, 30, 2);
        // 4 helmholtz instances left at 5 s each over 2 running tasks; 1 sdf at 20 s
        assertContains(line, "; helmholtz2d 2/6 done, 5.0 s each, eta 10s");
        assertContains(line, "; sdf 2/3 done, 20.0 s each, eta 10s");
        assertContains(line, "; convection 0/1 done");
        assertFalse(line.contains("convection 0/1 done,"), "nothing finished, no mean: " + line);
    }

    @Test
    void outcomesRecordedInTasksReachTheDriver() {
        FitProgress progress = new FitProgress(spark.sparkContext());
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        context.parallelize(List.of(2.0, 4.0, 9.0), 3).foreach(seconds -> progress.record(
                finished(seconds > 5 ? "sdf" : "poisson", FitOutcome.OK, seconds)));
        String line = progress.line(3, 12, 0);
        assertTrue(line.startsWith("fit: 3/3 instances done, 0 failed, 0 diverged, 0 fitting"), line);
        assertContains(line, "; poisson 2 done, 3.0 s each");
        assertContains(line, "; sdf 1 done, 9.0 s each");
        assertEquals(2, line.split(";").length - 1, "two kinds: " + line);
    }
}
