package io.hermitengp.problem;

import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Lattice points with endpoints, first axis fastest, slices and chunked walks. */
class UniformLatticeTest {

    @Test
    void pointsIncludeBothEndsFirstAxisFastest() {
        UniformLattice lattice = UniformLattice.over(new Box(new double[]{0, -1}, new double[]{1, 1}), 3, 2);
        assertEquals(6, lattice.size());
        double[] p = new double[2];
        double[][] expected = {{0, -1}, {0.5, -1}, {1, -1}, {0, 1}, {0.5, 1}, {1, 1}};
        for (int k = 0; k < 6; k++) {
            lattice.point(k, p, 0);
            assertArrayEquals(expected[k], p, 0.0, "point " + k);
        }
    }

    @Test
    void aSliceHoldsItsAxisAtOneValue() {
        UniformLattice slice = UniformLattice.over(Box.cube(3, 0, 2), 3, 3, 5).slice(2, 0.5);
        assertEquals(9, slice.size());
        double[] p = new double[3];
        slice.point(8, p, 0);
        assertArrayEquals(new double[]{2, 2, 0.5}, p, 0.0);
    }

    @Test
    void chunksVisitEveryPointOnceInOrder() {
        UniformLattice lattice = UniformLattice.over(Box.cube(2, 0, 1), 7, 5);
        List<double[]> seen = new ArrayList<>();
        List<Long> firsts = new ArrayList<>();
        lattice.forEachChunk(4, (points, n, first) -> {
            firsts.add(first);
            for (int q = 0; q < n; q++) {
                seen.add(new double[]{points[2 * q], points[2 * q + 1]});
            }
        });
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L, 20L, 24L, 28L, 32L), firsts);
        assertEquals(35, seen.size());
        double[] p = new double[2];
        for (int k = 0; k < 35; k++) {
            lattice.point(k, p, 0);
            assertArrayEquals(p, seen.get(k), 0.0, "point " + k);
        }
    }

    @Test
    void malformedLatticesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UniformLattice(new double[]{0}, new double[]{1},
                new int[]{1}), "one point needs lo = hi");
        assertThrows(IllegalArgumentException.class, () -> new UniformLattice(new double[]{1}, new double[]{1},
                new int[]{2}), "two points need lo < hi");
        assertThrows(IllegalArgumentException.class, () -> UniformLattice.over(Box.cube(2, 0, 1), 4),
                "one count per axis");
        assertThrows(IllegalArgumentException.class, () -> UniformLattice.over(Box.cube(2, 0, 1), 4, 1),
                "a lattice spanning a box has both ends");
    }
}
