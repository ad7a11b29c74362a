package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a grid vertex's coefficients live, checked against the rule written out here independently
 * of the code under test: dense tables index {@code g0 + g1 (N+1) + g2 (N+1)^2}; hashed tables use
 * instant-NGP's spatial hash {@code h(g) = (XOR_i g_i pi_i) mod T}, {@code pi = (1, 2654435761,
 * 805459861)} in unsigned 32-bit arithmetic. The expected hash values written as numbers were
 * worked out separately (2654435761 = 0x9E3779B1, 805459861 = 0x30025795). Every call goes to
 * {@link HermiteEncodingMath}, the code the OpenCL kernel translates, directly or through the
 * layout and the encodings that delegate to it.
 */
class GridIndexTest {
    private static final long[] PRIMES = {1L, 2654435761L, 805459861L};

    /** instant-NGP's spatial hash, in 64-bit arithmetic reduced to 32 bits after each product. */
    private static long spatialHash(long tableSize, long... vertex) {
        long h = 0;
        for (int i = 0; i < vertex.length; i++) {
            h ^= (vertex[i] * PRIMES[i]) & 0xFFFFFFFFL;
        }
        return h % tableSize;
    }

    private static int index(int[] layoutArray, int level, int order, int... g) {
        return HermiteEncodingMath.entryIndex(layoutArray, level, order, g[0], g.length > 1 ? g[1] : 0,
                g.length > 2 ? g[2] : 0);
    }

    /**
     * 2D, F = 2, log2 table sizes 10 / 12 / 4 by order. Level 0 (N = 4, 25 vertices): orders 0 and
     * 1 dense, the order-2 table of 16 entries hashed. Level 1 (N = 40, 1681 vertices): order 0
     * (1024) hashed, order 1 (4096) dense, order 2 hashed.
     */
    private static HermiteGridLayout mixed2d() {
        return new HermiteGridLayout(2, 2, 2, 4, 40, new int[]{10, 12, 4});
    }

    @Test
    void eachOrderTableIsDenseOrHashedByItsOwnSize() {
        HermiteGridLayout layout = mixed2d();
        assertEquals(4, layout.resolution(0));
        assertEquals(40, layout.resolution(1));
        assertTrue(layout.isDense(0, 0), "level 0 order 0: 25 <= 1024");
        assertTrue(layout.isDense(0, 1), "level 0 order 1: 25 <= 4096");
        assertFalse(layout.isDense(0, 2), "level 0 order 2: 25 > 16");
        assertFalse(layout.isDense(1, 0), "level 1 order 0: 1681 > 1024");
        assertTrue(layout.isDense(1, 1), "level 1 order 1: 1681 <= 4096");
        assertFalse(layout.isDense(1, 2), "level 1 order 2: 1681 > 16");
    }

    @Test
    void denseTablesIndexVerticesAxisZeroFastest() {
        HermiteGridLayout layout = mixed2d();
        int[] packed = layout.layoutArray(0);
        // level 0, N = 4, stride 5: (2, 3) -> 2 + 5 * 3 = 17; (4, 4) -> 24, the last of 25
        assertEquals(17, index(packed, 0, 0, 2, 3));
        assertEquals(17, index(packed, 0, 1, 2, 3));
        assertEquals(24, index(packed, 0, 0, 4, 4));
        assertEquals(0, index(packed, 0, 1, 0, 0));
        // level 1, order 1, N = 40, stride 41: (7, 2) -> 7 + 41 * 2 = 89
        assertEquals(89, index(packed, 1, 1, 7, 2));
        // every vertex of a dense table by the formula, in 2D and in 3D (N = 3, stride 4)
        for (int g1 = 0; g1 <= 4; g1++) {
            for (int g0 = 0; g0 <= 4; g0++) {
                assertEquals(g0 + 5 * g1, index(packed, 0, 0, g0, g1), "vertex (" + g0 + ", " + g1 + ")");
            }
        }
        HermiteGridLayout cube = new HermiteGridLayout(3, 1, 1, 3, 3, new int[]{8, 8, 8, 8});
        int[] cubePacked = cube.layoutArray(0);
        assertEquals(1 + 4 * 2 + 16 * 3, index(cubePacked, 0, 0, 1, 2, 3));
        for (int k = 0; k <= 3; k++) {
            assertTrue(cube.isDense(0, k), "3D order " + k);
            assertEquals(57, index(cubePacked, 0, k, 1, 2, 3), "3D order " + k + " vertex (1, 2, 3)");
        }
    }

