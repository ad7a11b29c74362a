package io.hermitengp.shape;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.StandardResidual;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.PooledSampler;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.ProblemBase;
import io.hermitengp.problem.ProblemType;
import io.hermitengp.problem.ReferenceSamples;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Poisson's equation inside a mesh, with a manufactured solution and Dirichlet values on the
 * mesh's surface:
 *
 * <pre>
 *   -Lap u = f   inside the mesh,      u = u* on its surface,
 *   u*(x) = sin(a pi x) sin(a pi y) sin(a pi z),     f = 3 a^2 pi^2 u*,
 * </pre>
 *
 * with the mesh placed in the box [-1, 1]^3 with a margin. Loss terms, both {@link
 * StandardResidual}s (so the OpenCL backend runs them): {@code residual}
 * {@code r = Lap u + f(x)} at interior points, drawn from a pool of points inside the mesh
 * (winding number above 1/2), and {@code boundary} {@code r = u - u*(x)} at surface points. The
 * error is the relative L2 of u and of grad u at the points of a uniform {@code grid}^3 lattice
 * over the box that lie inside the mesh.
 */
public final class MeshPoissonProblem extends ProblemBase {
    public static final String TYPE = "mesh_poisson";
    /** Loss terms and their default points per step. */
    public static final Map<String, Integer> TERM_DEFAULTS = SdfProblem.orderedTerms("residual", 8192, "boundary", 4096);
    private static final Box BOX = Box.cube(3, -1, 1);

    private final MeshDomain mesh;
    private final double a;
    private final int grid;
    private final List<LossTerm> terms;
    private final ReferenceSamples reference;

    /**
     * @param poolSize interior and surface points drawn once for training
     * @param grid     lattice points per axis for the error
     */
    public MeshPoissonProblem(MeshDomain mesh, double a, long seed, int poolSize, int grid) {
        super(TYPE, BOX, 1, Channels.withFullLaplacian(3), new int[]{grid, grid, grid});
        if (!mesh.box().equals(BOX)) {
            throw new IllegalArgumentException("a mesh Poisson problem lives in " + BOX + ", its mesh was placed in "
                    + mesh.box());
        }
        this.mesh = mesh;
        this.a = a;
        this.grid = grid;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] interior = MeshSamples.interior(mesh, poolSize, rng.split());
        PooledSampler surface = MeshSamples.surface(mesh, poolSize, rng.split()).withoutAttributes();
        double[] laplacian = new double[channels().count()];
        laplacian[channels().laplacian()] = 1.0;
        double[] value = new double[channels().count()];
        value[Channels.VALUE] = 1.0;
        this.terms = List.of(
                new LossTerm("residual", new PooledSampler(3, interior, new double[0], 0),
                        StandardResidual.linear(laplacian, (x, xo) -> -source(x, xo)), TERM_DEFAULTS.get("residual")),
                new LossTerm("boundary", surface, StandardResidual.linear(value, this::solution), TERM_DEFAULTS.get("boundary")));
        this.reference = interiorLattice();
    }

    private ReferenceSamples interiorLattice() {
        int total = grid * grid * grid;
        double[] lattice = new double[3 * total];
        int[] counts = {grid, grid, grid};
        for (int index = 0; index < total; index++) {
            BOX.latticePoint(counts, index, lattice, 3 * index);
        }
        boolean[] inside = mesh.inside(lattice, total);
        int count = 0;
        for (boolean in : inside) {
            count += in ? 1 : 0;
        }
        if (count == 0) {
            throw new IllegalArgumentException(mesh.original().source() + ": no point of the " + grid
                    + "^3 error lattice lies inside the mesh");
        }
        double[] points = new double[3 * count];
        double[] exact = new double[4 * count];
        int k = 0;
        for (int p = 0; p < total; p++) {
            if (inside[p]) {
                System.arraycopy(lattice, 3 * p, points, 3 * k, 3);
                exact(points, 3 * k, exact, 4 * k);
                k++;
            }
        }
        return new ReferenceSamples(3, 1, points, exact);
    }

    double solution(double[] x, int xo) {
        double w = a * Math.PI;
        return Math.sin(w * x[xo]) * Math.sin(w * x[xo + 1]) * Math.sin(w * x[xo + 2]);
    }

    /** {@code f = -Lap u* = 3 a^2 pi^2 u*}. */
    double source(double[] x, int xo) {
        return 3 * a * a * Math.PI * Math.PI * solution(x, xo);
    }

    public MeshDomain mesh() {
        return mesh;
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    @Override
    public void exact(double[] x, int xOffset, double[] out) {
        exact(x, xOffset, out, 0);
    }

    private void exact(double[] x, int xo, double[] out, int offset) {
        double w = a * Math.PI;
        double sx = Math.sin(w * x[xo]), sy = Math.sin(w * x[xo + 1]), sz = Math.sin(w * x[xo + 2]);
        double cx = Math.cos(w * x[xo]), cy = Math.cos(w * x[xo + 1]), cz = Math.cos(w * x[xo + 2]);
        out[offset] = sx * sy * sz;
        out[offset + 1] = w * cx * sy * sz;
        out[offset + 2] = w * sx * cy * sz;
        out[offset + 3] = w * sx * sy * cz;
    }

    @Override
    public Optional<ReferenceSamples> referenceSamples() {
        return Optional.of(reference);
    }

    @Override
    public String toString() {
        return TYPE + " in " + mesh.original().source();
    }

    /**
     * {@code mesh_poisson}: Poisson inside a mesh file with {@code u* = prod sin(a pi x_i)}: keys
     * mesh, a, margin, seed, pool_size, grid.
     */
    public record Config(String mesh, double a, double margin, long seed, int poolSize, int grid)
            implements ProblemConfig.MeshProblemConfig {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Integer> termDefaults() {
            return TERM_DEFAULTS;
        }

        /** Interior and surface pools (points), and the grid^3 lattice points kept for the error. */
        @Override
        public long problemBytes() {
            return Double.BYTES * (2L * poolSize * 3 + (long) grid * grid * grid * 3);
        }

        @Override
        public Problem create(int threads) {
            return new MeshPoissonProblem(MeshDomain.load(mesh, BOX, margin, threads), a, seed, poolSize,
                    grid);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("mesh", mesh);
            node.put("a", a);
            node.put("margin", margin);
            node.put("seed", seed);
            node.put("pool_size", poolSize);
            node.put("grid", grid);
        }
    }

    /** The {@code mesh_poisson} problem type. */
    public static final class Type implements ProblemType {
        @Override
        public List<String> names() {
            return List.of(TYPE);
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            String mesh = ProblemConfig.meshPath(section);
            return new Config(mesh, section.number("a", 2.0, 0.0, true, 1e4),
                    section.number("margin", 0.1, 0.0, false, 0.49),
                    section.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE),
                    section.intIn("pool_size", 1 << 18, 1, 1 << 26),
                    section.intIn("grid", 64, 4, 1024));
        }
    }
}
