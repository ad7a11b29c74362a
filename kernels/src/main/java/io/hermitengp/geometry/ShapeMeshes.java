package io.hermitengp.geometry;

/**
 * Closed, outward-oriented triangle meshes of analytic shapes: boxes (exact), and tessellated
 * spheres and tori whose vertices lie on the exact surface. For tests against analytic distances
 * and as generated sample meshes.
 */
public final class ShapeMeshes {
    private ShapeMeshes() {
    }

    /** The box {@code [lo, hi]}: 8 vertices, 12 triangles. */
    public static TriangleMesh box(double[] lo, double[] hi) {
        double[] v = new double[24];
        for (int k = 0; k < 8; k++) {
            v[3 * k] = (k & 1) == 0 ? lo[0] : hi[0];
            v[3 * k + 1] = (k & 2) == 0 ? lo[1] : hi[1];
            v[3 * k + 2] = (k & 4) == 0 ? lo[2] : hi[2];
        }
        int[] t = {
            0, 2, 1, 1, 2, 3,   // z = lo
            4, 5, 6, 5, 7, 6,   // z = hi
            0, 1, 4, 1, 5, 4,   // y = lo
            2, 6, 3, 3, 6, 7,   // y = hi
            0, 4, 2, 2, 4, 6,   // x = lo
            1, 3, 5, 3, 7, 5};  // x = hi
        return new TriangleMesh("box", v, t, 0);
    }

    /** A latitude-longitude sphere of the given radius about the origin. */
    public static TriangleMesh sphere(double radius, int rings, int segments) {
        int n = 2 + (rings - 1) * segments;
        double[] v = new double[3 * n];
        v[2] = radius;                 // north pole, vertex 0
        v[3 * (n - 1) + 2] = -radius;  // south pole, vertex n-1
        for (int r = 1; r < rings; r++) {
            double theta = Math.PI * r / rings;
            for (int s = 0; s < segments; s++) {
                double phi = 2 * Math.PI * s / segments;
                int k = 1 + (r - 1) * segments + s;
                v[3 * k] = radius * Math.sin(theta) * Math.cos(phi);
                v[3 * k + 1] = radius * Math.sin(theta) * Math.sin(phi);
                v[3 * k + 2] = radius * Math.cos(theta);
            }
        }
        int[] t = new int[3 * 2 * segments * (rings - 1)];
        int c = 0;
        for (int s = 0; s < segments; s++) {
            int s1 = (s + 1) % segments;
            t[c++] = 0;
            t[c++] = 1 + s;
            t[c++] = 1 + s1;
            int last = 1 + (rings - 2) * segments;
            t[c++] = n - 1;
            t[c++] = last + s1;
            t[c++] = last + s;
        }
        for (int r = 1; r < rings - 1; r++) {
            for (int s = 0; s < segments; s++) {
                int s1 = (s + 1) % segments;
                int a = 1 + (r - 1) * segments + s;
                int b = 1 + (r - 1) * segments + s1;
                int d = 1 + r * segments + s;
                int e = 1 + r * segments + s1;
                t[c++] = a;
                t[c++] = d;
                t[c++] = e;
                t[c++] = a;
                t[c++] = e;
                t[c++] = b;
            }
        }
        return new TriangleMesh("sphere", v, t, 0);
    }

    /** A torus about the z axis: major radius R, minor radius r. */
    public static TriangleMesh torus(double major, double minor, int around, int tube) {
        double[] v = new double[3 * around * tube];
        for (int i = 0; i < around; i++) {
            double u = 2 * Math.PI * i / around;
            for (int j = 0; j < tube; j++) {
                double w = 2 * Math.PI * j / tube;
                int k = i * tube + j;
                v[3 * k] = (major + minor * Math.cos(w)) * Math.cos(u);
                v[3 * k + 1] = (major + minor * Math.cos(w)) * Math.sin(u);
                v[3 * k + 2] = minor * Math.sin(w);
            }
        }
        int[] t = new int[6 * around * tube];
        int c = 0;
        for (int i = 0; i < around; i++) {
            int i1 = (i + 1) % around;
            for (int j = 0; j < tube; j++) {
                int j1 = (j + 1) % tube;
                int a = i * tube + j;
                int b = i1 * tube + j;
                int d = i1 * tube + j1;
                int e = i * tube + j1;
                t[c++] = a;
                t[c++] = b;
                t[c++] = d;
                t[c++] = a;
                t[c++] = d;
                t[c++] = e;
            }
        }
        return new TriangleMesh("torus", v, t, 0);
    }
}
