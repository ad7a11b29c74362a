package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.problem.FieldProbe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory estimate of surface extraction, and resolutions refused before anything is allocated. */
class FieldSurfaceTest {
    private static final Box BOX = Box.cube(3, -1, 1);

    /** The sphere |x| - 0.8: 80% as wide as the box. */
    private static final FieldProbe SPHERE = (points, n, channels, out) -> {
        int c = channels.count();
        for (int p = 0; p < n; p++) {
            double x = points[3 * p], y = points[3 * p + 1], z = points[3 * p + 2];
            double r = Math.sqrt(x * x + y * y + z * z);
            out[p * c] = r - 0.8;
            for (int i = 0; i < 3 && channels.dims() == 3; i++) {
                out[p * c + 1 + i] = points[3 * p + i] / r;
            }
        }
    };

    private static void assertMentions(Exception e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should mention '" + w + "'");
        }
    }

    @Test
    void estimateIsTheGridValuesTheSurfaceAllowanceAndTheSamplingBuffers() {
        long n = 128;
        long grid = 8 * n * n * n;
        long surface = n * n * (32 * 36 + 16 * 152);
        long sampling = 7L * 8 * 32768;
        assertEquals(grid + surface + sampling, FieldSurface.estimatedBytes(128));
        assertTrue(FieldSurface.estimatedBytes(1000) > 8_000_000_000L, "the grid alone is 8 GB at 1000^3");
        assertEquals(Long.MAX_VALUE, FieldSurface.estimatedBytes(Integer.MAX_VALUE), "saturates instead of wrapping");
    }

    @Test
    void theSurfaceAllowanceCoversASphereFillingTheBox() {
        for (int n : new int[]{24, 64}) {
            TriangleMesh surface = FieldSurface.extract(SPHERE, BOX, n);
            assertTrue(surface.triangleCount() > 0);
            assertTrue(surface.triangleCount() <= FieldSurface.TRIANGLES_PER_N2 * n * n,
                    n + ": " + surface.triangleCount() + " triangles within the allowance");
            assertTrue(surface.vertexCount() <= FieldSurface.VERTICES_PER_N2 * n * n,
                    n + ": " + surface.vertexCount() + " vertices within the allowance");
            // nor far above what such a surface takes: at most four times this sphere's triangles
            assertTrue(4 * surface.triangleCount() >= FieldSurface.TRIANGLES_PER_N2 * n * n,
                    n + ": " + surface.triangleCount() + " triangles");
        }
    }

    @Test
    void aResolutionBeyondTheHeapIsRefusedNamingTheEstimateAndWhatIsAvailable() {
        long available = 100L << 20;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldSurface.requireFits(256, available));
        String estimate = String.format(java.util.Locale.ROOT, "%.1f MiB", FieldSurface.estimatedBytes(256) / 1048576.0);
        assertMentions(e, "surface resolution 256", estimate, "128.0 MiB", "100.0 MiB");
        assertDoesNotThrow(() -> FieldSurface.requireFits(256, FieldSurface.estimatedBytes(256)));
        assertThrows(IllegalArgumentException.class,
                () -> FieldSurface.requireFits(256, FieldSurface.estimatedBytes(256) - 1));
    }

    @Test
    void aResolutionWhoseGridOverflowsAnArrayIsRefusedWhateverTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldSurface.requireFits(100_000, Long.MAX_VALUE));
        assertMentions(e, "100000", "1000000000000000", "at most 1290");
        assertThrows(IllegalArgumentException.class, () -> FieldSurface.requireFits(1291, Long.MAX_VALUE));
        assertDoesNotThrow(() -> FieldSurface.requireFits(1290, Long.MAX_VALUE));
        assertTrue(1290L * 1290 * 1290 <= Integer.MAX_VALUE - 8 && 1291L * 1291 * 1291 > Integer.MAX_VALUE - 8,
                "1290 is the largest n with n^3 in one array");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> FieldSurface.requireFits(1, Long.MAX_VALUE)),
                "surface resolution 1", "at least 2");
        // extraction itself refuses it before allocating (not a NegativeArraySizeException)
        assertMentions(assertThrows(IllegalArgumentException.class, () -> FieldSurface.extract(SPHERE, BOX, 100_000)),
                "100000", "at most 1290");
    }
}
