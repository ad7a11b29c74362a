package io.hermitengp.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks of a command's inputs and outputs made before any work (before a Spark session starts,
 * before a field trains), so that a missing input or an unwritable output is one line naming
 * the option and the path, not a stack trace after the work is done. Each failure is a {@link
 * UsageException}: {@code fit --out: cannot write under /data/run: permission denied (/data/run)}.
 *
 * <p>The Spark jobs' locations are strings as given, a local path or a URI, meaning what Hadoop
 * makes of them: a path without a scheme is on the default file system ({@code fs.defaultFS} of
 * the Hadoop configuration with the {@code spark.hadoop.*} settings, as a Spark session would
 * see it). Only local locations ({@code file:}, or no scheme with a local default) are checked
 * here; on any other file system ({@code hdfs:}, {@code s3a:}, ...) the check is left to Hadoop
 * when the job reads or writes there, since reaching it needs the session's Hadoop configuration
 * and credentials.
 */
final class PathChecks {
    private PathChecks() {
    }

    /** The local path a location means, or empty when it is on another file system. */
    static Optional<Path> local(String what, String location) {
        URI uri;
        try {
            uri = new org.apache.hadoop.fs.Path(location).toUri();
        } catch (IllegalArgumentException e) {
            throw new UsageException(what + ": not a path or URI: '" + location + "' (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() != null ? uri.getScheme() : defaultFileSystem().getScheme();
        if (scheme != null && !scheme.equals("file")) {
            return Optional.empty();
        }
        // file://host/x is /x to Hadoop's local file system: the authority is not a place
        return Optional.of(Path.of(uri.getPath()).toAbsolutePath().normalize());
    }

    /**
     * {@code fs.defaultFS} as a Spark session started now would have it: the Hadoop configuration
     * on the classpath with the {@code spark.hadoop.*} settings, which reach a job (from
     * spark-submit, or the launcher's {@code --conf}) as system properties, where a SparkConf
     * reads them. Read here without Spark, so that a check neither loads nor logs anything of it.
     */
    private static URI defaultFileSystem() {
        Configuration hadoop = new Configuration();
        System.getProperties().forEach((key, value) -> {
            if (key instanceof String k && k.startsWith(SPARK_HADOOP)) {
                hadoop.set(k.substring(SPARK_HADOOP.length()), String.valueOf(value));
            }
        });
        return FileSystem.getDefaultUri(hadoop);
    }

    private static final String SPARK_HADOOP = "spark.hadoop.";

    /** An input file (an instance list) that must exist and be readable. */
    static void readableFile(String what, String location) {
        local(what, location).ifPresent(file -> {
            if (!Files.exists(file)) {
                throw new UsageException(what + ": no such file: " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException(what + ": not a file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw new UsageException(what + ": cannot read " + file + ": permission denied");
            }
        });
    }

    /** An input table (a Parquet directory, or a single file) that must exist and be readable. */
    static void readableTable(String what, String location) {
        local(what, location).ifPresent(table -> {
            if (!Files.exists(table)) {
                throw new UsageException(what + ": no such table: " + table);
            }
            if (!Files.isReadable(table)) {
                throw new UsageException(what + ": cannot read " + table + ": permission denied");
            }
        });
    }

    /** An output directory on any file system: checked by {@link #writableDirectory(String, Path)} when local. */
    static void writableLocation(String what, String location) {
        local(what, location).ifPresent(dir -> writableDirectory(what, dir));
    }

    /**
     * A local output directory: tried, not guessed from permissions. The directory is created (with
     * its parents), a probe file written in it and deleted; the directories this check created are
     * removed again, so the file system is as it was and the command's own writes decide what
     * exists.
     */
    static void writableDirectory(String what, Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        List<Path> created = new ArrayList<>(); // deepest first
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            created.add(existing);
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new UsageException(what + ": cannot write under " + dir + ": " + existing
                    + " is in the way: it is not a directory");
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".hermite-ngp-write-probe-", ""));
        } catch (IOException e) {
            throw new UsageException(what + ": cannot write under " + dir + ": " + reason(e));
        } finally {
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // not empty (something else wrote there meanwhile) or not ours to remove: leave it
                }
            }
        }
    }

    /**
     * A local output file (train's {@code --surface}, {@code --curves}, {@code --slice}): not a
     * directory, writable if it exists, and its directory writable ({@link #writableDirectory}).
     */
    static void writableFile(String what, Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (Files.isDirectory(f)) {
            throw new UsageException(what + ": " + f + " is a directory, not a file");
        }
        if (Files.exists(f) && !Files.isWritable(f)) {
            throw new UsageException(what + ": cannot write " + f + ": permission denied");
        }
        writableDirectory(what, f.getParent());
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() + " (" + f.getFile() + ")" : String.valueOf(f.getFile());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
