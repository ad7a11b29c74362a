package io.hermitengp.shape;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.FinalMetrics;
import io.hermitengp.problem.StandardResidual;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.PaperMetric;
import io.hermitengp.problem.PooledSampler;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.ProblemBase;
import io.hermitengp.problem.ProblemType;
import io.hermitengp.problem.ReferenceSamples;
import io.hermitengp.problem.UniformBoxSampler;
import io.hermitengp.problem.UniformLattice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The signed distance field of a mesh, negative inside, in the box [-1, 1]^3 into which the mesh
 * is placed with a margin. Loss terms, each named and weighted like any other:
 *
 * <pre>
 *   surface   f(x) = 0                     at surface points
 *   normal    grad f(x) - n(x) = 0         at surface points, n the triangle's unit normal (3 components)
 *   eikonal   |grad f(x)| - 1 = 0          at points uniform in the box (fresh every batch)
 *   distance  f(x) - d(x) = 0              at near-surface and uniform points, d the exact distance
 *   gradient  grad f(x) - grad d(x) = 0    at the same kind of points (3 components)
 * </pre>
 *
 * The surface, near-surface and uniform points come from pools drawn once (see {@link
 * MeshSamples}), because the exact distance costs a BVH query and a winding number per point;
 * near-surface points leave the surface by the settings' {@link NearSurfaceNoise}.
 * The error ({@code rel_l2}, {@code grad_rel_l2}) is measured on a separate evaluation set, half
 * near the surface, half uniform; {@link SdfMetrics} adds the gradient and distance errors in a
 * band around the surface, the normal angle error and the extracted surface's Chamfer distance.
 * The evaluation grid is the marching-cubes grid of that extraction. The benchmark's own metric,
 * a gradient error on a lattice band around the surface, is {@link #paperMetric}.
 */
public final class SdfProblem extends ProblemBase {
    public static final String TYPE = "sdf";
    /** Loss terms and their default points per step. */
    public static final Map<String, Integer> TERM_DEFAULTS = orderedTerms("surface", 2048, "normal", 2048, "eikonal",
            2048, "distance", 8192, "gradient", 2048);
    private static final Box BOX = Box.cube(3, -1, 1);
    /** Half-width of the paper metric's band, in the benchmark's units (its box is the unit cube). */
    static final double PAPER_BAND = 0.01;
    /** Lattice points handled at once by the paper metric. */
    static final int PAPER_CHUNK = 16384;

    private final MeshDomain mesh;
    private final SdfSettings settings;
    private final List<LossTerm> terms;
    private final ReferenceSamples reference;
    private final PooledSampler surfaceEvaluation;

    public SdfProblem(MeshDomain mesh, SdfSettings settings) {
        super(TYPE, BOX, 1, Channels.valueAndGradient(3), new int[]{settings.surfaceResolution(),
            settings.surfaceResolution(), settings.surfaceResolution()});
        if (!mesh.box().equals(BOX)) {
            throw new IllegalArgumentException("an SDF problem lives in " + BOX + ", its mesh was placed in " + mesh.box());
        }
        this.mesh = mesh;
        this.settings = settings;
        SplittableRandom rng = new SplittableRandom(settings.seed());
        PooledSampler surface = MeshSamples.surface(mesh, settings.poolSize(), rng.split());
        PooledSampler near = MeshSamples.nearSurface(mesh, settings.poolSize(), settings.nearNoise(), rng.split());
        PooledSampler uniform = MeshSamples.uniform(mesh, settings.poolSize(), rng.split());
        int half = settings.evaluationPoints() / 2;
        PooledSampler evaluationNear = MeshSamples.nearSurface(mesh, half, settings.nearNoise(), rng.split());
        PooledSampler evaluationUniform = MeshSamples.uniform(mesh, settings.evaluationPoints() - half, rng.split());
        this.surfaceEvaluation = MeshSamples.surface(mesh, settings.evaluationPoints(), rng.split());
        PooledSampler evaluation = PooledSampler.union(evaluationNear, evaluationUniform);
        this.reference = new ReferenceSamples(3, 1, evaluation.points(), evaluation.attributes());

        PooledSampler distance = PooledSampler.union(near, uniform);
        int c = channels().count();
        double[] valueOnly = new double[c];
        valueOnly[Channels.VALUE] = 1.0;
        this.terms = List.of(
                new LossTerm("surface", surface.withoutAttributes(), StandardResidual.linear(valueOnly, (x, xo) -> 0.0),
                        TERM_DEFAULTS.get("surface")),
                new LossTerm("normal", surface, StandardResidual.gradientMinusAttributes(channels(), 1, 0),
                        TERM_DEFAULTS.get("normal")),
                new LossTerm("eikonal", new UniformBoxSampler(BOX), StandardResidual.eikonal(channels(), 1),
                        TERM_DEFAULTS.get("eikonal")),
                new LossTerm("distance", distance, StandardResidual.linearOfAttribute(valueOnly, 0),
                        TERM_DEFAULTS.get("distance")),
                // grad f - grad d, grad d the sample's distance gradient (attributes 1..3)
                new LossTerm("gradient", distance, StandardResidual.gradientMinusAttributes(channels(), 1, 1),
                        TERM_DEFAULTS.get("gradient")));
    }

    /** Name, count, name, count, ... as an insertion-ordered, unmodifiable map. */
    static Map<String, Integer> orderedTerms(Object... nameThenCount) {
        Map<String, Integer> terms = new LinkedHashMap<>();
        for (int k = 0; k < nameThenCount.length; k += 2) {
            terms.put((String) nameThenCount[k], (Integer) nameThenCount[k + 1]);
        }
        return Collections.unmodifiableMap(terms);
    }

    public MeshDomain mesh() {
        return mesh;
    }

    public SdfSettings settings() {
        return settings;
    }

    /** Surface points with their normals, drawn for evaluation only. */
    PooledSampler surfaceEvaluation() {
        return surfaceEvaluation;
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    /** The exact signed distance and its gradient. */
    @Override
    public void exact(double[] x, int xOffset, double[] out) {
        mesh.distance().at(x[xOffset], x[xOffset + 1], x[xOffset + 2], out);
    }


    @Override
    public Optional<ReferenceSamples> referenceSamples() {
        return Optional.of(reference);
    }

    @Override
    public FinalMetrics finalMetrics(FieldProbe field) {
        return SdfMetrics.measure(this, field).report();
    }

    /**
     * {@code grad_mae_band0.01}: the benchmark's gradient error,
     *
     * <pre>
     *   (1 / (3 |B|)) sum_{x in B} sum_{i = x, y, z} |df/dx_i(x) - dd/dx_i(x)|,
     *   B = { x in L : |d(x)| < band },
     * </pre>
     *
     * with f the field, d the exact signed distance and L the uniform lattice with endpoints of
     * {@code paper_metric_grid}^3 points spanning the box (256^3 by default, the benchmark's).
     *
     * <p>Units: the benchmark poses the problem in the unit cube [0, 1]^3 with the mesh's longest
     * side spanning [0.14, 0.86] (its bounding-box center at the cube's center); this problem's box
     * is [-1, 1]^3, twice that size, with the same placement for {@code margin} 0.14. Distances
     * here are therefore twice the benchmark's, and the band is scaled with them: the benchmark's
     * {@code |d| < 0.01} is {@code |d| < 0.01 * 2 = 0.02} box units. The lattice maps onto the
     * benchmark's lattice point for point, and gradients of distances are unit vectors in either
     * units, so the errors need no scaling.
     *
     * <p>Cost: the lattice's band is found by {@link MeshDomain#forEachWithin}, which rules out a
     * block of lattice points far from the surface with one bounded BVH search and tests the
     * others one by one (a bounded search each, a winding number at band points); the field is
     * evaluated at band points only, {@value #PAPER_CHUNK} at a time ({@link #paperMetricBytes}),
     * and the sums run in lattice order, so the metric is the same bits for any thread count.
     * Empty when no lattice point lies in the band.
     */
    @Override
    public Optional<PaperMetric> paperMetric(FieldProbe field) {
        int n = settings.paperMetricGrid();
        double band = PAPER_BAND * BOX.extent(0);
        Channels channels = Channels.valueAndGradient(3);
        int c = channels.count();
        double[] jets = new double[c * PAPER_CHUNK];   // (m, C) the field at a batch of band points
        BandErrorSums sums = new BandErrorSums();
        mesh.forEachWithin(UniformLattice.over(BOX, n, n, n), band, PAPER_CHUNK, (points, exact, m) -> {
            field.evaluate(points, m, channels, jets);
            for (int q = 0; q < m; q++) {
                sums.add(jets, q * c, exact, 4 * q);
            }
        });
        return sums.points() == 0 ? Optional.empty()
                : PaperMetric.of("grad_mae_band" + PAPER_BAND, sums.gradientComponentMean());
    }

    /**
     * Working memory of {@link #paperMetric} on a {@code grid}^3 lattice: the band walk's buffers
     * ({@link MeshDomain#forEachWithinBytes}) and the field's jets at a batch of band points.
     */
    static long paperMetricBytes(int grid) {
        return MeshDomain.forEachWithinBytes(grid, PAPER_CHUNK) + (long) PAPER_CHUNK * Double.BYTES * 4;
    }

    @Override
    public String toString() {
        return TYPE + " of " + mesh.original().source();
    }

    /**
     * {@code sdf}: the signed distance field of a mesh file (OBJ, PLY, STL; a path relative to the
     * working directory): keys mesh, margin, seed, pool_size, near_noise with near_sigma
     * ({@code gaussian}) or near_scale ({@code logistic}), band, evaluation_points,
     * surface_resolution, paper_metric_grid (see {@link SdfSettings}). The benchmark's placement
     * of the mesh is {@code margin} 0.14.
     */
    public record Config(String mesh, SdfSettings settings) implements ProblemConfig.MeshProblemConfig {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Integer> termDefaults() {
            return TERM_DEFAULTS;
        }

        /**
         * Surface pool (point, normal), near and uniform pools (point, distance, gradient),
         * evaluation points, and the larger of the surface extracted for the final metrics on the
         * {@code surface_resolution}^3 grid ({@link FieldSurface#estimatedBytes}) and the paper
         * metric's buffers ({@link SdfProblem#paperMetricBytes()}), which are measured one after the other.
         */
        @Override
        public long problemBytes() {
            return Double.BYTES * ((long) settings.poolSize() * (3 + MeshSamples.NORMAL_WIDTH + 2L * (3 + MeshSamples.DISTANCE_WIDTH))
                    + (long) settings.evaluationPoints() * (3 + MeshSamples.DISTANCE_WIDTH))
                    + Math.max(FieldSurface.estimatedBytes(settings.surfaceResolution()),
                    paperMetricBytes(settings.paperMetricGrid()));
        }

        @Override
        public Problem create(int threads) {
            return new SdfProblem(MeshDomain.load(mesh, BOX, settings.margin(), threads), settings);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("mesh", mesh);
            node.put("margin", settings.margin());
            node.put("seed", settings.seed());
            node.put("pool_size", settings.poolSize());
            NearSurfaceNoise noise = settings.nearNoise();
            node.put("near_noise", noise.kind().configName());
            node.put(noise.kind() == NearSurfaceNoise.Kind.GAUSSIAN ? "near_sigma" : "near_scale", noise.scale());
            node.put("band", settings.band());
            node.put("evaluation_points", settings.evaluationPoints());
            node.put("surface_resolution", settings.surfaceResolution());
            node.put("paper_metric_grid", settings.paperMetricGrid());
        }
    }

    /** The {@code sdf} problem type. */
    public static final class Type implements ProblemType {
        /**
         * The default logistic scale: the benchmark's logistic(0, 0.02) in its unit cube, which
         * is half as wide as this problem's box [-1, 1]^3 with the mesh placed alike.
         */
        static final double BENCHMARK_LOGISTIC_SCALE = 0.04;

        @Override
        public List<String> names() {
            return List.of(TYPE);
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            SdfSettings d = SdfSettings.DEFAULTS;
            String mesh = ProblemConfig.meshPath(section);
            double margin = section.number("margin", d.margin(), 0.0, false, 0.49);
            long seed = section.integer("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
            int poolSize = section.intIn("pool_size", d.poolSize(), 1, 1 << 26);
            NearSurfaceNoise.Kind kind = NearSurfaceNoise.Kind.fromConfig(section.choice("near_noise",
                    d.nearNoise().kind().configName(), NearSurfaceNoise.Kind.configNames()));
            NearSurfaceNoise noise = kind == NearSurfaceNoise.Kind.GAUSSIAN
                    ? NearSurfaceNoise.gaussian(section.number("near_sigma", d.nearNoise().scale(), 0.0, true, 1.0))
                    : NearSurfaceNoise.logistic(section.number("near_scale", BENCHMARK_LOGISTIC_SCALE, 0.0, true, 1.0));
            return new Config(mesh, new SdfSettings(margin, seed, poolSize, noise,
                    section.number("band", d.band(), 0.0, true, 2.0),
                    section.intIn("evaluation_points", d.evaluationPoints(), 2, 1 << 24),
                    section.intIn("surface_resolution", d.surfaceResolution(), 4, 1024),
                    section.intIn("paper_metric_grid", d.paperMetricGrid(), 2, 1024)));
        }
    }
}
