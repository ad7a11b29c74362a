package io.hermitengp.geometry;

/** Arithmetic on one triangle of a vertex array {@code (n, 3)} row-major. */
public final class TriangleGeometry {
    private TriangleGeometry() {
    }

    /** {@code (b - a) x (c - a)} for vertex indices a, b, c: twice the area, along the right-handed normal. */
    public static double[] cross(double[] vertices, int a, int b, int c) {
        double ux = vertices[3 * b] - vertices[3 * a];
        double uy = vertices[3 * b + 1] - vertices[3 * a + 1];
        double uz = vertices[3 * b + 2] - vertices[3 * a + 2];
        double vx = vertices[3 * c] - vertices[3 * a];
        double vy = vertices[3 * c + 1] - vertices[3 * a + 1];
        double vz = vertices[3 * c + 2] - vertices[3 * a + 2];
        return new double[]{uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
    }
}
