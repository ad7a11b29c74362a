package io.hermitengp.geometry;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TriangleBvh#firstHit} against a brute-force intersection of the segment with every triangle. */
class TriangleBvhSegmentTest {

    /** Smallest t in [0, 1] where a + t (b - a) lies on a triangle: plane crossing, then same-side tests. */
    private static double bruteForce(TriangleMesh mesh, double[] a, double[] b) {
        double best = Double.NaN;
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        double[] d = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
        for (int tri = 0; tri < mesh.triangleCount(); tri++) {
            double[][] c = new double[3][3];
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < 3; i++) {
                    c[k][i] = v[3 * t[3 * tri + k] + i];
                }
            }
            double[] normal = cross(minus(c[1], c[0]), minus(c[2], c[0]));
            double denominator = dot(normal, d);
            if (denominator == 0) {
                continue;
            }
            double s = dot(normal, minus(c[0], a)) / denominator;
            if (s < 0 || s > 1) {
                continue;
            }
            double[] x = {a[0] + s * d[0], a[1] + s * d[1], a[2] + s * d[2]};
            boolean inside = true;
            for (int k = 0; k < 3; k++) {
                double side = dot(normal, cross(minus(c[(k + 1) % 3], c[k]), minus(x, c[k])));
                inside &= side >= -1e-12 * dot(normal, normal);
            }
            if (inside && (Double.isNaN(best) || s < best)) {
                best = s;
            }
        }
        return best;
    }

    private static double[] minus(double[] p, double[] q) {
        return new double[]{p[0] - q[0], p[1] - q[1], p[2] - q[2]};
    }

    private static double[] cross(double[] p, double[] q) {
        return new double[]{p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]};
    }

    private static double dot(double[] p, double[] q) {
        return p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
    }

    @Test
    void firstHitIsTheNearestTriangleAlongTheSegment() {
        TriangleMesh torus = ShapeMeshes.torus(1.0, 0.4, 40, 20);
        TriangleBvh bvh = new TriangleBvh(torus);
        SplittableRandom random = new SplittableRandom(5);
        int hits = 0;
        int misses = 0;
        for (int trial = 0; trial < 3000; trial++) {
            double[] a = new double[3];
            double[] b = new double[3];
            for (int i = 0; i < 3; i++) {
                a[i] = -1.6 + 3.2 * random.nextDouble();
                b[i] = a[i] + (random.nextDouble() - 0.5) * (trial % 2 == 0 ? 0.3 : 2.0);
            }
            double expected = bruteForce(torus, a, b);
            double actual = bvh.firstHit(a[0], a[1], a[2], b[0], b[1], b[2]);
            if (Double.isNaN(expected)) {
                misses++;
                assertTrue(Double.isNaN(actual), "segment " + trial + " misses every triangle, firstHit says " + actual);
            } else {
                hits++;
                assertEquals(expected, actual, 1e-9, "segment " + trial);
            }
        }
        assertTrue(hits > 300 && misses > 300, "both kinds of segment tried: " + hits + " hits, " + misses + " misses");
    }

    @Test
    void aSegmentIntoASphereHitsItWithinItsTessellation() {
        double radius = 1.0;
        TriangleBvh bvh = new TriangleBvh(ShapeMeshes.sphere(radius, 32, 64));
        SplittableRandom random = new SplittableRandom(8);
        // a chord of the 64-gon sits at most 1 - cos(pi / 64) below the sphere
        double sag = 1 - Math.cos(Math.PI / 32);
        for (int trial = 0; trial < 500; trial++) {
            double[] direction = new double[3];
            double norm = 0;
            for (int i = 0; i < 3; i++) {
                direction[i] = random.nextDouble() - 0.5;
                norm += direction[i] * direction[i];
            }
            norm = Math.sqrt(norm);
            double[] a = new double[3];
            for (int i = 0; i < 3; i++) {
                a[i] = 1.5 * direction[i] / norm;
            }
            double t = bvh.firstHit(a[0], a[1], a[2], 0, 0, 0);
            double distanceFromCentre = 1.5 * (1 - t);
            assertTrue(distanceFromCentre <= radius + 1e-12 && distanceFromCentre >= radius - sag,
                    "trial " + trial + ": hit at distance " + distanceFromCentre + " from the centre");
        }
    }
}
