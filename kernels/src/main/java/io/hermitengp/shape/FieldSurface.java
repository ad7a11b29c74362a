package io.hermitengp.shape;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.IsoSurface;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.problem.FieldProbe;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The zero level set of a fitted field, by marching cubes ({@link IsoSurface}) on a uniform grid
 * over its box, endpoints included.
 *
 * <p>Memory: extraction at resolution n holds the n^3 grid values (one array, so n^3 must fit an
 * array: n <= {@value #MAX_RESOLUTION}) and the surface it builds. {@link #estimatedBytes} states
 * the estimate, {@link #requireFits} checks a resolution against the heap before any of it is
 * allocated.
 */
public final class FieldSurface {
    private static final int CHUNK = 1 << 15;
    /** The largest n whose n^3 grid fits one Java array ({@code Integer.MAX_VALUE - 8} elements). */
    public static final int MAX_RESOLUTION = 1290;
    /** Triangles allowed for per n^2: a sphere 80% as wide as the box gives about 18 n^2. */
    public static final int TRIANGLES_PER_N2 = 32;
    /** Vertices allowed for per n^2: that sphere gives about 9 n^2. */
    public static final int VERTICES_PER_N2 = 16;
    /** A triangle's 3 ints, up to three times over while its array doubles and is copied out. */
    private static final long BYTES_PER_TRIANGLE = 3L * 3 * Integer.BYTES;
    /**
     * A vertex's 3 doubles, up to three times over likewise, and its entry in the edge-to-vertex
     * map (a hash node, a Long key, an Integer value and its share of the table: about 80 bytes).
     */
    private static final long BYTES_PER_VERTEX = 3L * 3 * Double.BYTES + 80;
    /** The sampling buffers: 3 coordinates and 4 channels (value, gradient) per point of a chunk. */
    private static final long SAMPLING_BYTES = (long) Double.BYTES * 7 * CHUNK;

    private FieldSurface() {
    }

    /**
     * The heap, in bytes, that extracting the surface on a {@code resolution}^3 grid takes
     * ({@link #extract}), with n = resolution:
     *
     * <pre>
     *   grid     = 8 n^3                      the field's values, one double per grid point
     *   surface  = 32 n^2 * 36 + 16 n^2 * 152  up to 32 n^2 triangles and 16 n^2 vertices (about
     *                                         twice what a sphere 80% as wide as the box gives),
     *                                         with their growing arrays and the edge-to-vertex map
     *   sampling = 7 * 8 * 32768              coordinates and channels of one evaluation chunk
     * </pre>
     *
     * A surface far more folded than that (a noisy field with many small pieces) can take more;
     * what the caller does with the mesh afterwards (copies, comparisons, writing) is not counted.
     * Saturates at {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException when the resolution is below 2
     */
    public static long estimatedBytes(int resolution) {
        requireAtLeastTwo(resolution);
        long n = resolution;
        try {
            long grid = Math.multiplyExact(Double.BYTES, Math.multiplyExact(n * n, n));
            long surface = Math.multiplyExact(n * n,
                    TRIANGLES_PER_N2 * BYTES_PER_TRIANGLE + VERTICES_PER_N2 * BYTES_PER_VERTEX);
            return Math.addExact(Math.addExact(grid, surface), SAMPLING_BYTES);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Refuses a resolution whose extraction would not fit: one whose n^3 grid does not fit a Java
     * array (above {@value #MAX_RESOLUTION}), or whose {@link #estimatedBytes} exceeds
     * {@code availableBytes} (for this JVM's heap: {@link io.hermitengp.fit.FitMemory#available()}).
     *
     * @throws IllegalArgumentException naming the resolution, the estimate and what is available
     */
    public static void requireFits(int resolution, long availableBytes) {
        requireGrid(resolution);
        long needed = estimatedBytes(resolution);
        if (needed > availableBytes) {
            long n = resolution;
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "surface resolution %d needs about %s (grid values %s, surface and buffers %s) and %s of heap "
                            + "is available; lower the resolution or give the JVM more memory",
                    resolution, mib(needed), mib(Double.BYTES * n * n * n),
                    mib(needed - Double.BYTES * n * n * n), mib(availableBytes)));
        }
    }

    /** Refuses a resolution below 2 or whose n^3 grid does not fit one Java array. */
    private static void requireGrid(int resolution) {
        requireAtLeastTwo(resolution);
        if (resolution > MAX_RESOLUTION) {
            long n = resolution;
            BigInteger points = BigInteger.valueOf(n).pow(3);
            throw new IllegalArgumentException("surface resolution " + resolution + ": its grid of " + resolution
                    + "^3 = " + points + " points is more than one array holds; at most " + MAX_RESOLUTION
                    + " (" + MAX_RESOLUTION + "^3 = " + (long) MAX_RESOLUTION * MAX_RESOLUTION * MAX_RESOLUTION + ")");
        }
    }

    private static void requireAtLeastTwo(int resolution) {
        if (resolution < 2) {
            throw new IllegalArgumentException("surface resolution " + resolution
                    + ": at least 2 grid points per axis are needed");
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * The field's values on an n^3 grid over the box, x fastest, {@value #CHUNK} points per call
     * of the probe, with the value channel alone where the probe evaluates it so
     * ({@link FieldProbe#valueChannels}): the same bits as with the gradient beside it.
     *
     * @throws IllegalArgumentException when n is below 2 or n^3 does not fit one array
     */
    public static double[] sampleGrid(FieldProbe field, Box box, int n) {
        requireGrid(n);
        int total = n * n * n;
        int[] counts = {n, n, n};
        double[] values = new double[total];
        double[] points = new double[3 * CHUNK];
        // the value alone where the probe evaluates it so (a quarter of the rows), else with the gradient
        Channels channels = field.valueChannels(3);
        int c = channels.count();
        double[] out = new double[CHUNK * c];
        for (int start = 0; start < total; start += CHUNK) {
            int count = Math.min(CHUNK, total - start);
            for (int p = 0; p < count; p++) {
                box.latticePoint(counts, start + p, points, 3 * p);
            }
            field.evaluate(points, count, channels, out);
            for (int p = 0; p < count; p++) {
                values[start + p] = out[p * c + Channels.VALUE];
            }
        }
        return values;
    }

    /**
     * The surface {@code f = 0} in box coordinates (no triangles where f never changes sign). The
     * memory it takes is {@link #estimatedBytes}; check it first with {@link #requireFits}.
     *
     * @throws IllegalArgumentException when the resolution is below 2 or its grid does not fit one array
     */
    public static TriangleMesh extract(FieldProbe field, Box box, int resolution) {
        return IsoSurface.extract(sampleGrid(field, box, resolution), resolution, resolution, resolution, box, 0.0);
    }

    /** A box-coordinate mesh in the original mesh's coordinates. */
    public static TriangleMesh toMeshCoordinates(TriangleMesh surface, MeshNormalization normalization) {
        double[] v = surface.vertices().clone();
        for (int k = 0; k < v.length; k += 3) {
            normalization.toMesh(v, k);
        }
        return new TriangleMesh(surface.source(), v, surface.triangles(), surface.degenerateTriangles());
    }
}
