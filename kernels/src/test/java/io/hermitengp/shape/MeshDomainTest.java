package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SignedDistance;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch queries on a bounded pool of the domain's threads give the same bits for any thread count. */
class MeshDomainTest {
    private static final Box BOX = Box.cube(3, -1, 1);

    private static Path bundled(String name) {
        try {
            return Path.of(MeshDomainTest.class.getResource("/meshes/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** n points uniform in the box, (n, 3) row-major: more than one task's worth for every pool. */
    private static double[] points(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[3 * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = -1 + 2 * rng.nextDouble();
        }
        return p;
    }

    @Test
    void signedDistancesAreTheSameBitsOnOneAndTwoThreadsAndEqualThePointByPointReference() {
        MeshDomain one = MeshDomain.load(bundled("bunny.obj"), BOX, 0.1, 1);
        MeshDomain two = MeshDomain.load(bundled("bunny.obj"), BOX, 0.1, 2);
        assertEquals(1, one.threads());
        assertEquals(2, two.threads());
        int n = 2000;
        double[] x = points(n, 4);
        double[] first = new double[4 * n];
        double[] second = new double[4 * n];
        one.signedDistances(x, n, first);
        two.signedDistances(x, n, second);
        assertArrayEquals(first, second, "(d, grad d) at " + n + " points, 1 vs 2 threads");

        SignedDistance reference = new SignedDistance(one.mesh());
        double[] expected = new double[4];
        int negative = 0;
        for (int p = 0; p < n; p++) {
            reference.at(x[3 * p], x[3 * p + 1], x[3 * p + 2], expected);
            for (int k = 0; k < 4; k++) {
                assertEquals(expected[k], second[4 * p + k], 0.0, "point " + p + " component " + k);
            }
            negative += expected[0] < 0 ? 1 : 0;
        }
        assertTrue(negative > 0 && negative < n, "points on both sides of the surface: " + negative + " inside");
    }

    @Test
    void insideIsTheSameOnOneAndTwoThreadsAndAgreesWithTheDistanceSign() {
        MeshDomain one = MeshDomain.load(bundled("torus.ply"), BOX, 0.1, 1);
        MeshDomain two = MeshDomain.load(bundled("torus.ply"), BOX, 0.1, 2);
        int n = 3000;
        double[] x = points(n, 9);
        boolean[] first = one.inside(x, n);
        boolean[] second = two.inside(x, n);
        double[] distances = new double[4 * n];
        two.signedDistances(x, n, distances);
        int in = 0;
        for (int p = 0; p < n; p++) {
            assertEquals(first[p], second[p], "point " + p + ", 1 vs 2 threads");
            assertEquals(distances[4 * p] < 0, second[p],
                    "point " + p + ": inside iff the signed distance is negative");
            in += second[p] ? 1 : 0;
        }
        assertTrue(in > 0 && in < n, in + " of " + n + " points inside the torus");
    }

    @Test
    void theThreeArgumentFormsUseEveryCoreAndAThreadCountBelowOneIsRefused() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, MeshDomain.load(bundled("box.obj"), BOX, 0.1).threads());
        MeshDomain box = MeshDomain.load(bundled("box.obj"), BOX, 0.1, 3);
        assertEquals(cores, new MeshDomain(box.original(), BOX, 0.1).threads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeshDomain(box.original(), BOX, 0.1, 0));
        assertTrue(e.getMessage().contains("threads must be >= 1, got 0"), e.getMessage());
    }
}
