package io.hermitengp.geometry;

/**
 * Exact signed distance to a triangle mesh, negative inside: the unsigned distance and closest
 * point from a {@link TriangleBvh}, the sign from the generalized winding number ({@link FastWindingNumber}). Where the distance is
 * positive its gradient is {@code +-(p - closest)/|p - closest|}, the unit vector away from the
 * closest point (pointing outward); it is what the SDF problem supervises and measures against.
 */
public final class SignedDistance {
    private final TriangleBvh bvh;
    private final FastWindingNumber winding;

    public SignedDistance(TriangleMesh mesh) {
        this.bvh = new TriangleBvh(mesh);
        this.winding = new FastWindingNumber(bvh);
    }

    public TriangleBvh bvh() {
        return bvh;
    }

    public FastWindingNumber winding() {
        return winding;
    }

    /**
     * @param out receives the signed distance and its gradient: {@code (d, dd/dx, dd/dy, dd/dz)}
     */
    public void at(double px, double py, double pz, double[] out) {
        signed(bvh.closest(px, py, pz), px, py, pz, out);
    }

    /**
     * The signed distance and its gradient as {@link #at}, and the winding number that decided the
     * sign: how far it is from 1/2 says how sure the sign is (at a hole in an open mesh it is near
     * 1/2; an inside-out mesh gives -1 inside).
     *
     * @return the generalized winding number at p
     */
    public double atWithWinding(double px, double py, double pz, double[] out) {
        double w = winding.at(px, py, pz);
        fill(bvh.closest(px, py, pz), w > 0.5 ? -1 : 1, px, py, pz, out);
        return w;
    }

    /**
     * The signed distance and its gradient as {@link #at}, for a point closer than {@code radius}
     * to the surface; farther points cost a bounded BVH search and no winding number, and leave
     * {@code out} untouched.
     *
     * @return whether {@code |d| < radius}
     */
    public boolean within(double px, double py, double pz, double radius, double[] out) {
        TriangleBvh.Closest c = bvh.closestWithin(px, py, pz, radius);
        if (c == null || !(c.distance() < radius)) {
            return false;
        }
        signed(c, px, py, pz, out);
        return true;
    }

    private void signed(TriangleBvh.Closest c, double px, double py, double pz, double[] out) {
        fill(c, winding.inside(px, py, pz) ? -1 : 1, px, py, pz, out);
    }

    private static void fill(TriangleBvh.Closest c, double sign, double px, double py, double pz, double[] out) {
        out[0] = sign * c.distance();
        if (c.distance() > 0) {
            out[1] = sign * (px - c.x()) / c.distance();
            out[2] = sign * (py - c.y()) / c.distance();
            out[3] = sign * (pz - c.z()) / c.distance();
        } else {
            out[1] = 0;
            out[2] = 0;
            out[3] = 0;
        }
    }
}
