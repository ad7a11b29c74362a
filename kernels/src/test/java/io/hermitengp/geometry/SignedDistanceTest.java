package io.hermitengp.geometry;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distance and sign against analytic shapes, and the BVH against brute force. */
class SignedDistanceTest {

    /** Exact signed distance of the box [lo, hi]. */
    private static double boxDistance(double[] lo, double[] hi, double[] p) {
        double outside = 0;
        double inside = -Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double d = Math.max(lo[i] - p[i], p[i] - hi[i]);
            outside += Math.max(d, 0) * Math.max(d, 0);
            inside = Math.max(inside, d);
        }
        return inside > 0 ? Math.sqrt(outside) : inside;
    }

    @Test
    void boxDistanceSignAndGradientAreExact() {
        double[] lo = {-1, -0.5, 0};
        double[] hi = {1, 0.5, 2};
        SignedDistance sdf = new SignedDistance(ShapeMeshes.box(lo, hi));
        SplittableRandom random = new SplittableRandom(1);
        double[] out = new double[4];
        for (int trial = 0; trial < 300; trial++) {
            double[] p = {-2 + 4 * random.nextDouble(), -1.5 + 3 * random.nextDouble(), -1 + 4 * random.nextDouble()};
            sdf.at(p[0], p[1], p[2], out);
            assertEquals(boxDistance(lo, hi, p), out[0], 1e-12, "signed distance at " + Arrays.toString(p));
            double h = 1e-6;
            for (int i = 0; i < 3; i++) {
                double[] a = p.clone();
                double[] b = p.clone();
                a[i] += h;
                b[i] -= h;
                double fd = (boxDistance(lo, hi, a) - boxDistance(lo, hi, b)) / (2 * h);
                assertEquals(fd, out[1 + i], 1e-5, "distance gradient " + i + " at " + Arrays.toString(p));
            }
        }
    }

    @Test
    void sphereAndTorusMatchTheirAnalyticDistanceWithinTessellationError() {
        SplittableRandom random = new SplittableRandom(2);
        double[] out = new double[4];
        SignedDistance sphere = new SignedDistance(ShapeMeshes.sphere(1.0, 64, 128));
        SignedDistance torus = new SignedDistance(ShapeMeshes.torus(1.0, 0.35, 128, 64));
        for (int trial = 0; trial < 300; trial++) {
            double[] p = {-1.6 + 3.2 * random.nextDouble(), -1.6 + 3.2 * random.nextDouble(), -1.6 + 3.2 * random.nextDouble()};
            double r = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            sphere.at(p[0], p[1], p[2], out);
            assertEquals(r - 1, out[0], 2e-3, "sphere at " + Arrays.toString(p));
            double ring = Math.hypot(Math.hypot(p[0], p[1]) - 1.0, p[2]) - 0.35;
            torus.at(p[0], p[1], p[2], out);
            assertEquals(ring, out[0], 2e-3, "torus at " + Arrays.toString(p));
        }
    }

    @Test
    void bvhAgreesWithBruteForce() {
        TriangleMesh mesh = ShapeMeshes.torus(1.0, 0.3, 40, 20);
        TriangleBvh bvh = new TriangleBvh(mesh);
        SplittableRandom random = new SplittableRandom(3);
        double[] point = new double[3];
        for (int trial = 0; trial < 500; trial++) {
            double px = -2 + 4 * random.nextDouble();
            double py = -2 + 4 * random.nextDouble();
            double pz = -1 + 2 * random.nextDouble();
            double best = Double.MAX_VALUE;
            for (int t = 0; t < mesh.triangleCount(); t++) {
                bvh.closestOnTriangle(t, px, py, pz, point);
                best = Math.min(best, Math.hypot(Math.hypot(point[0] - px, point[1] - py), point[2] - pz));
            }
            assertEquals(best, bvh.closest(px, py, pz).distance(), 1e-12, "query " + trial);
        }
    }

    @Test
    void aSearchWithinARadiusFindsExactlyThePointsCloserThanIt() {
        SignedDistance torus = new SignedDistance(ShapeMeshes.torus(1.0, 0.3, 40, 20));
        SplittableRandom random = new SplittableRandom(4);
        double radius = 0.1;
        double[] full = new double[4];
        double[] near = new double[4];
        int within = 0;
        for (int trial = 0; trial < 2000; trial++) {
            double px = -1.5 + 3 * random.nextDouble();
            double py = -1.5 + 3 * random.nextDouble();
            double pz = -0.5 + random.nextDouble();
            torus.at(px, py, pz, full);
            Arrays.fill(near, 7.0);
            boolean found = torus.within(px, py, pz, radius, near);
            assertEquals(Math.abs(full[0]) < radius, found, "within " + radius + " at distance " + full[0]);
            if (found) {
                assertArrayEquals(full, near, 1e-15, "same distance and gradient as the full search");
                within++;
            } else {
                assertArrayEquals(new double[]{7, 7, 7, 7}, near, 0.0, "a far point leaves the output alone");
                assertEquals(null, torus.bvh().closestWithin(px, py, pz, radius), "no triangle within the radius");
            }
        }
        assertTrue(within > 100 && within < 1900, "both kinds of point were tried: " + within + " within");
    }

    @Test
    void windingNumberIsOneInsideZeroOutsideAndSurvivesAHole() {
        TriangleMesh closed = ShapeMeshes.sphere(1.0, 24, 48);
        WindingNumber w = new WindingNumber(closed);
        assertEquals(1.0, w.at(0.1, -0.2, 0.3), 1e-9);
        assertEquals(0.0, w.at(1.5, 0.2, 0.3), 1e-9);
        // cut the cap around the south pole away: a scanned mesh's hole
        int keep = closed.triangles().length - 3 * 48;
        int[] open = new int[keep];
        int c = 0;
        for (int k = 0; k < closed.triangles().length; k += 3) {
            boolean southCap = closed.triangles()[k] == closed.vertexCount() - 1;
            if (!southCap && c < keep) {
                System.arraycopy(closed.triangles(), k, open, c, 3);
                c += 3;
            }
        }
        WindingNumber holed = new WindingNumber(new TriangleMesh("holed", closed.vertices(), Arrays.copyOf(open, c), 0));
        assertTrue(holed.inside(0, 0, 0.5), "well inside despite the hole: " + holed.at(0, 0, 0.5));
        assertTrue(!holed.inside(0, 0, 1.5), "outside above: " + holed.at(0, 0, 1.5));
        assertTrue(!holed.inside(0, 0, -1.5), "outside below the hole: " + holed.at(0, 0, -1.5));
    }
}
