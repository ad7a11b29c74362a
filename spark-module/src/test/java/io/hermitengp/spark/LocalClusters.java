package io.hermitengp.spark;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real multi-JVM Spark clusters for tests: {@code local-cluster[workers, cores, memory]} runs a
 * standalone master and workers in this JVM, and each worker launches its executors as separate
 * JVMs, as a standalone cluster does. Those JVMs are built from a Spark home (the build points
 * SPARK_HOME at {@code target/spark-home}); generated here with an empty {@code jars} directory,
 * it hands executors this test's classpath and JVM module options instead.
 */
final class LocalClusters {
    private LocalClusters() {
    }

    static SparkSession start(String master, String appName, Map<String, String> conf) {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("SPARK_HOME is not set; the build sets it for these tests");
        }
        try {
            Files.createDirectories(Path.of(home, "jars"));
            Files.createDirectories(Path.of(home, "conf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the Spark home " + home, e);
        }
        String moduleOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("--add-modules")
                        || a.equals("-XX:+UseG1GC"))
                .collect(Collectors.joining(" "));
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", moduleOptions)
                .config("spark.executor.memory", "768m")
                // a lost executor's tasks are retried elsewhere; the test must not fail for it
                .config("spark.task.maxFailures", "8");
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }

    /**
     * The executor JVMs of an application, found by their command line in /proc (read whole: the
     * JDK's own view of a command line this long is truncated).
     */
    static List<ProcessHandle> executors(String applicationId) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String command = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8);
                return command.contains("CoarseGrainedExecutorBackend") && command.contains(applicationId);
            } catch (IOException | SecurityException e) {
                return false; // gone, or not ours to read
            }
        }).toList();
    }
}
