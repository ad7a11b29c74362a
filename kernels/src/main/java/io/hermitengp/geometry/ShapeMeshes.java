package io.hermitengp.geometry;

/**
 * Closed, outward-oriented triangle meshes of analytic shapes: boxes and boxes with a square hole
 * (exact), and tessellated spheres, superquadrics and tori whose vertices lie on the exact
 * surface. For tests against analytic distances and as generated sample meshes.
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

    /**
     * A superquadric about the origin with semi-axes (a, b, c) and exponents (e1, e2): the
     * latitude-longitude sphere's vertex at polar angle theta and azimuth phi moved to
     * {@code (a S(sin theta, e1) S(cos phi, e2), b S(sin theta, e1) S(sin phi, e2), c S(cos theta, e1))},
     * {@code S(t, e) = sign(t) |t|^e}. e = 1 is an ellipsoid; below 1 it tends to a box (e1, e2
     * near 0.1) or a cylinder (e1 small, e2 = 1); above 1 it pinches towards an octahedron (2) and a
     * star. Each coordinate keeps its sign, so the sphere's outward orientation carries over.
     */
    public static TriangleMesh superquadric(double a, double b, double c, double e1, double e2, int rings,
                                            int segments) {
        TriangleMesh unit = sphere(1, rings, segments);
        double[] v = unit.vertices().clone();
        for (int k = 0; k < v.length; k += 3) {
            double theta = Math.acos(Math.max(-1, Math.min(1, v[k + 2])));
            double phi = Math.atan2(v[k + 1], v[k]);
            double sinTheta = Math.sin(theta);
            v[k] = a * signedPower(sinTheta, e1) * signedPower(Math.cos(phi), e2);
            v[k + 1] = b * signedPower(sinTheta, e1) * signedPower(Math.sin(phi), e2);
            v[k + 2] = c * signedPower(Math.cos(theta), e1);
        }
        return new TriangleMesh("superquadric", v, unit.triangles(), 0);
    }

    private static double signedPower(double t, double e) {
        return Math.signum(t) * Math.pow(Math.abs(t), e);
    }

    /**
     * A box with a square hole through it along z (genus 1): the square annulus between
     * {@code |x|, |y| <= outer} and {@code |x|, |y| < inner}, extruded over {@code |z| <= halfHeight}.
     * 16 vertices, 32 triangles; outward orientation (the inner walls face the hole).
     */
    public static TriangleMesh squareRing(double outer, double inner, double halfHeight) {
        if (!(inner > 0 && inner < outer && halfHeight > 0)) {
            throw new IllegalArgumentException("a square ring needs 0 < inner < outer and a positive height, got "
                    + inner + ", " + outer + ", " + halfHeight);
        }
        // corners counterclockwise seen from +z; vertex index: 8 * (inner ? 1 : 0) + 4 * (top ? 1 : 0) + corner
        double[][] corner = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
        double[] v = new double[3 * 16];
        for (int ring = 0; ring < 2; ring++) {
            double r = ring == 0 ? outer : inner;
            for (int top = 0; top < 2; top++) {
                for (int k = 0; k < 4; k++) {
                    int i = 8 * ring + 4 * top + k;
                    v[3 * i] = r * corner[k][0];
                    v[3 * i + 1] = r * corner[k][1];
                    v[3 * i + 2] = top == 0 ? -halfHeight : halfHeight;
                }
            }
        }
        int[] t = new int[3 * 32];
        int c = 0;
        for (int k = 0; k < 4; k++) {
            int k1 = (k + 1) % 4;
            int ob = k, ob1 = k1, ot = 4 + k, ot1 = 4 + k1, ib = 8 + k, ib1 = 8 + k1, it = 12 + k, it1 = 12 + k1;
            c = quad(t, c, ot, ot1, it1, it);     // top, +z
            c = quad(t, c, ob1, ob, ib, ib1);     // bottom, -z
            c = quad(t, c, ob, ob1, ot1, ot);     // outer wall, away from the axis
            c = quad(t, c, ib1, ib, it, it1);     // inner wall, towards the axis
        }
        return new TriangleMesh("square-ring", v, t, 0);
    }

    /** Triangles (a, b, c) and (a, c, d) of a quad listed counterclockwise seen from outside. */
    private static int quad(int[] t, int at, int a, int b, int c, int d) {
        int[] both = {a, b, c, a, c, d};
        System.arraycopy(both, 0, t, at, 6);
        return at + 6;
    }
}
