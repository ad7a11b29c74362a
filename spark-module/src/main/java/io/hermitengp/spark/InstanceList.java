package io.hermitengp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.io.MeshReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Reads an instance list: a JSON Lines file, one instance per line,
 *
 * <pre>
 *   {"id": "bunny", "base": "../configs/bunny-sdf.json", "spec": {"training": {"steps": 500}}}
 *   {"id": "h2d-a4", "spec": {"problem": {"type": "helmholtz2d", "a": 4}, ...}}
 * </pre>
 *
 * {@code base} (optional) names a config file, relative to the list's directory, that {@code
 * spec} overrides key by key (objects merge recursively; anything else replaces). Blank lines
 * and lines starting with {@code #} are skipped. Relative {@code problem.mesh} paths are
 * resolved against the working directory here, on the driver, so that every executor reads the
 * same file. A line that cannot be read, or repeats an id, becomes an instance with a defect
 * (id {@code <file>:<line>} or {@code <id>@line<N>}), so it shows up as a {@code failed} row.
 */
public final class InstanceList {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("spec", DataTypes.StringType, false)
            .add("defect", DataTypes.StringType, false);

    private InstanceList() {
    }

    /** Reads a local instance list. */
    public static List<Instance> read(java.nio.file.Path file) {
        return read(file.toAbsolutePath().toUri().toString(), new Configuration());
    }

    /**
     * Reads the instance list at a location: a local path or any Hadoop file system URI
     * ({@code file:}, {@code hdfs:}, {@code s3a:}); {@code base} configs are resolved against the
     * list's own directory on the same file system.
     *
     * @throws UncheckedIOException when the list itself cannot be read
     */
    public static List<Instance> read(String location, Configuration conf) {
        Path file = new Path(location);
        List<String> lines;
        FileSystem fs;
        try {
            fs = file.getFileSystem(conf);
            file = fs.makeQualified(file);
            lines = readLines(fs, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the instance list " + location + ": " + e.getMessage(), e);
        }
        Path directory = file.getParent();
        List<Instance> instances = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            int number = k + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file.getName() + ":" + number;
            String id = where;
            try {
                JsonNode entry = ConfigReader.parseTree(line, where);
                if (!entry.isObject() || !entry.path("id").isTextual() || entry.get("id").asText().isBlank()) {
                    throw new IllegalArgumentException("an instance line needs a non-empty string \"id\"");
                }
                id = entry.get("id").asText();
                Iterator<String> keys = entry.fieldNames();
                while (keys.hasNext()) {
                    String key = keys.next();
                    if (!key.equals("id") && !key.equals("base") && !key.equals("spec")) {
                        throw new IllegalArgumentException("unknown key '" + key + "'; allowed: id, base, spec");
                    }
                }
                ObjectNode spec = ConfigReader.mapper().createObjectNode();
                if (entry.has("base")) {
                    Path base = new Path(directory, entry.get("base").asText());
                    spec = (ObjectNode) ConfigReader.parseTree(String.join("\n", readLines(fs, base)), base.toString());
                }
                if (entry.has("spec")) {
                    if (!entry.get("spec").isObject()) {
                        throw new IllegalArgumentException("\"spec\" must be an object");
                    }
                    merge(spec, (ObjectNode) entry.get("spec"));
                }
                resolveMeshPath(spec);
                Integer seen = firstLine.putIfAbsent(id, number);
                if (seen != null) {
                    instances.add(new Instance(id + "@line" + number, spec.toString(),
                            "duplicate id '" + id + "' (first on line " + seen + " of " + file.getName() + ")"));
                } else {
                    instances.add(new Instance(id, spec.toString()));
                }
            } catch (RuntimeException | IOException e) {
                String defect = where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
                String uniqueId = firstLine.containsKey(id) ? id + "@line" + number : id;
                firstLine.putIfAbsent(uniqueId, number);
                instances.add(new Instance(uniqueId, line, defect));
            }
        }
        return instances;
    }

    private static List<String> readLines(FileSystem fs, Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    /** Recursive merge of {@code override} into {@code target}: objects merge, anything else replaces. */
    static void merge(ObjectNode target, ObjectNode override) {
        override.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode o) {
                merge(t, o);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    /** A relative local mesh path made absolute here, on the driver; URIs ({@code file:}, {@code hdfs:}, ...) stay. */
    private static void resolveMeshPath(ObjectNode spec) {
        JsonNode problem = spec.get("problem");
        if (problem instanceof ObjectNode p && p.path("mesh").isTextual()
                && MeshReader.scheme(p.get("mesh").asText()) == null) {
            java.nio.file.Path mesh = java.nio.file.Path.of(p.get("mesh").asText());
            if (!mesh.isAbsolute()) {
                p.put("mesh", mesh.toAbsolutePath().normalize().toString());
            }
        }
    }

    /** Any Dataset with id and spec columns, as (id, spec, defect). */
    static Dataset<Row> normalized(Dataset<Row> instances) {
        boolean hasDefect = List.of(instances.columns()).contains("defect");
        return instances.select(col("id"), col("spec"), hasDefect ? col("defect") : lit("").as("defect"));
    }
}
