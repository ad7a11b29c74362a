package io.hermitengp.fit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shipped configs ({@code data/configs}, on the test classpath as {@code /configs}) made cheap
 * without changing what they are: small reference lattices and pools, tables of at most 2^10
 * entries, a few dozen points per term, bundled meshes from the classpath (the sphere where a
 * config's mesh is set per instance) and no FD cache on disk. Problem definitions, recipes, networks and level counts stay as shipped.
 */
public final class ShrunkConfigs {
    /** Sizes that make a problem cheap; applied where the key exists. */
    private static final Map<String, Integer> SMALL_PROBLEM = Map.of("grid", 24, "pool_size", 4096,
            "paper_metric_grid", 24, "surface_resolution", 24, "evaluation_points", 2048, "reference_points", 2048);

    /** The bundled mesh of a config whose own mesh is not bundled. */
    private static final String STAND_IN_MESH = "sphere.obj";

    private ShrunkConfigs() {
    }

    /** The names of the {@code .json} files in a classpath folder ({@code /configs}, {@code /configs/paper}), sorted. */
    public static List<String> names(String folder) {
        try {
            Path dir = Path.of(ShrunkConfigs.class.getResource(folder).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The config at a classpath path, shrunk, with at most {@code maxPoints} points per term.
     *
     * @return the tree, for a test to adjust the training section further
     */
    public static ObjectNode shrunk(String resource, int maxPoints) {
        ObjectNode tree;
        try (InputStream in = ShrunkConfigs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no config " + resource + " on the test classpath");
            }
            tree = (ObjectNode) ConfigReader.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode problem = (ObjectNode) tree.get("problem");
        if (problem.has("mesh")) {
            String mesh = Path.of(problem.get("mesh").asText()).getFileName().toString();
            URL bundled = ShrunkConfigs.class.getResource("/meshes/" + mesh);
            if (bundled == null) {
                // a base config whose mesh each instance sets (the sdf job's) trains on a stand-in
                bundled = ShrunkConfigs.class.getResource("/meshes/" + STAND_IN_MESH);
            }
            try {
                problem.put("mesh", Path.of(bundled.toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        SMALL_PROBLEM.forEach((key, value) -> {
            if (problem.has(key)) {
                problem.put(key, Math.min(value, problem.get(key).asInt()));
            }
        });
        if ("sdf".equals(problem.path("type").asText()) && !problem.has("paper_metric_grid")) {
            problem.put("paper_metric_grid", SMALL_PROBLEM.get("paper_metric_grid"));   // 256^3 by default
        }
        if (problem.has("cache_dir")) {
            problem.put("cache_dir", "");
        }
        ObjectNode encoding = (ObjectNode) tree.get("encoding");
        JsonNode shipped = encoding.get("log2_table_sizes");
        if (shipped != null) {
            ArrayNode sizes = ConfigReader.mapper().createArrayNode();
            shipped.forEach(size -> sizes.add(Math.min(size.asInt(), 10)));
            encoding.set("log2_table_sizes", sizes);
        }
        ObjectNode training = (ObjectNode) tree.get("training");
        ObjectNode points = (ObjectNode) training.get("points");
        if (points != null) {
            List<String> names = new ArrayList<>();
            points.fieldNames().forEachRemaining(names::add);
            names.forEach(term -> points.put(term, Math.min(maxPoints, points.get(term).asInt())));
        }
        return tree;
    }
}