    @Test
    void hashedTablesUseTheInstantNgpSpatialHash() {
        int[] packed = mixed2d().layoutArray(0);
        // order 2 of level 0, T = 16: (2, 3) -> 2 ^ 0xDAA66D13 = 0xDAA66D11 -> 1; (4, 1) -> 0x9E3779B5 -> 5
        assertEquals(1, index(packed, 0, 2, 2, 3));
        assertEquals(5, index(packed, 0, 2, 4, 1));
        assertEquals(4, index(packed, 0, 2, 4, 0));
        // order 0 of level 1, T = 1024: (2, 3) -> 0xDAA66D11 mod 2^10 = 0x111 = 273; (7, 2) -> 0x3C6EF365 -> 869
        assertEquals(273, index(packed, 1, 0, 2, 3));
        assertEquals(869, index(packed, 1, 0, 7, 2));

        // 3D, log2 sizes 8 / 12 / 14 / 10: level 0 (N = 4, 125 vertices) dense in every table,
        // level 1 (N = 60, 226981 vertices) hashed in every table
        HermiteGridLayout cube = new HermiteGridLayout(3, 2, 1, 4, 60, new int[]{8, 12, 14, 10});
        for (int k = 0; k <= 3; k++) {
            assertTrue(cube.isDense(0, k), "3D level 0 order " + k);
            assertFalse(cube.isDense(1, k), "3D level 1 order " + k);
        }
        int[] cubePacked = cube.layoutArray(0);
        assertEquals(177, index(cubePacked, 1, 0, 0, 1, 0), "0x9E3779B1 mod 2^8");
        assertEquals(149, index(cubePacked, 1, 0, 0, 0, 1), "0x30025795 mod 2^8");
        assertEquals(37, index(cubePacked, 1, 0, 1, 1, 1), "0xAE352E25 mod 2^8");
        assertEquals(3621, index(cubePacked, 1, 1, 1, 1, 1), "0xAE352E25 mod 2^12");
        assertEquals(278, index(cubePacked, 1, 2, 12, 34, 56));
        assertEquals(11527, index(cubePacked, 1, 2, 20, 3, 0));
        assertEquals(1 + 5 * 2 + 25 * 3, index(cubePacked, 0, 2, 1, 2, 3), "the same vertex on the dense level");

        // and the formula on a sweep of vertices and every order table, 3D and 2D
        int[] logSizes = {8, 12, 14, 10};
        for (int g2 = 0; g2 <= 60; g2 += 7) {
            for (int g1 = 0; g1 <= 60; g1 += 5) {
                for (int g0 = 0; g0 <= 60; g0 += 3) {
                    for (int k = 0; k <= 3; k++) {
                        assertEquals(spatialHash(1L << logSizes[k], g0, g1, g2), index(cubePacked, 1, k, g0, g1, g2),
                                "order " + k + " vertex (" + g0 + ", " + g1 + ", " + g2 + ")");
                    }
                }
            }
        }
        for (int g1 = 0; g1 <= 40; g1++) {
            for (int g0 = 0; g0 <= 40; g0++) {
                assertEquals(spatialHash(1024, g0, g1), index(packed, 1, 0, g0, g1), "(" + g0 + ", " + g1 + ")");
                assertEquals(spatialHash(16, g0, g1), index(packed, 1, 2, g0, g1), "(" + g0 + ", " + g1 + ")");
            }
        }
    }

    @Test
    void coefficientsOfAnEntrySitByRankWithinTheirOrderTable() {
        HermiteGridLayout layout = mixed2d();
        // level 0, F = 2: order 0 at 0 (25 entries x 1 x 2), order 1 at 50 (25 x 2 x 2), order 2 at 150
        assertEquals(0, layout.tableOffset(0, 0));
        assertEquals(50, layout.tableOffset(0, 1));
        assertEquals(150, layout.tableOffset(0, 2));
        assertEquals(182, layout.levelEnd(0));
        int[] packed = layout.layoutArray(0);
        int entry = index(packed, 0, 1, 2, 3);                                        // 17
        assertEquals(34, HermiteEncodingMath.coefficientOffset(packed, 0, 0, entry));  // f
        assertEquals(118, HermiteEncodingMath.coefficientOffset(packed, 0, 1, entry)); // f_x, rank 0
        assertEquals(120, HermiteEncodingMath.coefficientOffset(packed, 0, 2, entry)); // f_y, rank 1
        assertEquals(152, HermiteEncodingMath.coefficientOffset(packed, 0, 3, index(packed, 0, 2, 2, 3))); // f_xy, entry 1
        assertEquals(152, layout.coefficientOffset(0, 3, layout.entryIndex(0, 2, new int[]{2, 3})));
        // 3D, order 2 ranks: xy (mask 3) 0, xz (mask 5) 1, yz (mask 6) 2
        HermiteGridLayout cube = new HermiteGridLayout(3, 1, 1, 3, 3, new int[]{8, 8, 8, 8});
        int order2 = cube.tableOffset(0, 2);
        int[] cubePacked = cube.layoutArray(0);
        assertEquals(order2 + 3 * 10, HermiteEncodingMath.coefficientOffset(cubePacked, 0, 3, 10));
        assertEquals(order2 + 3 * 10 + 1, HermiteEncodingMath.coefficientOffset(cubePacked, 0, 5, 10));
        assertEquals(order2 + 3 * 10 + 2, HermiteEncodingMath.coefficientOffset(cubePacked, 0, 6, 10));
    }

