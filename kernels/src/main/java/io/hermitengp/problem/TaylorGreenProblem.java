package io.hermitengp.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Taylor-Green vortex: 2D incompressible Navier-Stokes for (u, v, p) on [0, 2 pi]^2 x [0, 1],
 * axes 0 = x, 1 = y, 2 = t, outputs 0 = u, 1 = v, 2 = p, with the exact solution
 *
 * <pre>
 *   u = -cos x sin y e^{-2 nu t},  v = sin x cos y e^{-2 nu t},  p = -(cos 2x + cos 2y) e^{-4 nu t} / 4.
 * </pre>
 *
 * Loss terms: {@code residual}, three components
 * <pre>
 *   r1 = u_t + u u_x + v u_y + p_x - nu (u_xx + u_yy)
 *   r2 = v_t + u v_x + v v_y + p_y - nu (v_xx + v_yy)
 *   r3 = w_c (u_x + v_y)
 * </pre>
 * with {@code w_c} the continuity weight (1 by default; the benchmark's recipe scales continuity by
 * 10 inside the residual, so its squared error counts 100 times in the term's loss).
 * {@code initial} (t = 0): {@code (u, v, p)} minus the exact values. On the four spatial faces,
 * by {@link SpatialBoundary}: either a {@code boundary} term, {@code (u, v, p)} minus the exact
 * values there ({@code exact}, the default), or a field built periodic in x and y with no term
 * ({@code periodic}, the benchmark's condition, which the benchmark imposes by a penalty on
 * periodic pairs of points and the periodic field holds exactly). The Laplacian channel covers
 * x and y only. Error on a 64 x 64 x 11 grid; paper metric ({@link #paperMetric}): the RMSE of the
 * speed at t = 0.5 on a 100^2 grid.
 */
public final class TaylorGreenProblem extends ProblemBase {
    private static final int OUTPUTS = 3;
    /** The time of the paper metric's slice. */
    static final double PAPER_TIME = 0.5;
    /** Points per spatial axis of the paper metric's slice. */
    static final int PAPER_GRID = 100;

    private final double nu;
    private final double continuityWeight;
    private final SpatialBoundary spatialBoundary;
    private final Channels channels;
    private final List<LossTerm> terms;

    /** How the solution is held on the spatial faces x, y in {lo, hi}. */
    public enum SpatialBoundary {
        /** A {@code boundary} loss term: (u, v, p) minus the exact values on the four faces. */
        EXACT("exact"),
        /**
         * The field is built periodic in x and y (grid vertex N is vertex 0), so u, v, p and every
         * derivative agree on opposite faces exactly, with no loss term; needs x and y ranges of
         * whole periods 2 pi.
         */
        PERIODIC("periodic");

        private final String configName;

        SpatialBoundary(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static SpatialBoundary named(String name) {
            for (SpatialBoundary b : values()) {
                if (b.configName.equals(name)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("no spatial boundary '" + name + "'");
        }

        static String[] configNames() {
            return Arrays.stream(values()).map(SpatialBoundary::configName).toArray(String[]::new);
        }
    }

    /** The problem with exact values on the spatial faces ({@link SpatialBoundary#EXACT}). */
    public TaylorGreenProblem(double nu, Box domain) {
        this(nu, domain, SpatialBoundary.EXACT);
    }

    /** The problem with an unscaled continuity component. */
    public TaylorGreenProblem(double nu, Box domain, SpatialBoundary spatialBoundary) {
        this(nu, domain, spatialBoundary, 1.0);
    }

    /** @param continuityWeight {@code w_c}, the scale of the continuity component {@code r3} */
    public TaylorGreenProblem(double nu, Box domain, SpatialBoundary spatialBoundary, double continuityWeight) {
        super("taylor_green", requireAxes(domain, 3, "Taylor-Green needs a 3-axis (x, y, t) domain"), OUTPUTS,
                new Channels(3, 0b011), new int[]{64, 64, 11});
        if (spatialBoundary == SpatialBoundary.PERIODIC && !spansWholePeriods(domain)) {
            throw new IllegalArgumentException("a Taylor-Green field periodic in x and y needs x and y ranges of whole "
                    + "periods 2 pi, got " + domain);
        }
        if (!(continuityWeight > 0 && Double.isFinite(continuityWeight))) {
            throw new IllegalArgumentException("the continuity weight must be positive, got " + continuityWeight);
        }
        this.nu = nu;
        this.continuityWeight = continuityWeight;
        this.spatialBoundary = spatialBoundary;
        this.channels = channels();
        LossTerm residual = new LossTerm("residual", new UniformBoxSampler(domain),
                StandardResidual.navierStokes2d(nu, continuityWeight, channels), 8192);
        LossTerm initial = new LossTerm("initial", new FaceSampler(domain, 2, false), exactValues(), 2048);
        this.terms = spatialBoundary == SpatialBoundary.PERIODIC ? List.of(residual, initial) : List.of(residual, initial,
                new LossTerm("boundary", new BoxBoundarySampler(domain, 0b011), exactValues(), 2048));
    }

    /** Whether the x and y ranges each span a whole number of periods 2 pi (to 1e-9 relative). */
    static boolean spansWholePeriods(Box domain) {
        for (int axis = 0; axis < 2; axis++) {
            double periods = domain.extent(axis) / (2 * Math.PI);
            if (Math.round(periods) < 1 || Math.abs(periods - Math.round(periods)) > 1e-9 * periods) {
                return false;
            }
        }
        return true;
    }

    /** The standard domain [0, 2 pi]^2 x [0, 1]. */
    public static Box standardDomain() {
        return new Box(new double[]{0, 0, 0}, new double[]{2 * Math.PI, 2 * Math.PI, 1});
    }

    /** Jet index of channel ch of output o, layout (C, outputs). */
    private static int at(int ch, int o) {
        return ch * OUTPUTS + o;
    }

    /** (u, v, p) minus the exact values at the point: three linear rows over the value channel. */
    private StandardResidual exactValues() {
        int size = channels.count() * OUTPUTS;
        double[] rows = new double[OUTPUTS * size];
        for (int o = 0; o < OUTPUTS; o++) {
            rows[o * size + at(Channels.VALUE, o)] = 1.0;
        }
        return StandardResidual.linearRows(OUTPUTS, rows, (x, xo, attributes, ao, out, oo) -> {
            double[] exact = new double[4 * OUTPUTS];
            exact(x, xo, exact);
            System.arraycopy(exact, 0, out, oo, OUTPUTS);
        });
    }

    public double nu() {
        return nu;
    }

    public SpatialBoundary spatialBoundary() {
        return spatialBoundary;
    }

    public double continuityWeight() {
        return continuityWeight;
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    /** x and y ({@code 0b011}) with {@link SpatialBoundary#PERIODIC}, none otherwise. */
    @Override
    public int periodicAxes() {
        return spatialBoundary == SpatialBoundary.PERIODIC ? 0b011 : 0;
    }

    /**
     * {@code speed_rmse_t0.5}: the benchmark's error, the absolute (not relative) root mean square
     * error of the speed at t = 0.5,
     * <pre>
     *   sqrt( (1/N) sum_{(x, y)} ( sqrt(u^2 + v^2) - sqrt(u*^2 + v*^2) )^2 )
     * </pre>
     * over the N = 100^2 uniform (x, y) grid with endpoints spanning the spatial domain. Empty when
     * t = 0.5 lies outside the domain's time range.
     */
    @Override
    public Optional<PaperMetric> paperMetric(FieldProbe field) {
        Box box = domain();
        if (PAPER_TIME < box.lo(2) || PAPER_TIME > box.hi(2)) {
            return Optional.empty();
        }
        UniformLattice slice = UniformLattice.over(box, PAPER_GRID, PAPER_GRID, 2).slice(2, PAPER_TIME);
        double[] squares = new double[1];
        LatticeComparison.visit(this, field, slice, (u, exact, outputs) -> {
            double e = Math.hypot(u[0], u[1]) - Math.hypot(exact[0], exact[1]);
            squares[0] += e * e;
        });
        return PaperMetric.of("speed_rmse_t" + PAPER_TIME, Math.sqrt(squares[0] / slice.size()));
    }

    @Override
    public void exact(double[] point, int offset, double[] out) {
        double x = point[offset];
        double y = point[offset + 1];
        double t = point[offset + 2];
        double e = Math.exp(-2 * nu * t);
        double f = Math.exp(-4 * nu * t);
        double u = -Math.cos(x) * Math.sin(y) * e;
        double v = Math.sin(x) * Math.cos(y) * e;
        double p = -(Math.cos(2 * x) + Math.cos(2 * y)) * f / 4;
        out[at(0, 0)] = u;
        out[at(0, 1)] = v;
        out[at(0, 2)] = p;
        out[at(1, 0)] = Math.sin(x) * Math.sin(y) * e;
        out[at(2, 0)] = -Math.cos(x) * Math.cos(y) * e;
        out[at(3, 0)] = -2 * nu * u;
        out[at(1, 1)] = Math.cos(x) * Math.cos(y) * e;
        out[at(2, 1)] = -Math.sin(x) * Math.sin(y) * e;
        out[at(3, 1)] = -2 * nu * v;
        out[at(1, 2)] = Math.sin(2 * x) * f / 2;
        out[at(2, 2)] = Math.sin(2 * y) * f / 2;
        out[at(3, 2)] = -4 * nu * p;
    }

    /**
     * {@code taylor_green}: keys nu, domain (axes x, y, t), spatial_boundary (exact or periodic),
     * continuity_weight.
     */
    public record Config(double nu, Box domain, SpatialBoundary spatialBoundary, double continuityWeight)
            implements ProblemConfig {
        @Override
        public String type() {
            return "taylor_green";
        }

        @Override
        public int dims() {
            return domain.dims();
        }

        @Override
        public Problem create(int threads) {
            return new TaylorGreenProblem(nu, domain, spatialBoundary, continuityWeight);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("nu", nu);
            ProblemConfig.writeDomain(node, domain);
            node.put("spatial_boundary", spatialBoundary.configName());
            node.put("continuity_weight", continuityWeight);
        }
    }

    /** The taylor_green problem type. */
    public static final class Type implements ProblemType {
        @Override
        public List<String> names() {
            return List.of("taylor_green");
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            double nu = section.number("nu", 0.01, 0.0, false, 1e4);
            Box domain = ProblemConfig.parseDomain(section, standardDomain());
            SpatialBoundary spatialBoundary = SpatialBoundary.named(section.choice("spatial_boundary",
                    SpatialBoundary.EXACT.configName(), SpatialBoundary.configNames()));
            if (spatialBoundary == SpatialBoundary.PERIODIC && !spansWholePeriods(domain)) {
                throw new ConfigException(section.path() + ".spatial_boundary 'periodic' needs domain x and y ranges "
                        + "of whole periods 2 pi, got " + domain);
            }
            double continuityWeight = section.number("continuity_weight", 1.0, 0.0, true, 1e4);
            return new Config(nu, domain, spatialBoundary, continuityWeight);
        }
    }
}
