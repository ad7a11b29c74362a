package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a triangle mesh from OBJ, PLY (ASCII or binary) or STL (ASCII or binary), chosen by the
 * file extension. Every failure is a {@link MeshFormatException} naming the file and the problem:
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
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".obj")) {
            return ObjMeshReader.read(data, source);
        }
        if (name.endsWith(".ply")) {
            return PlyMeshReader.read(data, source);
        }
        if (name.endsWith(".stl")) {
            return StlMeshReader.read(data, source);
        }
        throw new MeshFormatException(source, "unknown mesh format; supported extensions: .obj, .ply, .stl");
    }
}
