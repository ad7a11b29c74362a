package io.hermitengp.shape;

import io.hermitengp.backend.WorkerPool;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.FastWindingNumber;
import io.hermitengp.geometry.MeshNormalization;
import io.hermitengp.geometry.SignedDistance;
import io.hermitengp.geometry.SurfaceSampler;
import io.hermitengp.geometry.TriangleBvh;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshReader;
import io.hermitengp.problem.UniformLattice;

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
    /** Lattice points per axis of a block that {@link #forEachWithin} rules out with one search. */
    static final int BLOCK = 4;
    /** Blocks per task of {@link #forEachWithin}: each a bounded BVH search. */
    private static final int BLOCK_GRAIN = 64;
    /** Lattice points (whole rows of one layer) tested together by {@link #forEachWithin}. */
    private static final int LATTICE_CHUNK = 16384;

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

    /** Receives lattice points near the surface, in lattice order, a batch at a time. */
    @FunctionalInterface
    public interface BandVisitor {
        /**
         * @param points (m, 3) row-major, box coordinates; the buffer is reused for the next batch
         * @param exact  (m, 4): d, then dd/dx, dd/dy, dd/dz at each point; reused likewise
         */
        void visit(double[] points, double[] exact, int m);
    }

    /**
     * The points of a 3D lattice closer than {@code radius} to the surface, with their signed
     * distances and gradients, handed to the visitor in lattice order, at most {@code batch} at a
     * time: the points and numbers {@link #signedDistancesWithin} gives when asked for every
     * lattice point, without asking for every one.
     *
     * <p>The lattice is cut into blocks of {@value #BLOCK}^3 points (fewer at its far faces). With
     * c the center of a block's bounding box and r its half-diagonal, every point x of the block
     * has {@code |x - c| <= r}, so {@code |d(x)| >= |d(c)| - r}: a block whose center lies at least
     * {@code (radius + r)(1 + 1e-9)} from the surface holds no point closer than the radius (the
     * factor outweighs the rounding of the distances many times over), and costs one BVH search
     * bounded by that distance. The points of the other blocks are tested one by one. A band
     * around a surface is a thin shell, so most of a lattice is never visited point by point.
     *
     * <p>Runs on {@link #threads()} threads, one pool for the whole walk; each block and each point
     * is decided on its own, so the result is the same bits for any thread count.
     */
    public void forEachWithin(UniformLattice lattice, double radius, int batch, BandVisitor visitor) {
        if (lattice.dims() != 3) {
            throw new IllegalArgumentException("a band of a mesh is taken on a 3D lattice, got " + lattice);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        SignedDistance signed = distance();
        TriangleBvh bvh = signed.bvh();
        int[] n = lattice.counts();
        int[] blocks = new int[3];
        for (int i = 0; i < 3; i++) {
            blocks[i] = (n[i] + BLOCK - 1) / BLOCK;
        }
        int rowsPerChunk = Math.max(1, LATTICE_CHUNK / n[0]);
        int chunkCapacity = Math.min(rowsPerChunk, n[1]) * n[0];
        boolean[] near = new boolean[blocks[0] * blocks[1]];   // (by, bx) of the current block slab
        boolean[] within = new boolean[chunkCapacity];
        double[] points = new double[3 * chunkCapacity];       // (chunk, 3) rows of band points only
        double[] exact = new double[4 * chunkCapacity];        // (chunk, 4) likewise
        double[] batchPoints = new double[3 * batch];           // (m, 3)
        double[] batchExact = new double[4 * batch];            // (m, 4)
        int m = 0;
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int k = 0; k < n[2]; k++) {
                if (k % BLOCK == 0) {
                    int slab = k / BLOCK;
                    pool.forRange(near.length, BLOCK_GRAIN, (from, to) -> {
                        for (int b = from; b < to; b++) {
                            near[b] = blockNear(bvh, lattice, n, b % blocks[0], b / blocks[0], slab, radius);
                        }
                    });
                }
                int layer = k;
                for (int j0 = 0; j0 < n[1]; j0 += rowsPerChunk) {
                    int firstRow = j0;
                    int count = Math.min(rowsPerChunk, n[1] - j0) * n[0];
                    pool.forRange(count, POINT_GRAIN, (from, to) -> {
                        double[] one = new double[4];
                        for (int p = from; p < to; p++) {
                            int i = p % n[0];
                            int j = firstRow + p / n[0];
                            within[p] = false;
                            if (!near[i / BLOCK + blocks[0] * (j / BLOCK)]) {
                                continue;
                            }
                            lattice.point(i + (long) n[0] * (j + (long) n[1] * layer), points, 3 * p);
                            if (signed.within(points[3 * p], points[3 * p + 1], points[3 * p + 2], radius, one)) {
                                within[p] = true;
                                System.arraycopy(one, 0, exact, 4 * p, 4);
                            }
                        }
                    });
                    for (int p = 0; p < count; p++) {
                        if (!within[p]) {
                            continue;
                        }
                        System.arraycopy(points, 3 * p, batchPoints, 3 * m, 3);
                        System.arraycopy(exact, 4 * p, batchExact, 4 * m, 4);
                        if (++m == batch) {
                            visitor.visit(batchPoints, batchExact, m);
                            m = 0;
                        }
                    }
                }
            }
        }
        if (m > 0) {
            visitor.visit(batchPoints, batchExact, m);
        }
    }

    /**
     * The working memory of {@link #forEachWithin} on a lattice of {@code grid} points per axis:
     * a chunk's mask, points and distances (whole rows, {@value #LATTICE_CHUNK} points or one row
     * if that is longer), the batch's points and distances, and one slab's block flags.
     */
    static long forEachWithinBytes(int grid, int batch) {
        long chunk = Math.max(LATTICE_CHUNK, grid);
        long blocks = (long) (grid / BLOCK + 1) * (grid / BLOCK + 1);
        return chunk * (Double.BYTES * (3 + 4) + 1) + (long) batch * Double.BYTES * (3 + 4) + blocks;
    }

    /** Whether block (bx, by, bz) of the lattice may hold a point closer than the radius ({@link #forEachWithin}). */
    private static boolean blockNear(TriangleBvh bvh, UniformLattice lattice, int[] n, int bx, int by, int bz,
                                     double radius) {
        double[] first = new double[3];
        double[] last = new double[3];
        lattice.point(bx * BLOCK + (long) n[0] * (by * BLOCK + (long) n[1] * bz * BLOCK), first, 0);
        int li = Math.min(n[0], (bx + 1) * BLOCK) - 1;
        int lj = Math.min(n[1], (by + 1) * BLOCK) - 1;
        int lk = Math.min(n[2], (bz + 1) * BLOCK) - 1;
        lattice.point(li + (long) n[0] * (lj + (long) n[1] * lk), last, 0);
        double r2 = 0;
        for (int a = 0; a < 3; a++) {
            double half = (last[a] - first[a]) / 2;
            r2 += half * half;
        }
        double bound = (radius + Math.sqrt(r2)) * (1 + 1e-9);
        return bvh.closestWithin((first[0] + last[0]) / 2, (first[1] + last[1]) / 2, (first[2] + last[2]) / 2,
                bound) != null;
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
