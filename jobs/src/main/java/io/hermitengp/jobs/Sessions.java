package io.hermitengp.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a job: the master spark-submit gives, else {@code local[*]}. */
final class Sessions {
    private Sessions() {
    }

    static SparkSession start(String appName) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                // the jobs print their own per-instance progress; Spark's stage bars would interleave with it
                .config("spark.ui.showConsoleProgress", "false");
        if (!conf.contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
