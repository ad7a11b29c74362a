package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Reads a triangle mesh from OBJ, PLY (ASCII or binary) or STL (ASCII or binary), chosen by the
 * file extension, or by the content for a file without one of those extensions ({@link
 * MeshFormat#of}). Every failure is a {@link MeshFormatException} naming the file and the problem:
 * a missing or oversized file, an unreadable header, non-finite coordinates, face indices out of
 * range, an empty mesh.
 */
public final class MeshReader {
    /** Files above this size are refused unless a larger limit is given. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private MeshReader() {
    }

    public static TriangleMesh read(Path file) {
        return read(file, DEFAULT_MAX_BYTES);
    }

    public static TriangleMesh read(Path file, long maxBytes) {
        return load(file, maxBytes).mesh();
    }

    /** The mesh in a local file with its format and size. */
    public static MeshFile load(Path file, long maxBytes) {
        String source = file.toString();
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new MeshFormatException(source, "file is " + size + " bytes, above the limit of " + maxBytes
                        + " bytes");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MeshFormatException(source, "no such file");
        } catch (IOException e) {
            throw new MeshFormatException(source, "cannot read: " + e.getMessage(), e);
        }
        return parse(data, source, file.getFileName().toString());
    }

    /**
     * Reads the mesh at a location: a local path, a {@code file:} URI, or a URI whose scheme a
     * registered {@link MeshStore} reads ({@code hdfs:}, {@code s3a:} with the Spark module on
     * the classpath).
     */
    public static TriangleMesh read(String location) {
        return read(location, DEFAULT_MAX_BYTES);
    }

    public static TriangleMesh read(String location, long maxBytes) {
        return load(location, maxBytes).mesh();
    }

    /** The mesh at a location ({@link #read(String)}) with its format and size. */
    public static MeshFile load(String location, long maxBytes) {
        String scheme = scheme(location);
        if (scheme == null) {
            return load(Path.of(location), maxBytes);
        }
        if (scheme.equals("file")) {
            return load(localPath(location), maxBytes);
        }
        for (MeshStore store : ServiceLoader.load(MeshStore.class, MeshStore.class.getClassLoader())) {
            if (store.handles(scheme)) {
                byte[] data;
                try {
                    data = store.readAll(location, maxBytes);
                } catch (IOException e) {
                    throw new MeshFormatException(location, "cannot read: " + e.getMessage(), e);
                }
                return parse(data, location, location.substring(location.lastIndexOf('/') + 1));
            }
        }
        throw new MeshFormatException(location, "no mesh store reads '" + scheme + ":' locations here (local paths "
                + "and file: URIs always work; hdfs:, s3a: and other Hadoop file systems need the Spark module)");
    }

    /**
     * The local path of a {@code file:} URI: {@code file:/p}, {@code file:///p} or
     * {@code file://localhost/p}, percent escapes decoded (a raw space is taken as it is).
     */
    static Path localPath(String location) {
        String rest = location.substring("file:".length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new MeshFormatException(location, "a file: URI on host '" + host + "' is not a file of this "
                        + "machine; use a path every executor sees, or an hdfs:/s3a: URI");
            }
            rest = slash < 0 ? "/" : rest.substring(slash);
        }
        try {
            return Path.of(URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new MeshFormatException(location, "not a usable file: URI: " + e.getMessage(), e);
        }
    }

    /** The URI scheme of a location, lower case, or null for a plain path (a one-letter scheme is a drive). */
    public static String scheme(String location) {
        int colon = location.indexOf(':');
        if (colon < 2 || !location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return null;
        }
        return location.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static MeshFile parse(byte[] data, String source, String fileName) {
        MeshFormat format = MeshFormat.of(data, fileName, source);
        TriangleMesh mesh = switch (format) {
            case OBJ -> ObjMeshReader.read(data, source);
            case PLY -> PlyMeshReader.read(data, source);
            case STL -> StlMeshReader.read(data, source);
        };
        return new MeshFile(mesh, format, data.length);
    }
}
