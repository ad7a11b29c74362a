package io.hermitengp.shape;

import io.hermitengp.backend.WorkerPool;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.FastWindingNumber;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.SignedDistance;
import io.hermitengp.geometry.SurfaceSampler;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshReader;

import java.nio.file.Path;

/**
 * A mesh placed in a field's box: the mesh as read, the {@link MeshNormalization} that moved it
 * into the box with a margin, the moved mesh, a sampler of its surface, and its exact signed
 * distance (built on first use: the BVH and winding-number tree are what a problem needs, not
 * what surface extraction needs). Every query runs in box coordinates; {@link #normalization()}
 * maps results back to the mesh's own.
 *
 * <p>Batch queries ({@link #signedDistances}, {@link #inside}) run on a pool of the domain's own
 * {@link #threads()} threads, created for the query and closed after it, never on the JVM's
 * common pool: inside a Spark task the domain uses the cores the task was given. Each point is
 * computed on its own, so results are the same bits for any thread count.
 */
public final class MeshDomain {
    private final TriangleMesh original;
    private final MeshNormalization normalization;
    private final TriangleMesh mesh;
    private final SurfaceSampler surface;
    private final Box box;
    private final int threads;
    private volatile SignedDistance distance;

    /** Points per task of a batch query: a few hundred BVH and winding-tree walks. */
    private static final int POINT_GRAIN = 256;

    /** A domain whose batch queries use every core of the machine. */
    public MeshDomain(TriangleMesh original, Box box, double margin) {
        this(original, box, margin, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads threads of each batch query (a Spark task passes its {@code spark.task.cpus}) */
    public MeshDomain(TriangleMesh original, Box box, double margin, int threads) {
        if (box.dims() != 3) {
            throw new IllegalArgumentException(original.source() + ": a mesh needs a 3D box, got " + box.dims() + "D");
        }
        if (threads < 1) {
            throw new IllegalArgumentException(original.source() + ": threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.original = original;
        this.box = box;
        this.normalization = MeshNormalization.fit(original, box, margin);
        this.mesh = normalization.apply(original);
        this.surface = new SurfaceSampler(mesh);
    }

    /** Reads a mesh file (OBJ, PLY, STL) into the box; batch queries use every core of the machine. */
    public static MeshDomain load(Path file, Box box, double margin) {
        return load(file, box, margin, Runtime.getRuntime().availableProcessors());
    }

    /** Reads a mesh file (OBJ, PLY, STL) into the box; batch queries use {@code threads} threads. */
    public static MeshDomain load(Path file, Box box, double margin, int threads) {
        return new MeshDomain(MeshReader.read(file), box, margin, threads);
    }

    /**
     * Reads the mesh at a location ({@link MeshReader#read(String)}: a path, a {@code file:} URI
     * or a URI of a registered store) into the box; batch queries use {@code threads} threads.
     */
    public static MeshDomain load(String location, Box box, double margin, int threads) {
        return new MeshDomain(MeshReader.read(location), box, margin, threads);
    }

    /** Threads of each batch query. */
    public int threads() {
        return threads;
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
     * Signed distances and their gradients at n points, on {@link #threads()} threads (each point
     * on its own, so the result does not depend on the thread count).
     *
     * @param points (n, 3) row-major, box coordinates
     * @param out    receives (n, 4): d, then dd/dx, dd/dy, dd/dz
     */
    public void signedDistances(double[] points, int n, double[] out) {
        SignedDistance signed = distance();
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forRange(n, POINT_GRAIN, (from, to) -> {
                double[] one = new double[4];
                for (int p = from; p < to; p++) {
                    signed.at(points[3 * p], points[3 * p + 1], points[3 * p + 2], one);
                    System.arraycopy(one, 0, out, 4 * p, 4);
                }
            });
        }
    }

    /**
     * Signed distances, their gradients and the winding numbers that decided their signs at n
     * points, on {@link #threads()} threads ({@link SignedDistance#atWithWinding}).
     *
     * @param points (n, 3) row-major, box coordinates
     * @param out    receives (n, 4) as {@link #signedDistances}
     * @param winding receives (n): the generalized winding number at each point
     */
    public void signedDistancesWithWinding(double[] points, int n, double[] out, double[] winding) {
        SignedDistance signed = distance();
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forRange(n, POINT_GRAIN, (from, to) -> {
                double[] one = new double[4];
                for (int p = from; p < to; p++) {
                    winding[p] = signed.atWithWinding(points[3 * p], points[3 * p + 1], points[3 * p + 2], one);
                    System.arraycopy(one, 0, out, 4 * p, 4);
                }
            });
        }
    }

    /**
     * Which of n points lie closer than {@code radius} to the surface, with their signed distances
     * and gradients, on {@link #threads()} threads. A point farther away costs a BVH search bounded
     * by the radius and no winding number, so a lattice mostly far from the surface is cheap.
     *
     * @param points (n, 3) row-major, box coordinates
     * @param out    receives (n, 4) as {@link #signedDistances} for the points within the radius;
     *               the rows of the others are left untouched
     * @return per point, whether {@code |d| < radius}
     */
    public boolean[] signedDistancesWithin(double[] points, int n, double radius, double[] out) {
        SignedDistance signed = distance();
        boolean[] within = new boolean[n];
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forRange(n, POINT_GRAIN, (from, to) -> {
                double[] one = new double[4];
                for (int p = from; p < to; p++) {
                    if (signed.within(points[3 * p], points[3 * p + 1], points[3 * p + 2], radius, one)) {
                        within[p] = true;
                        System.arraycopy(one, 0, out, 4 * p, 4);
                    }
                }
            });
        }
        return within;
    }

    /**
     * Whether each of n points lies inside the mesh (winding number above 1/2), on
     * {@link #threads()} threads.
     *
     * @param points (n, 3) row-major, box coordinates
     */
    public boolean[] inside(double[] points, int n) {
        boolean[] in = new boolean[n];
        FastWindingNumber winding = distance().winding();
        try (WorkerPool pool = new WorkerPool(threads)) {
            pool.forRange(n, POINT_GRAIN, (from, to) -> {
                for (int p = from; p < to; p++) {
                    in[p] = winding.inside(points[3 * p], points[3 * p + 1], points[3 * p + 2]);
                }
            });
        }
        return in;
    }
}
