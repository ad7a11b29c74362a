package io.hermitengp.geometry;

/**
 * A triangle mesh as read from a file: vertex coordinates {@code (n, 3)} row-major and triangles
 * {@code (m, 3)} of vertex indices, validated (finite coordinates, indices in range, not empty).
 *
 * @param source               where it came from (a file name), for messages
 * @param degenerateTriangles  triangles with zero area (repeated or collinear vertices), kept but counted
 */
public record TriangleMesh(String source, double[] vertices, int[] triangles, int degenerateTriangles) {

    public int vertexCount() {
        return vertices.length / 3;
    }

    public int triangleCount() {
        return triangles.length / 3;
    }

    /** The smallest box holding every vertex. */
    public Box bounds() {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int v = 0; v < vertexCount(); v++) {
            for (int i = 0; i < 3; i++) {
                lo[i] = Math.min(lo[i], vertices[3 * v + i]);
                hi[i] = Math.max(hi[i], vertices[3 * v + i]);
            }
        }
        for (int i = 0; i < 3; i++) {
            if (!(hi[i] > lo[i])) {
                hi[i] = lo[i] + 1e-12;
            }
        }
        return new Box(lo, hi);
    }
}
