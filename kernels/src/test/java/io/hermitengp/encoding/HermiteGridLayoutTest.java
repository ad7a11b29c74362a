package io.hermitengp.encoding;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HermiteGridLayoutTest {

    @Test
    void resolutionsGrowGeometricallyFromNMinToNMax() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 16, 2, 16, 1024, new int[]{14, 14, 10});
        assertEquals(16, layout.resolution(0));
        assertEquals(1024, layout.resolution(15));
        for (int l = 1; l < 16; l++) {
            assertTrue(layout.resolution(l) > layout.resolution(l - 1), "level " + l + " must be finer");
        }
    }

    @Test
    void levelsAreDenseWhereTheyFitAndHashedOtherwise() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 16, 2, 16, 1024, new int[]{14, 14, 10});
        // 17^2 = 289 vertices fit every table at level 0; 1025^2 fit none at the finest level.
        for (int k = 0; k <= 2; k++) {
            assertTrue(layout.isDense(0, k), "level 0 order " + k);
            assertFalse(layout.isDense(15, k), "level 15 order " + k);
            assertEquals(1 << layout.log2TableSize(k), layout.entries(15, k));
        }
        // order-2 table has 2^10 entries: 31^2 = 961 fits, 33^2 does not.
        for (int l = 0; l < 16; l++) {
            int n = layout.resolution(l);
            assertEquals((n + 1) * (n + 1) <= 1024, layout.isDense(l, 2), "level " + l + " N=" + n);
        }
    }

    @Test
    void levelsTileTheBufferWithoutGapsOrOverlap() {
        HermiteGridLayout layout = new HermiteGridLayout(3, 6, 3, 4, 64, new int[]{12, 12, 11, 10});
        int expected = 0;
        for (int l = 0; l < layout.levels(); l++) {
            assertEquals(expected, layout.levelStart(l));
            for (int k = 0; k <= 3; k++) {
                assertEquals(expected, layout.tableOffset(l, k), "level " + l + " order " + k);
                expected += layout.entries(l, k) * HermiteEncodingMath.countOfOrder(3, k) * layout.features();
            }
            assertEquals(expected, layout.levelEnd(l));
        }
        assertEquals(expected, layout.parameterCount());
    }

    @Test
    void indicesAreAlwaysInRange() {
        Random random = new Random(7);
        for (int dims = 2; dims <= 3; dims++) {
            int[] sizes = dims == 2 ? new int[]{14, 12, 8} : new int[]{13, 12, 10, 8};
            HermiteGridLayout layout = new HermiteGridLayout(dims, 10, 2, 8, 2048, sizes);
            int[] vertex = new int[dims];
            for (int l = 0; l < layout.levels(); l++) {
                for (int trial = 0; trial < 2000; trial++) {
                    for (int i = 0; i < dims; i++) {
                        vertex[i] = trial == 0 ? layout.resolution(l) : random.nextInt(layout.resolution(l) + 1);
                    }
                    for (int k = 0; k <= dims; k++) {
                        int index = layout.entryIndex(l, k, vertex);
                        assertTrue(index >= 0 && index < layout.entries(l, k),
                                "index " + index + " of level " + l + " order " + k + " out of [0, " + layout.entries(l, k) + ")");
                    }
                }
            }
        }
    }

    @Test
    void hashIsTheInstantNgpHash() {
        // XOR of g_i * pi_i modulo 2^32, computed independently in 64-bit arithmetic
        long expected = ((3L) ^ ((5L * 2654435761L) & 0xFFFFFFFFL) ^ ((7L * 805459861L) & 0xFFFFFFFFL)) & ((1 << 19) - 1);
        // 101^3 vertices do not fit 2^19 entries: the order-0 table is hashed
        HermiteGridLayout layout = new HermiteGridLayout(3, 1, 1, 100, 100, new int[]{19, 1, 1, 1});
        assertEquals(expected, layout.entryIndex(0, 0, new int[]{3, 5, 7}));
    }
}
