package io.hermitengp.jobs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/hermite-ngp}'s own options, run for real with {@code HERMITE_NGP_DRY_RUN=1}, which
 * makes it print the java command line it would run (one argument per line) instead of building
 * and running it: {@code --master} and {@code --conf} before or after the command name become
 * system properties, the default heap stays with {@code HERMITE_NGP_JAVA_OPTS} after it, and the
 * rest reaches JobMain unchanged.
 */
class LauncherTest {
    private static final String MAIN = "io.hermitengp.jobs.JobMain";
    private static Path launcher;

    @BeforeAll
    static void findLauncher() throws Exception {
        // jobs/target/test-classes -> the repository root
        Path classes = Path.of(LauncherTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        launcher = classes.getParent().getParent().getParent().resolve("bin").resolve("hermite-ngp");
        assumeTrue(Files.isRegularFile(launcher), "no launcher at " + launcher);
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "no bash to run the launcher");
    }

    private record Result(int code, List<String> out, String err) {
        /** The arguments JobMain gets. */
        List<String> jobArgs() {
            return out.subList(out.indexOf(MAIN) + 1, out.size());
        }
    }

    private static Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HERMITE_NGP_DRY_RUN", "1");
        builder.environment().remove("HERMITE_NGP_JAVA_OPTS");
        // the launcher looks java up on the PATH: this JVM's first
        builder.environment().merge("PATH", Path.of(System.getProperty("java.home"), "bin").toString(),
                (path, javaBin) -> javaBin + File.pathSeparator + path);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
        return new Result(process.exitValue(), out.lines().toList(), err);
    }

    @Test
    void theLauncherIsValidBash() throws Exception {
        Process process = new ProcessBuilder("bash", "-n", launcher.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void masterAndConfBeforeOrAfterTheCommandBecomeSparkProperties() throws Exception {
        Result r = launch(Map.of(), "--master", "local[2]", "fit", "--instances", "a list.jsonl",
                "--conf", "spark.executor.memory=2g", "--conf", "spark.sql.shuffle.partitions=3", "--verbose");
        assertEquals(0, r.code(), r.err());
        assertEquals("java", r.out().get(0));
        assertEquals("-Xmx8g", r.out().get(1), "the default heap: " + r.out());
        assertTrue(r.out().indexOf("--add-modules=jdk.incubator.vector") > 0
                && r.out().indexOf("--add-modules=jdk.incubator.vector") < r.out().indexOf(MAIN),
                "the Vector API module for the CPU backend: " + r.out());
        assertTrue(r.out().indexOf("-XX:PerMethodTrapLimit=1000") > 0
                && r.out().indexOf("-XX:PerMethodTrapLimit=1000") < r.out().indexOf(MAIN),
                "room in C2's trap budget for the vector kernels: " + r.out());
        for (String property : List.of("-Dspark.master=local[2]", "-Dspark.executor.memory=2g",
                "-Dspark.sql.shuffle.partitions=3")) {
            assertTrue(r.out().indexOf(property) > 0 && r.out().indexOf(property) < r.out().indexOf(MAIN),
                    property + " is a JVM option: " + r.out());
        }
        assertEquals(List.of("fit", "--instances", "a list.jsonl", "--verbose"), r.jobArgs(),
                "JobMain gets the rest, in order, a value with a space kept whole");
    }

    @Test
    void theUsersJavaOptionsComeAfterTheDefaultHeapAndTheCommandLineAfterThem() throws Exception {
        Result r = launch(Map.of("HERMITE_NGP_JAVA_OPTS", "-Xmx2g -Dspark.master=local[1]"),
                "extract", "--master", "local[3]");
        assertEquals(0, r.code(), r.err());
        List<String> jvm = r.out().subList(0, r.out().indexOf(MAIN));
        assertTrue(jvm.indexOf("-Xmx8g") >= 0 && jvm.indexOf("-Xmx8g") < jvm.indexOf("-Xmx2g"),
                "-Xmx8g kept, the user's -Xmx2g after it (the last wins): " + jvm);
        assertTrue(jvm.indexOf("-Dspark.master=local[1]") < jvm.indexOf("-Dspark.master=local[3]"),
                "--master after HERMITE_NGP_JAVA_OPTS (the last wins): " + jvm);
        assertEquals(List.of("extract"), r.jobArgs());

        Result plain = launch(Map.of(), "train", "c.json", "--steps", "3");
        assertEquals(0, plain.code(), plain.err());
        assertEquals(1, plain.out().stream().filter(a -> a.startsWith("-Xmx")).count(), plain.out().toString());
        assertEquals(List.of("train", "c.json", "--steps", "3"), plain.jobArgs());
    }

    @Test
    void badSparkOptionsAreOneLineWithStatusTwo() throws Exception {
        Map<List<String>, String> cases = Map.of(
                List.of("train", "c.json", "--master", "local[2]"),
                "hermite-ngp: --master and --conf are for the Spark jobs (fit, extract, summarize, demo, "
                        + "throughput, sdf, demo-sdf), not train",
                List.of("fit", "--conf", "executor.memory=2g"),
                "hermite-ngp: --conf takes spark.KEY=VALUE, got 'executor.memory=2g'",
                List.of("fit", "--master"), "hermite-ngp: --master needs a value",
                List.of("--conf", "--master", "local", "fit"), "hermite-ngp: --conf needs a value");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Result r = launch(Map.of(), c.getKey().toArray(String[]::new));
            assertEquals(2, r.code(), c.getKey() + ": " + r.err());
            assertEquals(c.getValue() + "\n", r.err(), c.getKey().toString());
            assertEquals(List.of(), r.out(), "nothing run");
        }
    }
}
