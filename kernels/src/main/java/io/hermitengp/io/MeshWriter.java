package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes triangle meshes as OBJ (text) or binary little-endian PLY, by the file extension. */
public final class MeshWriter {
    private MeshWriter() {
    }

    public static void write(TriangleMesh mesh, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (name.endsWith(".obj")) {
            writeObj(mesh, file);
        } else if (name.endsWith(".ply")) {
            writePly(mesh, file);
        } else {
            throw new IllegalArgumentException(file + ": unknown mesh format; write .obj or .ply");
        }
    }

    private static void writeObj(TriangleMesh mesh, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# " + mesh.vertexCount() + " vertices, " + mesh.triangleCount() + " triangles\n");
            double[] v = mesh.vertices();
            for (int k = 0; k < v.length; k += 3) {
                w.write("v " + v[k] + " " + v[k + 1] + " " + v[k + 2] + "\n");
            }
            int[] t = mesh.triangles();
            for (int k = 0; k < t.length; k += 3) {
                w.write("f " + (t[k] + 1) + " " + (t[k + 1] + 1) + " " + (t[k + 2] + 1) + "\n");
            }
        }
    }

    private static void writePly(TriangleMesh mesh, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(plyBytes(mesh));
        }
    }

    /** The mesh as a binary little-endian PLY file's bytes (vertices as doubles, faces as int triples). */
    public static byte[] plyBytes(TriangleMesh mesh) {
        byte[] header = ("ply\nformat binary_little_endian 1.0\nelement vertex " + mesh.vertexCount()
                + "\nproperty double x\nproperty double y\nproperty double z\nelement face " + mesh.triangleCount()
                + "\nproperty list uchar int vertex_indices\nend_header\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(header.length + 24 * mesh.vertexCount() + 13 * mesh.triangleCount())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (double x : mesh.vertices()) {
            b.putDouble(x);
        }
        int[] t = mesh.triangles();
        for (int k = 0; k < t.length; k += 3) {
            b.put((byte) 3).putInt(t[k]).putInt(t[k + 1]).putInt(t[k + 2]);
        }
        return b.array();
    }
}
