package io.hermitengp.jobs;

import com.aparapi.device.OpenCLDevice;
import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.config.ConfigReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The command line of every command through {@link JobMain#run}: each command's help, usage
 * errors, the checks of inputs and outputs made before any work (before a Spark session starts,
 * before a field trains), each a single line with exit status 2, and an unexpected error as one
 * line whose stack trace {@code --verbose} adds. Nothing here trains a field or starts Spark.
 */
class CommandLineTest {
    /** Every command and its own options, in the order help lists them (then --verbose and --help). */
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("train", List.of("--steps", "--seconds", "--threads", "--seed", "--backend", "--device", "--curves",
                "--surface", "--slice", "--checkpoint", "--checkpoint-every", "--resume"));
        OPTIONS.put("speed", List.of("--steps", "--warmup", "--backends", "--threads", "--device", "--batch-fields",
                "--same-jvm"));
        OPTIONS.put("bench", List.of("--out", "--only", "--checkpoint-every", "--rerun"));
        OPTIONS.put("devices", List.of("--select"));
        OPTIONS.put("fit", List.of("--instances", "--out", "--mode", "--progress-seconds", "--checkpoint-every",
                "--batch-fields", "--max-failed-fraction"));
        OPTIONS.put("extract", List.of("--fields", "--out", "--resolution", "--samples"));
        OPTIONS.put("summarize", List.of("--metrics", "--out"));
        OPTIONS.put("demo", List.of("--instances", "--out", "--max-failed-fraction"));
        OPTIONS.put("throughput", List.of("--instances", "--limit", "--batch-fields", "--backend", "--out",
                "--max-failed-fraction"));
        OPTIONS.put("sdf", List.of("--meshes", "--out", "--samples", "--mix", "--grid", "--grid-source", "--seed",
                "--margin", "--config", "--fit", "--surfaces", "--resolution", "--mode", "--progress-seconds",
                "--max-failed-fraction"));
        OPTIONS.put("demo-sdf", List.of("--meshes", "--config", "--out", "--max-failed-fraction"));
    }

    private static final List<String> SPARK_JOBS = List.of("fit", "extract", "summarize", "demo", "throughput", "sdf",
            "demo-sdf");

    @TempDir
    static Path dir;
    private static Path config;
    private static Path list;
    private static Path table;
    private static Path aFile;

    @BeforeAll
    static void inputs() throws Exception {
        config = dir.resolve("small.json");
        try (InputStream in = CommandLineTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(config, in.readAllBytes());
        }
        list = Files.writeString(dir.resolve("list.jsonl"), "{\"id\": \"a\", \"spec\": {}}\n");
        // stands in for a table: the checks only ask that it exists
        table = Files.createDirectories(dir.resolve("table"));
        aFile = Files.writeString(dir.resolve("a-file.txt"), "in the way\n");
    }

    /**
     * Runs with {@code spark.master} set to a URL Spark cannot parse: a command that started a
     * session before its checks would end with Spark's error and status 4, not the check's.
     */
    private static CapturedRun withoutSpark(String... args) {
        return withProperty("spark.master", "no-such-master", () -> CapturedRun.of(args));
    }

    private static <T> T withProperty(String key, String value, Supplier<T> action) {
        String previous = System.setProperty(key, value);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    /** Status 2 and nothing printed but the one line {@code hermite-ngp: <expected>}. */
    private static void assertUsageError(String expected, CapturedRun run) {
        assertEquals(2, run.code(), run.describe());
        assertEquals("hermite-ngp: " + expected + "\n", run.err(), run.describe());
        assertEquals("", run.out(), run.describe());
    }

    /** Status 2 and nothing printed but one line that starts with {@code hermite-ngp: <start>} and names each part. */
    private static void assertUsageErrorNaming(String start, CapturedRun run, String... parts) {
        assertEquals(2, run.code(), run.describe());
        assertEquals("", run.out(), run.describe());
        assertEquals(1, run.err().lines().count(), "one line: " + run.describe());
        assertTrue(run.err().startsWith("hermite-ngp: " + start), run.describe());
        for (String part : parts) {
            assertTrue(run.err().contains(part), "the message does not name " + part + ": " + run.err());
        }
    }

    // ---- help ----------------------------------------------------------------------------------

    @Test
    void everyCommandsHelpListsEveryOptionWithItsDefault() {
        for (Map.Entry<String, List<String>> command : OPTIONS.entrySet()) {
            String name = command.getKey();
            // no operand and no required option needed: help comes first
            for (String help : List.of("--help", "-h")) {
                CapturedRun run = CapturedRun.of(name, help);
                assertEquals(0, run.code(), run.describe());
                assertEquals("", run.err(), name + " " + help);
                String out = run.out();
                assertTrue(out.startsWith("usage: hermite-ngp " + name + " "), out);
                List<String> listed = new ArrayList<>();
                for (String line : out.lines().filter(l -> l.startsWith("  --")).toList()) {
                    listed.add(line.strip().split(" ")[0]);
                    assertTrue(line.matches(".* \\[(default: .+|required)]"),
                            name + ": an option line without its default: " + line);
                }
                List<String> expected = new ArrayList<>(command.getValue());
                expected.addAll(List.of("--verbose", "--help"));
                assertEquals(expected, listed, name + ": the options help lists");
                for (String status : List.of("  0 done", "  2 a usage or configuration error", "  4 an unexpected")) {
                    assertTrue(out.contains("exit status:\n") && out.contains(status), name + ": " + out);
                }
                assertEquals(SPARK_JOBS.contains(name), out.contains("--master URL"), name + ": Spark settings");
            }
        }
        String fit = CapturedRun.of("fit", "--help").out();
        for (String line : List.of("  --instances FILE ", "[required]", "  --out DIR ", "[default: out]",
                "  --max-failed-fraction F ", "[default: 0]", "  3 the fraction of instances not ok")) {
            assertTrue(fit.contains(line), "fit --help lacks '" + line + "':\n" + fit);
        }
        for (String job : List.of("sdf", "demo-sdf")) {
            String help = CapturedRun.of(job, "--help").out();
            assertTrue(help.contains("exit with status 3 when the fraction of meshes not ok")
                    && !help.contains("instances not ok"), job + " --help counts meshes:\n" + help);
        }
        String train = CapturedRun.of("train", "-h").out();
        assertTrue(train.contains("[default: the config's training.steps]") && train.contains("  1 the fit diverged"),
                train);
        assertTrue(CapturedRun.of("extract", "--help").out().contains("[default: <out>/fields]"));
        assertTrue(CapturedRun.of("speed", "--help").out().contains("[default: java,opencl]"));
    }

    @Test
    void theUsageListsEveryCommandAndEveryExitStatus() {
        CapturedRun run = CapturedRun.of("--help");
        assertEquals(0, run.code(), run.describe());
        for (String name : OPTIONS.keySet()) {
            assertTrue(run.out().contains("\n  " + name + " "), "usage lacks " + name + ":\n" + run.out());
        }
        for (String status : List.of("  0 done", "  1 train: the fit diverged", "  2 a usage", "  3 bench:",
                "  3 fit: the fraction", "  3 demo:", "  3 throughput:", "  3 sdf:", "  3 demo-sdf:",
                "  4 an unexpected error")) {
            assertTrue(run.out().contains(status), "usage lacks '" + status + "':\n" + run.out());
        }
        CapturedRun none = CapturedRun.of();
        assertEquals(2, none.code());
        assertEquals(run.out(), none.err(), "without a command: the usage, on stderr");
    }

    @Test
    void devicesListsEveryOpenClDeviceAsAJsonLineWithTheSelectorsThatReachIt() throws Exception {
        CapturedRun run = CapturedRun.of("devices");
        assertEquals(0, run.code(), run.describe());
        List<OpenCLDevice> devices = OpenClDevices.list();
        List<String> lines = run.out().lines().toList();
        assertEquals(devices.size(), lines.size(), run.out());
        List<OpenCLDevice> addressable = OpenClDevices.addressable(devices);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = ConfigReader.mapper().readTree(lines.get(i));
            assertEquals(i, line.get("index").asInt(), lines.get(i));
            assertEquals(OpenClDevices.name(devices.get(i)), line.get("name").asText());
            int address = addressable.indexOf(devices.get(i));
            assertEquals(address < 0 ? null : "gpu:" + address,
                    line.get("gpu_address").isNull() ? null : line.get("gpu_address").asText(), lines.get(i));
            assertTrue(line.get("global_memory_bytes").asLong() > 0, lines.get(i));
        }
        if (!devices.isEmpty()) {
            CapturedRun first = CapturedRun.of("devices", "--select", "gpu:0");
            assertEquals(0, first.code(), first.describe());
            assertEquals(List.of(lines.get(devices.indexOf(addressable.get(0)))), first.out().lines().toList());
            assertUsageErrorNaming("GPU address 99 has no OpenCL device",
                    CapturedRun.of("devices", "--select", "gpu:99"));
        }
    }

    // ---- usage errors --------------------------------------------------------------------------

    @Test
    void aRepeatedOptionIsAnErrorNamingIt() {
        assertUsageError("fit: --out is given twice",
                withoutSpark("fit", "--instances", list.toString(), "--out", "a", "--out", "b"));
        assertUsageError("train: --steps is given twice",
                CapturedRun.of("train", config.toString(), "--steps", "1", "--steps", "1"));
        assertUsageError("bench: --only is given twice",
                CapturedRun.of("bench", config.toString(), "--only", "a", "--out", "x", "--only", "a"));
    }

    @Test
    void aMissingValueIsAnErrorNamingTheOption() {
        assertUsageError("fit: --instances needs a value (FILE), got the option '--out'",
                withoutSpark("fit", "--instances", "--out", "x"));
        assertUsageError("train: --curves needs a value (FILE), got the option '--steps'",
                CapturedRun.of("train", config.toString(), "--curves", "--steps", "3"));
        assertUsageError("extract: --resolution needs a value", withoutSpark("extract", "--resolution"));
        assertUsageError("speed: --warmup needs a value", CapturedRun.of("speed", config.toString(), "--warmup"));
        assertUsageError("train: <config.json> must come first: train <config.json> [options]; hermite-ngp train "
                + "--help lists them", CapturedRun.of("train", "--steps", "3"));
        assertUsageError("fit --max-failed-fraction must be in [0, 1], got 1.5",
                withoutSpark("fit", "--instances", list.toString(), "--max-failed-fraction", "1.5"));
        assertUsageError("unknown command 'fitt'; commands: train, speed, bench, devices, fit, extract, summarize, "
                + "demo, throughput, sdf, demo-sdf (hermite-ngp --help shows what each does)", CapturedRun.of("fitt"));
    }

    // ---- inputs --------------------------------------------------------------------------------

    @Test
    void aMissingInstanceListIsOneLineBeforeSparkStarts() {
        Path missing = dir.resolve("no-such-list.jsonl");
        Path out = dir.resolve("never-made");
        for (String job : List.of("fit", "demo", "throughput")) {
            assertUsageError(job + " --instances: no such file: " + missing,
                    withoutSpark(job, "--instances", missing.toString(), "--out", out.toString()));
            assertUsageError(job + " --instances: no such file: " + missing,
                    withoutSpark(job, "--instances", missing.toUri().toString(), "--out", out.toString()));
        }
        assertUsageError("fit --instances: not a file: " + table,
                withoutSpark("fit", "--instances", table.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out), "a refused command leaves no output behind");
    }

    @Test
    void aMissingTableIsOneLineBeforeSparkStarts() {
        Path out = dir.resolve("no-run");
        assertUsageError("extract --fields: no such table: " + out.resolve("fields"),
                withoutSpark("extract", "--out", out.toString()));
        assertUsageError("extract --fields: no such table: " + dir.resolve("no-fields"),
                withoutSpark("extract", "--fields", dir.resolve("no-fields").toString(), "--out", out.toString()));
        assertUsageError("summarize --metrics: no such table: " + out.resolve("metrics"),
                withoutSpark("summarize", "--metrics", out.resolve("metrics").toString()));
    }

    // ---- outputs -------------------------------------------------------------------------------

    /** Every command's output under {@code parent}: each refused in one line naming the path, before any work. */
    private static void assertEveryOutputRefused(Path parent, String reason) throws Exception {
        Path run = parent.resolve("run");
        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("fit --out", new String[]{"fit", "--instances", list.toString(), "--out", run.toString()});
        commands.put("demo --out", new String[]{"demo", "--instances", list.toString(), "--out", run.toString()});
        commands.put("throughput --out",
                new String[]{"throughput", "--instances", list.toString(), "--out", run.toString()});
        commands.put("extract --out", new String[]{"extract", "--fields", table.toString(), "--out", run.toString()});
        commands.put("summarize --out",
                new String[]{"summarize", "--metrics", table.toString(), "--out", run.toString()});
        commands.put("bench --out", new String[]{"bench", suite().toString(), "--out", run.toString()});
        commands.put("train --curves",
                new String[]{"train", config.toString(), "--curves", run.resolve("c.json").toString()});
        for (Map.Entry<String, String[]> c : commands.entrySet()) {
            // one line, nothing else: train printed no "problem ... ready", bench no case
            CapturedRun r = withoutSpark(c.getValue());
            assertUsageErrorNaming(c.getKey() + ": cannot write under " + run, r, reason);
        }
    }

    @Test
    void anOutputUnderAFileIsOneLineBeforeAnyWork() throws Exception {
        assertEveryOutputRefused(aFile, "is in the way");
        assertEquals("in the way\n", Files.readString(aFile));
    }

    @Test
    void anOutputInADirectoryWithoutWritePermissionIsOneLineBeforeAnyWork() throws Exception {
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false, false));
        try {
            assumeFalse(Files.isWritable(readOnly), "this user (root?) may write in a directory without write "
                    + "permission: nothing to refuse");
            assertEveryOutputRefused(readOnly, "permission denied");
            // the directory itself, not only a new one under it
            assertUsageErrorNaming("fit --out: cannot write under " + readOnly, withoutSpark("fit", "--instances",
                    list.toString(), "--out", readOnly.toString()), "permission denied");
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void theWriteCheckTriesTheLocationAndLeavesNoTrace() throws Exception {
        Path nested = dir.resolve("trace").resolve("a").resolve("b");
        PathChecks.writableLocation("test --out", nested.toString());
        assertFalse(Files.exists(dir.resolve("trace")), "the directories the check made are removed again");
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(existing.resolve("kept.txt"), "x");
        PathChecks.writableLocation("test --out", existing.toUri().toString());
        try (var files = Files.list(existing)) {
            assertEquals(List.of(existing.resolve("kept.txt")), files.toList(), "no probe left behind");
        }
        UsageException e = assertThrows(UsageException.class,
                () -> PathChecks.writableFile("test --curves", existing));
        assertEquals("test --curves: " + existing + " is a directory, not a file", e.getMessage());
    }

    @Test
    void locationsAreLocalForFileUrisAndPathsAndLeftToHadoopElsewhere() {
        Path p = dir.resolve("x");
        assertEquals(Optional.of(p), PathChecks.local("t", p.toString()));
        assertEquals(Optional.of(p), PathChecks.local("t", p.toUri().toString()), "file:///...");
        assertEquals(Optional.of(p), PathChecks.local("t", "file:" + p), "file:/...");
        assertEquals(Optional.of(p), PathChecks.local("t", "file://localhost" + p), "the authority is not a place");
        assertEquals(Optional.of(p.resolve("y")), PathChecks.local("t", p + "//y"), "a doubled slash");
        assertEquals(Optional.empty(), PathChecks.local("t", "hdfs://nn:8020" + p));
        assertEquals(Optional.empty(), PathChecks.local("t", "s3a://bucket/run"));
        // a path without a scheme is on the default file system, as a Spark session would see it
        assertEquals(Optional.empty(), withProperty("spark.hadoop.fs.defaultFS", "hdfs://nn:8020",
                () -> PathChecks.local("t", p.toString())));
        assertEquals(Optional.of(p), withProperty("spark.hadoop.fs.defaultFS", "file:///",
                () -> PathChecks.local("t", p.toString())));
        // nothing on another file system is touched: no exception, whatever is there
        PathChecks.writableLocation("t", "hdfs://nn:8020/nowhere");
        PathChecks.readableFile("t", "s3a://bucket/no-such-list.jsonl");
    }

    // ---- exit statuses of bench, and unexpected errors -----------------------------------------

    /** A suite whose one case fails without training: its mesh does not exist. */
    private static Path suite() throws Exception {
        Path suite = dir.resolve("broken-suite.json");
        Files.writeString(suite, "{\"name\": \"broken\", \"cases\": [{\"name\": \"no-mesh\", \"config\": {\"problem\": "
                + "{\"type\": \"sdf\", \"mesh\": \"" + dir.resolve("no-such-mesh.obj").toString().replace("\\", "/")
                + "\"}}, \"budget\": {\"steps\": 2}}]}");
        return suite;
    }

    @Test
    void benchExitsWithThreeWhenACaseFailed() throws Exception {
        Path out = dir.resolve("bench-failed");
        CapturedRun run = CapturedRun.of("bench", suite().toString(), "--out", out.toString());
        assertEquals(3, run.code(), run.describe());
        assertTrue(run.err().contains("bench: 1 of 1 cases did not end ok: exit status 3"), run.describe());
        JsonNode results = ConfigReader.mapper().readTree(out.resolve("results.json").toFile());
        assertEquals("failed", results.get(0).get("status").asText(), results.toString());
    }

    @Test
    void anUnexpectedErrorIsOneLineAndVerboseAddsItsStackTrace() throws Exception {
        // results.json cannot be written where a directory of that name is
        Path out = dir.resolve("bench-blocked");
        Files.createDirectories(out.resolve("results.json"));
        String suite = suite().toString();

        CapturedRun quiet = CapturedRun.of("bench", suite, "--out", out.toString());
        assertEquals(4, quiet.code(), quiet.describe());
        assertEquals(1, quiet.errorLines().size(), quiet.describe());
        String line = quiet.errorLines().get(0);
        assertTrue(line.startsWith("hermite-ngp: cannot write results under " + out), line);
        assertTrue(line.contains("results.json"), line);
        assertTrue(line.endsWith("; rerun with --verbose for the stack trace"), line);
        assertTrue(quiet.err().endsWith(line + "\n"), "the error line comes last: " + quiet.describe());
        assertFalse(quiet.err().contains("\tat "), "no stack trace without --verbose: " + quiet.describe());

        for (String[] args : List.of(new String[]{"bench", suite, "--out", out.toString(), "--verbose"},
                new String[]{"--verbose", "bench", suite, "--out", out.toString()})) {
            CapturedRun verbose = CapturedRun.of(args);
            assertEquals(4, verbose.code(), verbose.describe());
            assertEquals(List.of(line.replace("; rerun with --verbose for the stack trace", "")),
                    verbose.errorLines(), verbose.describe());
            assertTrue(verbose.err().contains("java.io.UncheckedIOException: cannot write results under " + out),
                    verbose.describe());
            assertTrue(verbose.err().contains("\tat io.hermitengp.jobs.BenchCommand.run("), verbose.describe());
        }
    }
}
