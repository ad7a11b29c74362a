package io.hermitengp.shape;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.IsoSurface;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.problem.FieldProbe;

/**
 * The zero level set of a fitted field, by marching cubes ({@link IsoSurface}) on a uniform grid
 * over its box, endpoints included.
 */
public final class FieldSurface {
    private static final int CHUNK = 1 << 15;

    private FieldSurface() {
    }

    /** The field's values on an n^3 grid over the box, x fastest. */
    public static double[] sampleGrid(FieldProbe field, Box box, int n) {
        int total = n * n * n;
        int[] counts = {n, n, n};
        double[] values = new double[total];
        double[] points = new double[3 * CHUNK];
        // value and gradient: the Hermite encoding evaluates its gradient channels with every value
        Channels channels = Channels.valueAndGradient(3);
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

    /** The surface {@code f = 0} in box coordinates (no triangles where f never changes sign). */
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
