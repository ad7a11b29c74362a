package io.hermitengp.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Reading back, in the tests, what a job wrote. */
final class JobOutputs {
    private JobOutputs() {
    }

    /** Reads in a session of the test's own (none of the jobs' is left running), stopped afterwards. */
    static <T> T read(Function<SparkSession, T> reader) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("hermite-ngp-jobs-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            return reader.apply(spark);
        } finally {
            spark.stop();
        }
    }

    /** Rows by their {@code id} column, in id order. */
    static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> map = new TreeMap<>();
        for (Row r : rows) {
            map.put(r.getAs("id"), r);
        }
        return map;
    }
}
