package io.hermitengp.geometry;

/**
 * The generalized winding number of a triangle mesh (Jacobson et al. 2013):
 * {@code w(p) = (1 / 4 pi) sum_t Omega_t(p)}, with {@code Omega_t} the signed solid angle of
 * triangle t seen from p (Van Oosterom and Strackee):
 * {@code tan(Omega/2) = a . (b x c) / (|a||b||c| + (a.b)|c| + (a.c)|b| + (b.c)|a|)}, a, b, c the
 * corners relative to p. w is 1 inside and 0 outside a closed, outward-oriented mesh and degrades
 * gracefully across holes (a scanned bunny's open bottom), so {@code w > 1/2} decides the sign of
 * the distance. Exact summation over all triangles: O(triangles) per query; {@link FastWindingNumber} is the
 * hierarchical version used for sampling.
 */
public final class WindingNumber {
    private final TriangleMesh mesh;

    public WindingNumber(TriangleMesh mesh) {
        this.mesh = mesh;
    }

    public double at(double px, double py, double pz) {
        double sum = 0;
        for (int t = 0; t < mesh.triangleCount(); t++) {
            sum += solidAngle(mesh, t, px, py, pz);
        }
        return sum / (4 * Math.PI);
    }

    /** The signed solid angle of triangle t seen from p (Van Oosterom and Strackee). */
    static double solidAngle(TriangleMesh mesh, int triangle, double px, double py, double pz) {
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        int ia = 3 * t[3 * triangle];
        int ib = 3 * t[3 * triangle + 1];
        int ic = 3 * t[3 * triangle + 2];
        double ax = v[ia] - px, ay = v[ia + 1] - py, az = v[ia + 2] - pz;
        double bx = v[ib] - px, by = v[ib + 1] - py, bz = v[ib + 2] - pz;
        double cx = v[ic] - px, cy = v[ic + 1] - py, cz = v[ic + 2] - pz;
        double la = Math.sqrt(ax * ax + ay * ay + az * az);
        double lb = Math.sqrt(bx * bx + by * by + bz * bz);
        double lc = Math.sqrt(cx * cx + cy * cy + cz * cz);
        double det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        double denominator = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (ax * cx + ay * cy + az * cz) * lb
                + (bx * cx + by * cy + bz * cz) * la;
        return 2 * Math.atan2(det, denominator);
    }

    /** Whether p is inside: winding number above one half. */
    public boolean inside(double px, double py, double pz) {
        return at(px, py, pz) > 0.5;
    }
}
