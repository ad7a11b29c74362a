package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.FastWindingNumber;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.SignedDistance;
import io.hermitengp.geometry.SurfaceSampler;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshReader;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A mesh placed in a field's box: the mesh as read, the {@link MeshNormalization} that moved it
 * into the box with a margin, the moved mesh, a sampler of its surface, and its exact signed
 * distance (built on first use: the BVH and winding-number tree are what a problem needs, not
 * what surface extraction needs). Every query runs in box coordinates; {@link #normalization()}
 * maps results back to the mesh's own.
 */
public final class MeshDomain {
    private final TriangleMesh original;
    private final MeshNormalization normalization;
    private final TriangleMesh mesh;
    private final SurfaceSampler surface;
    private final Box box;
    private volatile SignedDistance distance;

    public MeshDomain(TriangleMesh original, Box box, double margin) {
        if (box.dims() != 3) {
            throw new IllegalArgumentException(original.source() + ": a mesh needs a 3D box, got " + box.dims() + "D");
        }
        this.original = original;
        this.box = box;
        this.normalization = MeshNormalization.fit(original, box, margin);
        this.mesh = normalization.apply(original);
        this.surface = new SurfaceSampler(mesh);
    }

    /** Reads a mesh file (OBJ, PLY, STL) into the box. */
    public static MeshDomain load(Path file, Box box, double margin) {
        return new MeshDomain(MeshReader.read(file), box, margin);
    }

    public TriangleMesh original() {
        return original;
    }

    /** The mesh in box coordinates. */
    public TriangleMesh mesh() {
        return mesh;
    }

    public MeshNormalization normalization() {
        return normalization;
    }

    public Box box() {
        return box;
    }

    /** Points uniform by area on the placed mesh, with their normals. */
    public SurfaceSampler surface() {
        return surface;
    }

    public SignedDistance distance() {
        SignedDistance built = distance;
        if (built == null) {
            synchronized (this) {
                if (distance == null) {
                    distance = new SignedDistance(mesh);
                }
                built = distance;
            }
        }
        return built;
    }

    /**
     * Signed distances and their gradients at n points, in parallel (each point on its own, so the
     * result does not depend on the thread count).
     *
     * @param out receives (n, 4): d, then dd/dx, dd/dy, dd/dz
     */
    public void signedDistances(double[] points, int n, double[] out) {
        SignedDistance signed = distance();
        IntStream.range(0, n).parallel().forEach(p -> {
            double[] one = new double[4];
            signed.at(points[3 * p], points[3 * p + 1], points[3 * p + 2], one);
            System.arraycopy(one, 0, out, 4 * p, 4);
        });
    }

    /** Whether each of n points lies inside the mesh (winding number above 1/2), in parallel. */
    public boolean[] inside(double[] points, int n) {
        boolean[] in = new boolean[n];
        FastWindingNumber winding = distance().winding();
        IntStream.range(0, n).parallel().forEach(p ->
                in[p] = winding.inside(points[3 * p], points[3 * p + 1], points[3 * p + 2]));
        return in;
    }
}
