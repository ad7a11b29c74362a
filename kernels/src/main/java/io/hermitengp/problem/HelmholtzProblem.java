package io.hermitengp.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Helmholtz equation with a manufactured solution, in d = 2 or 3 dimensions:
 *
 * <pre>
 *   Lap u + k^2 u = q   in the box,      u = g on its boundary,
 *   u*(x) = prod_i sin(a pi x_i),        q = (k^2 - d a^2 pi^2) u*,   g = u*.
 * </pre>
 *
 * The box defaults to [0, 1]^d, where the benchmark poses it (with k = 1, the equation
 * {@code Lap u + u = f}); any box is allowed. Loss terms, both {@link StandardResidual}s:
 * {@code residual} {@code r = Lap u + k^2 u - q(x)} at interior points and {@code boundary}
 * {@code r = u - g(x)} on the faces. Error: relative L2 of u and of grad u on a uniform grid with
 * endpoints (250^2 in 2D, 100^3 in 3D). Paper metric ({@link #paperMetric}): relative L2 of u on
 * a coarser grid with endpoints, 200^2 in 2D and 34^3 in 3D.
 */
public final class HelmholtzProblem extends ProblemBase {
    /** Points per axis of the paper metric's grid in 2D. */
    static final int PAPER_GRID_2D = 200;
    /** Points per axis of the paper metric's grid in 3D. */
    static final int PAPER_GRID_3D = 34;

    private final double a;
    private final double k;
    private final Channels channels;
    private final List<LossTerm> terms;

    public HelmholtzProblem(Box domain, double a, double k) {
        super("helmholtz" + domain.dims() + "d", domain, 1, Channels.withFullLaplacian(domain.dims()),
                gridFor(domain.dims()));
        if (domain.dims() < 2 || domain.dims() > 3) {
            throw new IllegalArgumentException("Helmholtz is defined here for 2 or 3 dimensions, got " + domain.dims());
        }
        this.a = a;
        this.k = k;
        this.channels = channels();
        double[] interior = new double[channels.count()];
        interior[Channels.VALUE] = k * k;
        interior[channels.laplacian()] = 1.0;
        double[] boundary = new double[channels.count()];
        boundary[Channels.VALUE] = 1.0;
        this.terms = List.of(
                new LossTerm("residual", new UniformBoxSampler(domain), StandardResidual.linear(interior, this::source), 8192),
                new LossTerm("boundary", new BoxBoundarySampler(domain), StandardResidual.linear(boundary, this::solution),
                        512 * 2 * domain.dims()));
    }

    /** The benchmark's box, [0, 1]^d: the default domain. */
    public static Box defaultDomain(int dims) {
        return Box.cube(dims, 0, 1);
    }

    private static int[] gridFor(int dims) {
        int[] grid = new int[dims];
        Arrays.fill(grid, dims == 2 ? 250 : 100);
        return grid;
    }

    public double a() {
        return a;
    }

    public double k() {
        return k;
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    /** u*(x) = prod_i sin(a pi x_i). */
    public double solution(double[] x, int offset) {
        double u = 1;
        for (int i = 0; i < dims(); i++) {
            u *= Math.sin(a * Math.PI * x[offset + i]);
        }
        return u;
    }

    /** The source q(x) = (k^2 - d a^2 pi^2) u*(x). */
    public double source(double[] x, int offset) {
        return (k * k - dims() * a * a * Math.PI * Math.PI) * solution(x, offset);
    }

    /**
     * {@code rel_l2_grid200} (2D) or {@code rel_l2_grid34} (3D): the benchmark's error,
     * {@code sqrt( sum_x (u - u*)^2 / sum_x u*^2 )} over the uniform grid with endpoints of
     * 200^2 (2D) or 34^3 (3D) points spanning the problem's box.
     */
    @Override
    public Optional<PaperMetric> paperMetric(FieldProbe field) {
        int n = dims() == 2 ? PAPER_GRID_2D : PAPER_GRID_3D;
        int[] counts = new int[dims()];
        Arrays.fill(counts, n);
        return PaperMetric.of("rel_l2_grid" + n,
                LatticeComparison.relativeL2(this, field, UniformLattice.over(domain(), counts)));
    }

    @Override
    public void exact(double[] x, int xOffset, double[] out) {
        int d = dims();
        out[0] = solution(x, xOffset);
        for (int j = 0; j < d; j++) {
            double g = a * Math.PI * Math.cos(a * Math.PI * x[xOffset + j]);
            for (int i = 0; i < d; i++) {
                if (i != j) {
                    g *= Math.sin(a * Math.PI * x[xOffset + i]);
                }
            }
            out[1 + j] = g;
        }
    }

    /** {@code helmholtz2d}, {@code helmholtz3d}: keys a, k, domain {lo, hi} (default [0, 1]^d). */
    public record Config(int dims, double a, double k, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "helmholtz" + dims + "d";
        }

        @Override
        public Problem create(int threads) {
            return new HelmholtzProblem(domain, a, k);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("a", a);
            node.put("k", k);
            ProblemConfig.writeDomain(node, domain);
        }
    }

    /** The Helmholtz problem type, in 2 and 3 dimensions. */
    public static final class Type implements ProblemType {
        @Override
        public List<String> names() {
            return List.of("helmholtz2d", "helmholtz3d");
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            int dims = name.equals("helmholtz2d") ? 2 : 3;
            double a = section.number("a", 10.0, 0.0, true, 1e4);
            double k = section.number("k", 1.0, 0.0, false, 1e4);
            return new Config(dims, a, k, ProblemConfig.parseDomain(section, defaultDomain(dims)));
        }
    }
}
