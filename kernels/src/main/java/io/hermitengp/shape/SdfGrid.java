package io.hermitengp.shape;

import io.hermitengp.problem.FieldProbe;
import io.hermitengp.geometry.Box;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A dense signed-distance volume: values on the R^3 lattice over a box, endpoints included
 * (point (i, j, k) at {@code lo + (hi - lo) (i, j, k) / (R - 1)}), x fastest, so value
 * {@code (i, j, k)} is at {@code i + R (j + R k)}. Stored as float32: a grid is for looking at and
 * for convolution networks, and single precision holds a box-unit distance to 1e-7.
 *
 * @param source    {@code exact} (the mesh's own distance) or {@code field} (a fitted field's value)
 * @param values    (R^3) x fastest, box units
 */
public record SdfGrid(String source, int resolution, Box box, float[] values) {
    public static final String EXACT = "exact";
    public static final String FIELD = "field";
    /** Above this, R^3 floats (64 MiB at 256) no longer fit a Parquet value comfortably. */
    public static final int MAX_RESOLUTION = 256;
    /** Lattice points per batch query: bounds the temporary point and distance arrays. */
    private static final int CHUNK = 1 << 16;

    public SdfGrid {
        requireResolution(resolution);
        if (values.length != resolution * resolution * resolution) {
            throw new IllegalArgumentException("a " + resolution + "^3 grid needs " + resolution * resolution * resolution
                    + " values, got " + values.length);
        }
    }

    /** @throws IllegalArgumentException unless 2 <= R <= {@value #MAX_RESOLUTION} */
    public static void requireResolution(int resolution) {
        if (resolution < 2 || resolution > MAX_RESOLUTION) {
            throw new IllegalArgumentException("a grid resolution must be in [2, " + MAX_RESOLUTION + "], got "
                    + resolution);
        }
    }

    /** The exact signed distance of the domain's mesh on the R^3 lattice over its box. */
    public static SdfGrid exact(MeshDomain domain, int resolution) {
        requireResolution(resolution);
        Box box = domain.box();
        int total = resolution * resolution * resolution;
        int[] counts = {resolution, resolution, resolution};
        float[] values = new float[total];
        double[] points = new double[3 * CHUNK];
        double[] out = new double[4 * CHUNK];
        for (int start = 0; start < total; start += CHUNK) {
            int count = Math.min(CHUNK, total - start);
            for (int p = 0; p < count; p++) {
                box.latticePoint(counts, start + p, points, 3 * p);
            }
            domain.signedDistances(points, count, out);
            for (int p = 0; p < count; p++) {
                values[start + p] = (float) out[4 * p];
            }
        }
        return new SdfGrid(EXACT, resolution, box, values);
    }

    /** A fitted field's values on the R^3 lattice over a box ({@link FieldSurface#sampleGrid}). */
    public static SdfGrid field(FieldProbe field, Box box, int resolution) {
        requireResolution(resolution);
        double[] sampled = FieldSurface.sampleGrid(field, box, resolution);
        float[] values = new float[sampled.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) sampled[i];
        }
        return new SdfGrid(FIELD, resolution, box, values);
    }

    /** The value at lattice point (i, j, k). */
    public float at(int i, int j, int k) {
        return values[i + resolution * (j + resolution * k)];
    }

    /** The values as little-endian float32 bytes, x fastest (numpy: {@code frombuffer(b, '<f4').reshape(R, R, R)}, indexed [k, j, i]). */
    public byte[] littleEndianBytes() {
        ByteBuffer b = ByteBuffer.allocate(Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
