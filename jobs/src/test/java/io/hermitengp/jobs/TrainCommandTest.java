package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshFormatException;
import io.hermitengp.io.MeshReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    private static Path smallConfig(Path dir) throws Exception {
        Path file = dir.resolve("small.json");
        try (InputStream in = TrainCommandTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void trainPrintsOneJsonLineWithTheContractKeysAndTheResolvedConfig(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        Path curves = dir.resolve("curves.json");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = TrainCommand.run(new String[]{config.toString(), "--steps", "12", "--threads", "1", "--seed", "5",
                    "--curves", curves.toString()});
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code);
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length, "stdout must hold exactly the result line");
        JsonNode result = ConfigReader.mapper().readTree(lines[0]);
        for (String key : new String[]{"rel_l2", "grad_rel_l2", "steps", "ms_per_step", "backend", "seed", "config"}) {
            assertTrue(result.has(key), "result line lacks '" + key + "': " + lines[0]);
        }
        assertEquals(12, result.get("steps").asLong());
        assertEquals(5, result.get("seed").asLong());
        // the test JVM has the Vector API module (surefire's argLine), as the launcher's has
        assertEquals("java:threads=1,vector", result.get("backend").asText());
        assertTrue(result.get("ms_per_step").asDouble() > 0);
        assertTrue(result.get("rel_l2").asDouble() > 0 && result.get("rel_l2").asDouble() < 10);
        assertEquals(12, result.at("/config/training/steps").asLong(), "overrides must show in the resolved config");
        assertEquals(5, result.at("/config/training/seed").asLong());
        JsonNode saved = ConfigReader.mapper().readTree(curves.toFile());
        assertEquals(12, saved.get("loss_curve").size());
    }

    @Test
    void sdfTrainingReportsSurfaceMetricsAndWritesTheSurfaceInMeshCoordinates(@TempDir Path dir) throws Exception {
        Path mesh = Path.of(TrainCommandTest.class.getResource("/meshes/sphere.obj").toURI());
        Path config = dir.resolve("sdf.json");
        Files.writeString(config, """
                {"problem": {"type": "sdf", "mesh": "%s", "pool_size": 4096, "evaluation_points": 4096,
                             "surface_resolution": 32},
                 "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [12, 12, 12, 12]},
                 "network": {"hidden": [16]},
                 "training": {"steps": 30, "seed": 2, "threads": 1, "eval_every": 0,
                   "points": {"surface": 256, "normal": 256, "eikonal": 256, "distance": 512,
                              "gradient": 256}}}
                """.formatted(mesh.toString().replace("\\", "/")));
        Path surface = dir.resolve("out/sphere-surface.ply");
        Path slice = dir.resolve("out/slice.png");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = TrainCommand.run(new String[]{config.toString(), "--surface", surface.toString(), "--slice",
                    slice.toString()});
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code);
        JsonNode result = ConfigReader.mapper().readTree(captured.toString(StandardCharsets.UTF_8).strip());
        for (String key : new String[]{"grad_mae", "dist_mae", "normal_angle_deg", "chamfer", "rel_l2", "steps"}) {
            assertTrue(result.has(key) && result.get(key).isNumber(), "sdf result lacks numeric '" + key + "': " + result);
        }
        assertTrue(result.get("grad_mae").asDouble() > 0 && result.get("grad_mae").asDouble() < 2, result.toString());
        assertEquals(mesh.toString(), result.at("/config/problem/mesh").asText());
        TriangleMesh written = MeshReader.read(surface);
        assertTrue(written.triangleCount() > 0, "the extracted surface has triangles");
        // the sphere mesh has radius 1 about the origin in its own coordinates: the written surface too
        // (30 steps fit it roughly: its vertices lie within the field's box mapped back, |x| < 1.25)
        double[] v = written.vertices();
        for (int k = 0; k < v.length; k += 3) {
            double r = Math.sqrt(v[k] * v[k] + v[k + 1] * v[k + 1] + v[k + 2] * v[k + 2]);
            assertTrue(r < 1.25 * Math.sqrt(3), "vertex outside the mapped-back box: " + r);
        }
        assertTrue(Files.size(slice) > 1000, "slice picture written");
    }

    @Test
    void meshProblemsNameAMissingOrUnreadableMesh(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sdf.json");
        Files.writeString(config, "{\"problem\": {\"type\": \"sdf\"}}");
        ConfigException noMesh = assertThrows(ConfigException.class, () -> TrainCommand.run(new String[]{config.toString()}));
        assertTrue(noMesh.getMessage().contains("problem.mesh"), noMesh.getMessage());
        Path broken = dir.resolve("broken.obj");
        Files.writeString(broken, "v 0 0 0\nv 1 0 0\nf 1 2 7\n");
        Files.writeString(config, "{\"problem\": {\"type\": \"mesh_poisson\", \"mesh\": \""
                + broken.toString().replace("\\", "/") + "\"}}");
        MeshFormatException unreadable = assertThrows(MeshFormatException.class,
                () -> TrainCommand.run(new String[]{config.toString()}));
        assertTrue(unreadable.getMessage().contains("broken.obj"), unreadable.getMessage());
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        UsageException e = assertThrows(UsageException.class,
                () -> TrainCommand.run(new String[]{config.toString(), "--step", "3"}));
        assertTrue(e.getMessage().contains("--step") && e.getMessage().contains("--steps"), e.getMessage());
        e = assertThrows(UsageException.class, () -> TrainCommand.run(new String[]{config.toString(), "--threads", "x"}));
        assertTrue(e.getMessage().contains("--threads"), e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> TrainCommand.run(new String[]{dir.resolve("nope.json").toString()}));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
    }

    @Test
    void anInterruptedRunResumedFromItsCheckpointEndsWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        Path checkpoint = dir.resolve("run.ckpt");
        CapturedRun whole = CapturedRun.of("train", config.toString(), "--steps", "30", "--threads", "1");
        assertEquals(0, whole.code(), whole.err());
        // with a step schedule that does not depend on the budget, a shorter first run is an interrupted one
        CapturedRun first = CapturedRun.of("train", config.toString(), "--steps", "20", "--threads", "1",
                "--checkpoint", checkpoint.toString(), "--checkpoint-every", "10");
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.size(checkpoint) > 0);

        CapturedRun again = CapturedRun.of("train", config.toString(), "--steps", "30", "--checkpoint",
                checkpoint.toString());
        assertEquals(JobMain.USAGE, again.code(), "an existing checkpoint is not overwritten unasked");
        assertTrue(again.err().contains("--resume"), again.err());

        CapturedRun resumed = CapturedRun.of("train", config.toString(), "--steps", "30", "--threads", "2",
                "--resume", checkpoint.toString());
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode a = ConfigReader.mapper().readTree(whole.out().strip());
        JsonNode b = ConfigReader.mapper().readTree(resumed.out().strip());
        assertEquals(30, b.get("steps").asLong());
        assertEquals(a.get("rel_l2").asDouble(), b.get("rel_l2").asDouble(), 0.0);
        assertEquals(a.get("loss").asDouble(), b.get("loss").asDouble(), 0.0);
        assertEquals(a.get("error_curve"), stripSeconds(b.get("error_curve"), a.get("error_curve")));

        Path other = dir.resolve("other.json");
        Files.writeString(other, Files.readString(config).replace("\"seed\": 1", "\"seed\": 2"));
        CapturedRun mismatched = CapturedRun.of("train", other.toString(), "--resume", checkpoint.toString());
        assertEquals(JobMain.USAGE, mismatched.code());
        assertTrue(mismatched.err().contains("another config"), mismatched.err());
    }

    /**
     * A run in its own JVM, stopped by SIGTERM (as Ctrl-C's SIGINT does it): the shutdown waits
     * while the trainer saves the step it reached, so the checkpoint, saved nowhere else here,
     * continues to the bits of an uninterrupted run.
     */
    @Test
    void aRunStoppedBySigtermSavesTheStepItReachedAndContinuesFromIt(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        Path checkpoint = dir.resolve("run.ckpt");
        String err = trainUntilSigterm(config, checkpoint, dir.resolve("train.err"), () -> { });
        Matcher stopped = Pattern.compile("train: interrupted at step (\\d+); the run is saved in "
                + Pattern.quote(checkpoint.toString()) + ": continue it with --resume").matcher(err);
        assertTrue(stopped.find(), err);
        long step = Long.parseLong(stopped.group(1));

        CapturedRun shorter = CapturedRun.of("train", config.toString(), "--steps", String.valueOf(step - 1),
                "--resume", checkpoint.toString());
        assertEquals(JobMain.USAGE, shorter.code());
        assertTrue(shorter.err().contains("is at step " + step + ", past this run's " + (step - 1) + " steps"),
                "the saved state is step " + step + ": " + shorter.err());

        String steps = String.valueOf(step + 3);
        CapturedRun resumed = CapturedRun.of("train", config.toString(), "--steps", steps, "--threads", "1",
                "--resume", checkpoint.toString());
        CapturedRun whole = CapturedRun.of("train", config.toString(), "--steps", steps, "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode a = ConfigReader.mapper().readTree(whole.out().strip());
        JsonNode b = ConfigReader.mapper().readTree(resumed.out().strip());
        assertEquals(step + 3, b.get("steps").asLong());
        assertEquals(a.get("loss").asDouble(), b.get("loss").asDouble(), 0.0);
        assertEquals(a.get("rel_l2").asDouble(), b.get("rel_l2").asDouble(), 0.0);
    }

    /**
     * A run stopped by SIGTERM whose save then fails (its checkpoint's folder has become a file):
     * the error is printed before the JVM halts, as the shutdown waits until it is out.
     */
    @Test
    void aSaveThatFailsAsTheRunIsStoppedIsReportedBeforeTheJvmHalts(@TempDir Path dir) throws Exception {
        Path config = smallConfig(dir);
        Path folder = Files.createDirectory(dir.resolve("checkpoints"));
        Path checkpoint = folder.resolve("run.ckpt");
        String err = trainUntilSigterm(config, checkpoint, dir.resolve("train.err"), () -> {
            Files.delete(folder);
            Files.writeString(folder, "not a folder");
        });
        assertTrue(err.contains("hermite-ngp: could not write the checkpoint " + checkpoint), err);
    }

    /** What a test does to the run's files once it trains, before the signal. */
    private interface BeforeSignal {
        void run() throws IOException;
    }

    /**
     * Starts {@code train} of a million steps with {@code --checkpoint} in its own JVM, waits for
     * its first progress line, runs {@code beforeSignal}, sends SIGTERM and waits for the JVM to
     * exit with the signal's status (143); returns what the run printed on stderr.
     */
    private static String trainUntilSigterm(Path config, Path checkpoint, Path log, BeforeSignal beforeSignal)
            throws IOException, InterruptedException {
        Process train = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                JobMain.class.getName(), "train", config.toString(), "--steps", "1000000", "--threads", "1",
                "--checkpoint", checkpoint.toString(), "--checkpoint-every", "1000000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("\nstep ") && System.nanoTime() < deadline && train.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).contains("\nstep "), "no progress line: " + Files.readString(log));
            beforeSignal.run();
            // SIGTERM through the handle: Process.destroy would also close the pipes to the process
            train.toHandle().destroy();
            assertTrue(train.waitFor(120, TimeUnit.SECONDS), "the JVM did not exit: " + Files.readString(log));
        } finally {
            train.destroyForcibly();
        }
        String err = Files.readString(log);
        assertEquals(143, train.exitValue(), "the JVM's status for SIGTERM: " + err);
        return err;
    }

    /** The curve {@code b} with each row's seconds taken from {@code a} (times differ between runs, nothing else may). */
    private static JsonNode stripSeconds(JsonNode b, JsonNode a) {
        var copy = b.deepCopy();
        for (int i = 0; i < copy.size() && i < a.size(); i++) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) copy.get(i)).set(1, a.get(i).get(1));
        }
        return copy;
    }
}