    @Test
    void theKernelsCornerLookupUsesTheSameRule() {
        HermiteHashEncoding encoding = new HermiteHashEncoding(mixed2d(), Box.cube(2, 0, 1), CoefficientUnits.CELL);
        int[] packed = encoding.layoutArray();
        double[] geometry = encoding.geometryArray();
        double[] x = {0.55, 0.8};   // level 0: p = (2.2, 3.2), cell (2, 3)
        // corner bits (axis 0, axis 1): 0 -> (2, 3), 1 -> (3, 3), 3 -> (3, 4)
        assertEquals(17, HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 0, 0));
        assertEquals(18, HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 1, 1));
        assertEquals(23, HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 0, 3));
        assertEquals(1, HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 2, 0));
        assertEquals(7, HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 2, 3), "(3, 4) hashed into 16");
        assertEquals(spatialHash(16, 3, 4), HermiteEncodingMath.cornerEntry(packed, geometry, x, 0, 0, 2, 3));
    }

    @Test
    void periodicAxesWrapVertexNToVertexZeroOnDenseAndHashedTables() {
        HermiteGridLayout layout = mixed2d();
        HermiteHashEncoding encoding = new HermiteHashEncoding(layout, Box.cube(2, 0, 1), CoefficientUnits.CELL, 1);
        int[] packed = encoding.layoutArray();
        // axis 0 periodic: (N, g1) is (0, g1)
        assertEquals(15, index(packed, 0, 0, 4, 3));
        assertEquals(index(packed, 0, 0, 0, 3), index(packed, 0, 0, 4, 3));
        assertEquals(3, index(packed, 0, 2, 4, 3), "hashed (0, 3) in 16: 0xDAA66D13 mod 16");
        assertEquals(spatialHash(16, 0, 3), index(packed, 0, 2, 4, 3));
        assertEquals(866, index(packed, 1, 0, 40, 2), "hashed (0, 2) in 1024");
        assertEquals(spatialHash(1024, 0, 2), index(packed, 1, 0, 40, 2));
        // axis 1 is not periodic: (2, N) stays (2, N)
        assertEquals(2 + 5 * 4, index(packed, 0, 0, 2, 4));
        assertNotEquals(index(packed, 0, 0, 2, 0), index(packed, 0, 0, 2, 4));
        // the point on the right face reaches vertex N through corner 1, which wraps
        double[] x = {1.0, 0.8};
        assertEquals(15, HermiteEncodingMath.cornerEntry(packed, encoding.geometryArray(), x, 0, 0, 0, 1));
        // the layout itself knows no periodic axes
        assertEquals(19, layout.entryIndex(0, 0, new int[]{4, 3}));
    }

    @Test
    void theLinearEncodingReadsTheEntriesTheRuleNames() {
        // values only, log2 size 10: level 1 (N = 32, 33^2 = 1089 vertices) is hashed
        HermiteGridLayout layout = HermiteGridLayout.valuesOnly(2, 2, 1, 4, 32, 10);
        assertEquals(32, layout.resolution(1));
        assertFalse(layout.isDense(1, 0));
        double[] params = new double[layout.parameterCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = i;
        }
        int table = layout.tableOffset(1, 0);
        double[] out = new double[2];
        // on vertex (7, 2) exactly (t = 0) the level-1 feature is the coefficient of that vertex
        new LinearHashEncoding(layout, Box.cube(2, 0, 1), 0)
                .forward(params, 0, new double[]{7 / 32.0, 2 / 32.0}, 0, 2, Channels.valueOnly(), out, 0);
        assertEquals(table + 869, out[1], 0.0, "vertex (7, 2) hashed into 1024");
        // axis 0 periodic: x = 1 is vertex 32, which is vertex 0: (0, 2) hashes to 866
        new LinearHashEncoding(layout, Box.cube(2, 0, 1), 1)
                .forward(params, 0, new double[]{1.0, 2 / 32.0}, 0, 2, Channels.valueOnly(), out, 0);
        assertEquals(table + 866, out[1], 0.0, "vertex (32, 2) of a periodic axis 0 is (0, 2)");
        assertEquals(table + spatialHash(1024, 0, 2), out[1], 0.0);
    }
}
