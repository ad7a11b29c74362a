package io.hermitengp.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.io.MeshFormat;
import io.hermitengp.shape.SampleMix;
import io.hermitengp.shape.SdfGrid;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The meshes of a dataset job, from one of three kinds of location (a local path or any Hadoop
 * URI, read through Hadoop's file system):
 *
 * <ul>
 *   <li>a folder: every file under it, at any depth, whose name ends in {@code .obj}, {@code .ply},
 *       {@code .stl} (any case) or has no extension at all (its format is then read from its
 *       content); names starting with {@code .} or {@code _} are skipped, as Hadoop skips them;</li>
 *   <li>a glob ({@code data/meshes/*&#47;*.ply}, with {@code * ? [ ] { }}): every file it
 *       matches, whatever its name;</li>
 *   <li>a manifest, {@code .csv} (a header line, then one row per mesh) or {@code .parquet}: a
 *       {@code path} column (relative to the manifest's folder, or absolute, or a URI) and
 *       optional columns that override the job's settings for that mesh: {@code id},
 *       {@code samples}, {@code grid}, {@code seed}, {@code margin}, {@code mix} and {@code spec}
 *       (a JSON object merged into the base config of the mesh's fit). Any other column is an
 *       error naming it; an empty cell overrides nothing.</li>
 * </ul>
 *
 * A mesh's id is its path relative to the folder (the glob's fixed leading part; the manifest's
 * folder) with {@code /} separators, extension included, so two files never share one
 * ({@code chair/a.obj}, {@code chair/a.ply}); a manifest's own {@code id} column may repeat
 * one, and the repeat becomes an entry with a defect ({@code <id>@row<N>}), a failed row of
 * the batch. A bad value in a manifest row is that row's defect too, so the rest of the batch goes on.
 */
public final class MeshList {
    public static final Set<String> MANIFEST_COLUMNS = Set.of("path", "id", "samples", "grid", "seed", "margin",
            "mix", "spec");

    private MeshList() {
    }

    /**
     * The meshes a location names, sorted by id.
     *
     * @throws IllegalArgumentException when the location holds no mesh, or a manifest has no
     *                                  {@code path} column or an unknown one
     * @throws UncheckedIOException     when the location cannot be read
     */
    public static List<MeshEntry> read(SparkSession spark, String location) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String lower = location.toLowerCase(Locale.ROOT);
        List<MeshEntry> entries;
        try {
            if (lower.endsWith(".csv") || lower.endsWith(".parquet")) {
                entries = manifest(spark, location, conf);
            } else if (isGlob(location)) {
                entries = glob(location, conf);
            } else {
                entries = folder(location, conf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the meshes at " + location + ": " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no mesh files at " + location + " (a folder is searched for .obj, .ply, "
                    + ".stl and extensionless files; a glob takes what it matches; a manifest lists them)");
        }
        List<MeshEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(MeshEntry::id));
        return sorted;
    }

    /** Whether a location has glob characters ({@code * ? [ {}). */
    public static boolean isGlob(String location) {
        return location.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static List<MeshEntry> folder(String location, Configuration conf) throws IOException {
        Path root = new Path(location);
        FileSystem fs = root.getFileSystem(conf);
        root = fs.makeQualified(root);
        FileStatus status = fs.getFileStatus(root);   // FileNotFoundException names a missing folder
        if (status.isFile()) {
            return List.of(MeshEntry.of(root.getName(), root.toString()));
        }
        List<MeshEntry> entries = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            Path file = files.next().getPath();
            String relative = relative(root, file);
            if (hidden(relative) || !meshName(file.getName())) {
                continue;
            }
            entries.add(MeshEntry.of(relative, file.toString()));
        }
        return entries;
    }

    private static List<MeshEntry> glob(String location, Configuration conf) throws IOException {
        Path pattern = new Path(location);
        FileSystem fs = pattern.getFileSystem(conf);
        pattern = fs.makeQualified(pattern);
        // ids are relative to the deepest folder of the pattern before its first wildcard
        Path base = pattern;
        while (base != null && isGlob(base.toString())) {
            base = base.getParent();
        }
        FileStatus[] matched = fs.globStatus(pattern);
        List<MeshEntry> entries = new ArrayList<>();
        for (FileStatus f : matched == null ? new FileStatus[0] : matched) {
            if (f.isFile()) {
                entries.add(MeshEntry.of(base == null ? f.getPath().getName() : relative(base, f.getPath()),
                        f.getPath().toString()));
            }
        }
        return entries;
    }

    private static List<MeshEntry> manifest(SparkSession spark, String location, Configuration conf)
            throws IOException {
        Path file = new Path(location);
        FileSystem fs = file.getFileSystem(conf);
        file = fs.makeQualified(file);
        fs.getFileStatus(file);   // a missing manifest is named as such, before Spark's own message
        Dataset<Row> table = location.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "false").csv(file.toString())
                : spark.read().parquet(file.toString());
        List<String> columns = Arrays.asList(table.columns());
        if (!columns.contains("path")) {
            throw new IllegalArgumentException("manifest " + location + " has no 'path' column; its columns: "
                    + columns);
        }
        for (String c : columns) {
            if (!MANIFEST_COLUMNS.contains(c)) {
                throw new IllegalArgumentException("manifest " + location + ": unknown column '" + c + "'; allowed: "
                        + MANIFEST_COLUMNS.stream().sorted().toList());
            }
        }
        Path directory = file.getParent();
        List<MeshEntry> entries = new ArrayList<>();
        Map<String, Integer> firstRow = new HashMap<>();
        List<Row> rows = table.collectAsList();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int number = r + 1;   // data rows from 1, after the header
            String path = text(row, "path");
            String where = file.getName() + " row " + number;
            String id = text(row, "id") != null ? text(row, "id") : path != null ? path : where;
            String resolved = null;
            MeshEntry entry;
            try {
                if (path == null || path.isBlank()) {
                    throw new IllegalArgumentException("empty 'path'");
                }
                Path mesh = new Path(path);
                resolved = fs.makeQualified(mesh.isAbsoluteAndSchemeAuthorityNull() || mesh.toUri().getScheme() != null
                        ? mesh : new Path(directory, path)).toString();
                String mix = text(row, "mix");
                if (mix != null) {
                    SampleMix.parse(mix);
                }
                String spec = text(row, "spec");
                if (spec != null) {
                    JsonNode parsed = ConfigReader.parseTree(spec, where + " column spec");
                    if (!parsed.isObject()) {
                        throw new IllegalArgumentException("column 'spec' must be a JSON object, got " + spec);
                    }
                }
                Integer samples = integer(row, "samples", 0);
                Integer grid = integer(row, "grid", 0);
                Long seed = text(row, "seed") == null ? null : (long) number(row, "seed");
                Double margin = text(row, "margin") == null ? null : number(row, "margin");
                if (seed != null && seed != number(row, "seed")) {
                    throw new IllegalArgumentException("column 'seed' needs an integer, got '" + text(row, "seed") + "'");
                }
                if (grid != null && grid != 0) {
                    SdfGrid.requireResolution(grid);
                }
                if (margin != null && !(margin >= 0 && margin < 0.5)) {
                    throw new IllegalArgumentException("column 'margin' must be in [0, 0.5), got " + margin);
                }
                entry = new MeshEntry(id, resolved, samples, grid, seed, margin, mix, spec, "");
            } catch (RuntimeException e) {
                entry = new MeshEntry(id, resolved == null ? String.valueOf(path) : resolved, null, null, null, null,
                        null, null, where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            Integer seen = firstRow.putIfAbsent(entry.id(), number);
            if (seen != null) {
                entry = entry.withDefect(entry.id() + "@row" + number, "duplicate id '" + entry.id()
                        + "' (first in row " + seen + " of " + file.getName() + ")");
                firstRow.putIfAbsent(entry.id(), number);
            }
            entries.add(entry);
        }
        return entries;
    }

    /** A cell as text: null when absent or blank. */
    private static String text(Row row, String column) {
        if (!Arrays.asList(row.schema().fieldNames()).contains(column)) {
            return null;
        }
        Object value = row.get(row.fieldIndex(column));
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return value.toString().strip();
    }

    private static double number(Row row, String column) {
        String value = text(row, column);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column '" + column + "' needs a number, got '" + value + "'");
        }
    }

    private static Integer integer(Row row, String column, int min) {
        String value = text(row, column);
        if (value == null) {
            return null;
        }
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column '" + column + "' needs an integer, got '" + value + "'");
        }
        if (v < min) {
            throw new IllegalArgumentException("column '" + column + "' must be >= " + min + ", got " + v);
        }
        return v;
    }

    private static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        String prefix = r.endsWith("/") ? r : r + "/";
        return f.startsWith(prefix) ? f.substring(prefix.length()) : file.getName();
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** A mesh extension, or no extension at all (the format then comes from the content). */
    private static boolean meshName(String name) {
        return MeshFormat.byExtension(name).isPresent() || name.indexOf('.') < 0;
    }
}
