package io.hermitengp.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small instances for the Spark tests: the small Helmholtz config at a few frequencies and the
 * small SDF config of a mesh, briefly trained.
 */
final class SparkTestInstances {
    private SparkTestInstances() {
    }

    static String smallHelmholtz(double a, int steps) {
        try (InputStream in = SparkTestInstances.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            ObjectNode spec = (ObjectNode) ConfigReader.parseTree(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "helmholtz2d-small.json");
            ((ObjectNode) spec.get("problem")).put("a", a);
            ObjectNode training = (ObjectNode) spec.get("training");
            training.put("steps", steps);
            training.put("eval_every", 0);
            ((ObjectNode) training.get("points")).put("residual", 256).put("boundary", 64);
            return spec.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The small SDF config of {@code mesh}, shrunk to fit in a second or two: a 4-level grid, a
     * 16-wide SIREN, small pools and batches, no evaluation during training.
     */
    static String smallSdf(Path mesh, int steps) {
        try (InputStream in = SparkTestInstances.class.getResourceAsStream("/configs/sdf-small.json")) {
            ObjectNode spec = (ObjectNode) ConfigReader.parseTree(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "sdf-small.json");
            ((ObjectNode) spec.get("problem")).put("mesh", mesh.toString()).put("pool_size", 2048)
                    .put("evaluation_points", 1024).put("surface_resolution", 16);
            ObjectNode encoding = (ObjectNode) spec.get("encoding");
            encoding.put("levels", 4).put("n_min", 4).put("n_max", 24);
            encoding.putArray("log2_table_sizes").add(12).add(12).add(12).add(12);
            ((ObjectNode) spec.get("network")).putArray("hidden").add(16);
            ObjectNode training = (ObjectNode) spec.get("training");
            training.put("steps", steps);
            training.put("eval_every", 0);
            training.putObject("curriculum").put("enabled", false);
            ((ObjectNode) training.get("points")).put("surface", 256).put("normal", 256).put("eikonal", 256)
                    .put("distance", 256).put("gradient", 256);
            return spec.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** k Helmholtz instances, ids {@code h-0 .. h-(k-1)}, frequencies 1, 1.5, 2, ... */
    static List<Instance> helmholtz(int k, int steps) {
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            instances.add(new Instance("h-" + i, smallHelmholtz(1 + 0.5 * i, steps)));
        }
        return instances;
    }

    /** The small Helmholtz spec with {@code training.backend.type} set. */
    static String smallHelmholtzOn(String backend, int steps) {
        ObjectNode spec = (ObjectNode) ConfigReader.parseTree(smallHelmholtz(1, steps), "small helmholtz");
        ((ObjectNode) spec.get("training")).putObject("backend").put("type", backend);
        return spec.toString();
    }

    /**
     * The small Helmholtz spec on the INGP-FD encoding, backend {@code auto}: the OpenCL backend
     * runs Hermite encodings only, so an assigned GPU goes unused.
     */
    static String smallHelmholtzIngpFd(int steps) {
        ObjectNode spec = (ObjectNode) ConfigReader.parseTree(smallHelmholtz(1, steps), "small helmholtz");
        ObjectNode encoding = spec.putObject("encoding");
        encoding.put("type", "ingp_fd").put("levels", 2).put("n_min", 4).put("n_max", 8);
        encoding.putArray("log2_table_sizes").add(10);
        return spec.toString();
    }
}
