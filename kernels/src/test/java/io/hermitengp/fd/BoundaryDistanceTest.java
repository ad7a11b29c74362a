package io.hermitengp.fd;

import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The separable distance transform against the nearest boundary node found by brute force. */
class BoundaryDistanceTest {

    @Test
    void squaredDistancesAreExactAgainstBruteForce() {
        int n = 13;
        Lattice lattice = new Lattice(Box.cube(3, 0, 1), n);
        SplittableRandom random = new SplittableRandom(4);
        double[] values = new double[lattice.nodes()];
        for (int p = 0; p < values.length; p++) {
            // a sparse scatter of boundary nodes: long runs of free nodes along every axis
            values[p] = random.nextDouble() < 0.01 ? Double.NaN : 0.5;
        }
        values[lattice.index(6, 6, 6)] = Double.NaN;
        float[] d2 = BoundaryDistance.squared(new LaplaceSolution(lattice, values, 0, 0, true));
        for (int p = 0; p < values.length; p++) {
            int[] a = {p % n, p / n % n, p / (n * n)};
            long best = Long.MAX_VALUE;
            for (int q = 0; q < values.length; q++) {
                if (Double.isNaN(values[q])) {
                    long dx = a[0] - q % n, dy = a[1] - q / n % n, dz = a[2] - q / (n * n);
                    best = Math.min(best, dx * dx + dy * dy + dz * dz);
                }
            }
            assertEquals(best, (long) d2[p], "squared distance at node " + p);
        }
    }
}
