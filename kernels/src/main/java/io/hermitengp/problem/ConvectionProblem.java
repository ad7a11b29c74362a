package io.hermitengp.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.List;
import java.util.Optional;

/**
 * Convection 1+1D: {@code u_t + c u_x = 0} for x in [0, 2 pi] (periodic), t in [0, 1], with
 * {@code u(x, 0) = sin x}; exact {@code u = sin(x - c t)}. Axes: 0 = x, 1 = t.
 *
 * <p>Loss terms (both {@link StandardResidual}s): {@code residual} {@code r = u_t + c u_x} inside,
 * {@code initial} {@code r = u - sin x} at t = 0. The periodic condition is built into the field
 * ({@link #periodicAxes()} = x), so it holds exactly, for the value and every derivative, with no
 * loss term (the benchmark instead penalizes {@code u(0, t) - u(2 pi, t)} at sampled pairs; the
 * field built periodic satisfies that exactly). Error on a 200 (x) by 128 (t) grid with endpoints;
 * paper metric ({@link #paperMetric}) on a 200 by 200 grid with endpoints.
 */
public final class ConvectionProblem extends ProblemBase {
    /** Points per axis (x and t) of the paper metric's grid. */
    static final int PAPER_GRID = 200;

    private final double c;
    private final List<LossTerm> terms;

    public ConvectionProblem(double c, Box domain) {
        super("convection", requireAxes(domain, 2, "convection 1+1D needs a 2-axis (x, t) domain"), 1,
                Channels.valueAndGradient(2), new int[]{200, 128});
        this.c = c;
        Channels channels = channels();
        double[] transport = new double[channels.count()];
        transport[Channels.gradient(0)] = c;
        transport[Channels.gradient(1)] = 1.0;
        double[] value = new double[channels.count()];
        value[Channels.VALUE] = 1.0;
        this.terms = List.of(
                new LossTerm("residual", new UniformBoxSampler(domain), StandardResidual.linear(transport, (x, o) -> 0.0), 8192),
                new LossTerm("initial", new FaceSampler(domain, 1, false),
                        StandardResidual.linear(value, (x, o) -> Math.sin(x[o])), 1024));
    }

    /** The standard domain [0, 2 pi] x [0, 1]. */
    public static Box standardDomain() {
        return new Box(new double[]{0, 0}, new double[]{2 * Math.PI, 1});
    }

    public double c() {
        return c;
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    @Override
    public int periodicAxes() {
        return 1;
    }

    /**
     * {@code rel_l2_grid200}: the benchmark's error, {@code sqrt( sum (u - u*)^2 / sum u*^2 )} over
     * the 200 (x) by 200 (t) uniform grid with endpoints spanning the domain.
     */
    @Override
    public Optional<PaperMetric> paperMetric(FieldProbe field) {
        return PaperMetric.of("rel_l2_grid" + PAPER_GRID,
                LatticeComparison.relativeL2(this, field, UniformLattice.over(domain(), PAPER_GRID, PAPER_GRID)));
    }

    @Override
    public void exact(double[] x, int xOffset, double[] out) {
        double phase = x[xOffset] - c * x[xOffset + 1];
        out[0] = Math.sin(phase);
        out[1] = Math.cos(phase);
        out[2] = -c * Math.cos(phase);
    }

    /** {@code convection}: keys c, domain (axes x, t; x periodic). */
    public record Config(double c, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "convection";
        }

        @Override
        public int dims() {
            return domain.dims();
        }

        @Override
        public Problem create(int threads) {
            return new ConvectionProblem(c, domain);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("c", c);
            ProblemConfig.writeDomain(node, domain);
        }
    }

    /** The convection problem type. */
    public static final class Type implements ProblemType {
        @Override
        public List<String> names() {
            return List.of("convection");
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            return new Config(section.number("c", 30.0, -1e4, false, 1e4),
                    ProblemConfig.parseDomain(section, standardDomain()));
        }
    }
}
