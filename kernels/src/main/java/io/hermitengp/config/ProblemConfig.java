package io.hermitengp.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.FlowMixingProblem;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.TaylorGreenProblem;
import io.hermitengp.problem.Problem;

/** The {@code problem} section of a config: which problem, with which parameters. */
public interface ProblemConfig {
    /** Problem types this build knows. */
    String[] TYPES = {"helmholtz2d", "helmholtz3d", "convection", "taylor_green", "flow_mixing"};

    String type();

    int dims();

    Problem create();

    /** Writes every parameter, defaults included. */
    void writeTo(ObjectNode node);

    static ProblemConfig parse(ConfigObject section) {
        String type = section.choice("type", null, TYPES);
        ProblemConfig config = switch (type) {
            case "helmholtz2d" -> Helmholtz.parse(section, 2);
            case "helmholtz3d" -> Helmholtz.parse(section, 3);
            case "convection" -> new Convection(section.number("c", 30.0, -1e4, false, 1e4),
                    parseDomain(section, ConvectionProblem.standardDomain()));
            case "taylor_green" -> new TaylorGreen(section.number("nu", 0.01, 0.0, false, 1e4),
                    parseDomain(section, TaylorGreenProblem.standardDomain()));
            case "flow_mixing" -> new FlowMixing(section.number("v_max", 0.385, 0.0, true, 1e4),
                    parseDomain(section, FlowMixingProblem.standardDomain()));
            default -> throw new ConfigException("problem.type '" + type + "' has no parser");
        };
        section.finish();
        return config;
    }

    /** Helmholtz with {@code u = prod sin(a pi x_i)}: keys a, k, domain {lo, hi}. */
    record Helmholtz(int dims, double a, double k, Box domain) implements ProblemConfig {
        static Helmholtz parse(ConfigObject section, int dims) {
            double a = section.number("a", 10.0, 0.0, true, 1e4);
            double k = section.number("k", 1.0, 0.0, false, 1e4);
            Box domain = parseDomain(section, Box.cube(dims, -1, 1));
            return new Helmholtz(dims, a, k, domain);
        }

        @Override
        public String type() {
            return "helmholtz" + dims + "d";
        }

        @Override
        public Problem create() {
            return new HelmholtzProblem(domain, a, k);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("a", a);
            node.put("k", k);
            writeDomain(node, domain);
        }
    }

    /** Convection 1+1D: keys c, domain (axes x, t; x periodic). */
    record Convection(double c, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "convection";
        }

        @Override
        public int dims() {
            return 2;
        }

        @Override
        public Problem create() {
            return new ConvectionProblem(c, domain);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("c", c);
            writeDomain(node, domain);
        }
    }

    /** Taylor-Green vortex: keys nu, domain (axes x, y, t). */
    record TaylorGreen(double nu, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "taylor_green";
        }

        @Override
        public int dims() {
            return 3;
        }

        @Override
        public Problem create() {
            return new TaylorGreenProblem(nu, domain);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("nu", nu);
            writeDomain(node, domain);
        }
    }

    /** Flow mixing: keys v_max, domain (axes x, y, t). */
    record FlowMixing(double vMax, Box domain) implements ProblemConfig {
        @Override
        public String type() {
            return "flow_mixing";
        }

        @Override
        public int dims() {
            return 3;
        }

        @Override
        public Problem create() {
            return new FlowMixingProblem(vMax, domain);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("v_max", vMax);
            writeDomain(node, domain);
        }
    }

    /** Reads {@code domain: {lo: [...], hi: [...]}} with one entry per dimension. */
    static Box parseDomain(ConfigObject section, Box defaults) {
        ConfigObject domain = section.object("domain");
        int d = defaults.dims();
        double[] lo = domain.numberArray("lo", defaults.lo(), d, d);
        double[] hi = domain.numberArray("hi", defaults.hi(), d, d);
        domain.finish();
        for (int i = 0; i < d; i++) {
            if (!(hi[i] > lo[i])) {
                throw new ConfigException(domain.path() + " needs lo < hi on every axis; axis " + i + " has ["
                        + lo[i] + ", " + hi[i] + "]");
            }
        }
        return new Box(lo, hi);
    }

    static void writeDomain(ObjectNode node, Box box) {
        ObjectNode domain = node.putObject("domain");
        var lo = domain.putArray("lo");
        var hi = domain.putArray("hi");
        for (int i = 0; i < box.dims(); i++) {
            lo.add(box.lo(i));
            hi.add(box.hi(i));
        }
    }
}
