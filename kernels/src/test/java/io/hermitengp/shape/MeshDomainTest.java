package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SignedDistance;
import io.hermitengp.problem.UniformLattice;
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

    /**
     * The band walk against the plain query of every lattice point: the same points in lattice
     * order, the same bits, on 1 and 2 threads. The lattice's counts are no multiples of the
     * block, and a layer (150 x 130 points) spans two chunks; batches of 97 cut runs anywhere.
     */
    @Test
    void forEachWithinGivesEveryLatticePointWithinTheRadiusInLatticeOrderWithTheSameBits() {
        UniformLattice lattice = new UniformLattice(new double[]{-0.9, -0.8, -0.1}, new double[]{0.85, 0.9, 0.2},
                new int[]{150, 130, 7});
        double radius = 0.03;
        int total = (int) lattice.size();
        double[] all = new double[3 * total];
        for (int p = 0; p < total; p++) {
            lattice.point(p, all, 3 * p);
        }
        MeshDomain one = MeshDomain.load(bundled("bunny.obj"), BOX, 0.1, 1);
        MeshDomain two = MeshDomain.load(bundled("bunny.obj"), BOX, 0.1, 2);
        double[] distances = new double[4 * total];
        boolean[] within = one.signedDistancesWithin(all, total, radius, distances);
        for (MeshDomain domain : new MeshDomain[]{one, two}) {
            int[] next = {0};
            int[] batches = {0};
            domain.forEachWithin(lattice, radius, 97, (points, exact, m) -> {
                assertTrue(m >= 1 && m <= 97, "batch of " + m);
                batches[0]++;
                for (int q = 0; q < m; q++) {
                    while (next[0] < total && !within[next[0]]) {
                        next[0]++;
                    }
                    int p = next[0]++;
                    assertTrue(p < total, "more points than the lattice has within the radius");
                    for (int k = 0; k < 3; k++) {
                        assertEquals(all[3 * p + k], points[3 * q + k], 0.0, "point " + p + " coordinate " + k);
                    }
                    for (int k = 0; k < 4; k++) {
                        assertEquals(distances[4 * p + k], exact[4 * q + k], 0.0, "point " + p + " component " + k);
                    }
                }
            });
            while (next[0] < total && !within[next[0]]) {
                next[0]++;
            }
            assertEquals(total, next[0], domain.threads() + " threads: a lattice point within the radius was missed");
            assertTrue(batches[0] > 10, batches[0] + " batches");
        }
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
