package io.hermitengp.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A job's output directory on any Hadoop file system: a local path ({@code out}, {@code /data/x}),
 * a {@code file:} URI or a cluster URI ({@code hdfs://nn:8020/x}, {@code s3a://bucket/x}), kept as
 * Hadoop parses it (never through {@link java.nio.file.Path}, which folds {@code //} and
 * drops authorities). Tables are addressed as child URIs of the qualified directory.
 */
public final class OutputLocation {
    private final FileSystem fs;
    private final Path root;

    public OutputLocation(String location, Configuration conf) {
        try {
            Path path = new Path(location);
            this.fs = path.getFileSystem(conf);
            this.root = fs.makeQualified(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the output location " + location + ": " + e.getMessage(), e);
        }
    }

    /** The fully qualified URI of a child of the directory, as Spark's readers and writers take it. */
    public String child(String name) {
        return new Path(root, name).toString();
    }

    @Override
    public String toString() {
        return root.toString();
    }

    public boolean exists(String name) {
        try {
            return fs.exists(new Path(root, name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look into " + root + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a child, recursively; nothing when it does not exist. */
    public void delete(String name) {
        try {
            fs.delete(new Path(root, name), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + child(name) + ": " + e.getMessage(), e);
        }
    }

    /** Moves child {@code from} to child {@code to}, replacing {@code to}. */
    public void replace(String from, String to) {
        delete(to);
        try {
            if (!fs.rename(new Path(root, from), new Path(root, to))) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + child(from) + " to " + child(to) + ": " + e.getMessage(), e);
        }
    }

    /** Children whose names start with a prefix. */
    public String[] children(String prefix) {
        try {
            if (!fs.exists(root)) {
                return new String[0];
            }
            FileStatus[] all = fs.listStatus(root, p -> p.getName().startsWith(prefix));
            String[] names = new String[all.length];
            for (int i = 0; i < all.length; i++) {
                names[i] = all[i].getPath().getName();
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** A small text file's content. */
    public String readText(String name) {
        try (FSDataInputStream in = fs.open(new Path(root, name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + child(name) + ": " + e.getMessage(), e);
        }
    }

    /** Writes a small text file as a child, replacing it. */
    public void writeText(String name, String text) {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes to a file at a child path (directories created), replacing it. Files for people
     * and other tools get no {@code .crc} side file on a local file system.
     */
    public void writeBytes(String name, byte[] data) {
        FileSystem target = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
        try (FSDataOutputStream out = target.create(new Path(root, name), true)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + child(name) + ": " + e.getMessage(), e);
        }
    }
}
