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

/** Writes triangle meshes as OBJ (text), binary little-endian PLY or binary STL, by the file extension. */
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
        } else if (name.endsWith(".stl")) {
            Files.write(file, stlBytes(mesh));
        } else {
            throw new IllegalArgumentException(file + ": unknown mesh format; write .obj, .ply or .stl");
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

    /**
     * The mesh as a binary STL file's bytes: an 80-byte header, the little-endian triangle count,
     * then per triangle its unit normal (zero for a degenerate one) and corners as float32, and a
     * zero attribute word. STL keeps no shared vertices; readers weld equal corners again.
     */
    public static byte[] stlBytes(TriangleMesh mesh) {
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * mesh.triangleCount()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] header = new byte[80];
        byte[] title = ("binary STL, " + mesh.triangleCount() + " triangles").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(title, 0, header, 0, Math.min(title.length, header.length));
        b.put(header).putInt(mesh.triangleCount());
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        for (int k = 0; k < mesh.triangleCount(); k++) {
            double[] n = io.hermitengp.geometry.SurfaceSampler.unitNormal(mesh, k);
            b.putFloat((float) n[0]).putFloat((float) n[1]).putFloat((float) n[2]);
            for (int c = 0; c < 3; c++) {
                int i = 3 * t[3 * k + c];
                b.putFloat((float) v[i]).putFloat((float) v[i + 1]).putFloat((float) v[i + 2]);
            }
            b.putShort((short) 0);
        }
        return b.array();
    }
}
