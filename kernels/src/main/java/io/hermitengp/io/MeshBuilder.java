package io.hermitengp.io;

import io.hermitengp.geometry.TriangleGeometry;
import io.hermitengp.geometry.TriangleMesh;

import java.util.Arrays;

/**
 * Collects vertices and polygons while a reader parses a file, triangulates polygons as fans
 * (v0, v_i, v_i+1), and validates the result: finite coordinates, face indices in range, at least
 * one triangle. Zero-area triangles are kept and counted.
 */
final class MeshBuilder {
    private final String source;
    private double[] vertices = new double[3 * 1024];
    private int vertexCount;
    private int[] triangles = new int[3 * 1024];
    private int triangleCount;

    MeshBuilder(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void vertex(double x, double y, double z) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
            throw new MeshFormatException(source, "vertex " + vertexCount + " has a non-finite coordinate ("
                    + x + ", " + y + ", " + z + ")");
        }
        if (3 * vertexCount + 3 > vertices.length) {
            vertices = Arrays.copyOf(vertices, vertices.length * 2);
        }
        vertices[3 * vertexCount] = x;
        vertices[3 * vertexCount + 1] = y;
        vertices[3 * vertexCount + 2] = z;
        vertexCount++;
    }

    int vertexCount() {
        return vertexCount;
    }

    /** A polygon of 0-based vertex indices; checked against the vertices read so far (or in {@link #build}). */
    void polygon(int face, int[] indices, int count) {
        if (count < 3) {
            throw new MeshFormatException(source, "face " + face + " has " + count + " vertices; a face needs at least 3");
        }
        for (int i = 1; i + 1 < count; i++) {
            if (3 * triangleCount + 3 > triangles.length) {
                triangles = Arrays.copyOf(triangles, triangles.length * 2);
            }
            triangles[3 * triangleCount] = indices[0];
            triangles[3 * triangleCount + 1] = indices[i];
            triangles[3 * triangleCount + 2] = indices[i + 1];
            triangleCount++;
        }
    }

    TriangleMesh build() {
        if (vertexCount == 0 || triangleCount == 0) {
            throw new MeshFormatException(source, "empty mesh (" + vertexCount + " vertices, " + triangleCount
                    + " triangles)");
        }
        int degenerate = 0;
        for (int t = 0; t < triangleCount; t++) {
            for (int k = 0; k < 3; k++) {
                int v = triangles[3 * t + k];
                if (v < 0 || v >= vertexCount) {
                    throw new MeshFormatException(source, "triangle " + t + " refers to vertex " + v
                            + ", outside 0.." + (vertexCount - 1));
                }
            }
            if (area2(triangles[3 * t], triangles[3 * t + 1], triangles[3 * t + 2]) == 0) {
                degenerate++;
            }
        }
        return new TriangleMesh(source, Arrays.copyOf(vertices, 3 * vertexCount),
                Arrays.copyOf(triangles, 3 * triangleCount), degenerate);
    }

    /** Squared norm of the cross product (zero for a degenerate triangle). */
    private double area2(int a, int b, int c) {
        double[] n = TriangleGeometry.cross(vertices, a, b, c);
        return n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
    }
}
