package io.hermitengp.io;

import java.io.IOException;

/**
 * Where meshes named by URI live when they are not local files: a store reads the whole file at a
 * location with a scheme it knows ({@code hdfs:}, {@code s3a:}, ...). Stores register through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.hermitengp.io.MeshStore}); the
 * Spark module registers one over Hadoop's file systems. Local paths and {@code file:} URIs are
 * read by {@link MeshReader} itself.
 */
public interface MeshStore {
    /** Whether this store reads locations with this URI scheme (lower case, without ':'). */
    boolean handles(String scheme);

    /**
     * The file's bytes.
     *
     * @throws MeshFormatException when the file is larger than {@code maxBytes}
     * @throws IOException         when it cannot be read (missing, no permission, ...)
     */
    byte[] readAll(String location, long maxBytes) throws IOException;
}
