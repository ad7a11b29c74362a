package io.hermitengp.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.List;
import java.util.Optional;

/**
 * Flow mixing: {@code u_t + a u_x + b u_y = 0} on x, y in [-4, 4], t in [0, 4] (axes 0 = x,
 * 1 = y, 2 = t), a rotation of the initial profile {@code -tanh(y/2)} with angular speed
 * {@code w(r) = v_t(r) / (r v_max)}, {@code v_t = sech^2(r) tanh(r)}, {@code r = sqrt(x^2 + y^2)}:
 *
 * <pre>
 *   a = -w y,   b = w x,   u = -tanh((y/2) cos(w t) - (x/2) sin(w t)).
 * </pre>
 *
 * The guard at r -> 0: {@code w} is evaluated as {@code (tanh r / r) sech^2 r / v_max} with
 * {@code tanh r / r -> 1}, so {@code a} and {@code b} are smooth through the origin.
 * Loss terms: {@code residual} {@code r = u_t + a u_x + b u_y}; {@code initial} (t = 0) and
 * {@code boundary} (spatial faces) {@code u} minus the exact value. Error on a 50^3 grid; paper
 * metric ({@link #paperMetric}): the mean relative L2 over five time slices of 50^2 points.
 */
public final class FlowMixingProblem extends ProblemBase {
    /** Time slices of the paper metric, spread evenly over the time range, both ends included. */
    static final int PAPER_SLICES = 5;
    /** Points per spatial axis of each slice. */
    static final int PAPER_GRID = 50;

    private final double vMax;
    private final List<LossTerm> terms;

    public FlowMixingProblem(double vMax, Box domain) {
        super("flow_mixing", requireAxes(domain, 3, "flow mixing needs a 3-axis (x, y, t) domain"), 1,
                Channels.valueAndGradient(3), new int[]{50, 50, 50});
        this.vMax = vMax;
        double[] value = new double[channels().count()];
        value[Channels.VALUE] = 1.0;
        this.terms = List.of(
                new LossTerm("residual", new UniformBoxSampler(domain),
                        StandardResidual.pointwiseLinear(1, channels().count(), this::transportCoefficients), 8192),
                new LossTerm("initial", new FaceSampler(domain, 2, false), StandardResidual.linear(value, this::solution), 2048),
                new LossTerm("boundary", new BoxBoundarySampler(domain, 0b011), StandardResidual.linear(value, this::solution),
                        2048));
    }

    /** The standard domain [-4, 4]^2 x [0, 4]. */
    public static Box standardDomain() {
        return new Box(new double[]{-4, -4, 0}, new double[]{4, 4, 4});
    }

    /** {@code tanh(r)/r}, 1 at r = 0, by its series below 1e-4. */
    private static double tanhOverR(double r) {
        return r < 1e-4 ? 1 - r * r / 3 : Math.tanh(r) / r;
    }

    /** Angular speed w(r) = sech^2(r) tanh(r) / (r v_max). */
    public double angularSpeed(double r) {
        double sech = 1 / Math.cosh(r);
        return sech * sech * tanhOverR(r) / vMax;
    }

    /** dw/dr divided by r (smooth at 0, where it is -8/(3 v_max)). */
    private double angularSpeedSlopeOverR(double r) {
        if (r < 1e-4) {
            return -8.0 / 3.0 / vMax;
        }
        double t = Math.tanh(r);
        double s = 1 / (Math.cosh(r) * Math.cosh(r));
        double g = s * t / r;
        double dg = (s * s - 2 * s * t * t) / r - g / r;
        return dg / r / vMax;
    }

    /**
     * The transport residual {@code r = u_t + a u_x + b u_y} as a linear row whose coefficients vary
     * with the point: {@code (0, a, b, 1)} over (value, u_x, u_y, u_t) and data 0, with the
     * velocity {@code (a, b) = w(r) (-y, x)}.
     */
    private void transportCoefficients(double[] x, int xo, double[] attributes, int ao, double[] out, int oo) {
        double w = angularSpeed(Math.hypot(x[xo], x[xo + 1]));
        out[oo + Channels.VALUE] = 0.0;
        out[oo + Channels.gradient(0)] = -w * x[xo + 1];
        out[oo + Channels.gradient(1)] = w * x[xo];
        out[oo + Channels.gradient(2)] = 1.0;
        out[oo + 4] = 0.0;
    }

    private double solution(double[] x, int xo) {
        double w = angularSpeed(Math.hypot(x[xo], x[xo + 1]));
        double phase = w * x[xo + 2];
        return -Math.tanh(x[xo + 1] / 2 * Math.cos(phase) - x[xo] / 2 * Math.sin(phase));
    }

    @Override
    public void exact(double[] point, int offset, double[] out) {
        double x = point[offset];
        double y = point[offset + 1];
        double t = point[offset + 2];
        double r = Math.hypot(x, y);
        double w = angularSpeed(r);
        double slope = angularSpeedSlopeOverR(r);   // dw/dx = slope * x, dw/dy = slope * y
        double c = Math.cos(w * t);
        double s = Math.sin(w * t);
        double q = y / 2 * c - x / 2 * s;
        double dqdw = t * (-y / 2 * s - x / 2 * c);
        double sech = 1 / Math.cosh(q);
        double dudq = -sech * sech;
        out[0] = -Math.tanh(q);
        out[1] = dudq * (-s / 2 + dqdw * slope * x);
        out[2] = dudq * (c / 2 + dqdw * slope * y);
        out[3] = dudq * w * (-y / 2 * s - x / 2 * c);
    }

    @Override
    public List<LossTerm> terms() {
        return terms;
    }

    /**
     * {@code mean_rel_l2_5_slices}: the benchmark's error, the mean over five times
     * {@code t_s = t_lo + s (t_hi - t_lo) / 4}, s = 0..4 (t = 0, 1, 2, 3, 4 on the standard range
     * [0, 4]), of the relative L2 error {@code sqrt( sum (u - u*)^2 / sum u*^2 )} on the 50^2
     * uniform (x, y) grid with endpoints spanning the spatial domain at that time.
     */
    @Override
    public Optional<PaperMetric> paperMetric(FieldProbe field) {
        UniformLattice volume = UniformLattice.over(domain(), PAPER_GRID, PAPER_GRID, 2);
        double sum = 0;
        for (int s = 0; s < PAPER_SLICES; s++) {
            double t = domain().lo(2) + domain().extent(2) * s / (PAPER_SLICES - 1);
            sum += LatticeComparison.relativeL2(this, field, volume.slice(2, t));
        }
        return PaperMetric.of("mean_rel_l2_" + PAPER_SLICES + "_slices", sum / PAPER_SLICES);
    }

    /** {@code flow_mixing}: keys v_max, domain (axes x, y, t). */
    public record Config(double vMax, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "flow_mixing";
        }

        @Override
        public int dims() {
            return domain.dims();
        }

        @Override
        public Problem create(int threads) {
            return new FlowMixingProblem(vMax, domain);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("v_max", vMax);
            ProblemConfig.writeDomain(node, domain);
        }
    }

    /** The flow_mixing problem type. */
    public static final class Type implements ProblemType {
        @Override
        public List<String> names() {
            return List.of("flow_mixing");
        }

        @Override
        public ProblemConfig parse(String name, ConfigObject section) {
            return new Config(section.number("v_max", 0.385, 0.0, true, 1e4),
                    ProblemConfig.parseDomain(section, standardDomain()));
        }
    }
}
