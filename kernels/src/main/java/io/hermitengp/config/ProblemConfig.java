package io.hermitengp.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.field.FieldShape;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.FlowMixingProblem;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.TaylorGreenProblem;
import io.hermitengp.problem.Problem;
import io.hermitengp.shape.MeshDomain;
import io.hermitengp.shape.MeshPoissonProblem;
import io.hermitengp.shape.SdfProblem;
import io.hermitengp.shape.SdfSettings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code problem} section of a config: which problem, with which parameters. */
public interface ProblemConfig {
    /** Problem types this build knows. */
    String[] TYPES = {"helmholtz2d", "helmholtz3d", "convection", "taylor_green", "flow_mixing", SdfProblem.TYPE,
        MeshPoissonProblem.TYPE};

    String type();

    int dims();

    Problem create();

    /**
     * The shape of a field for this problem, known without building the problem (so a stored
     * field is rebuilt for evaluation without reading or sampling a mesh).
     */
    default FieldShape fieldShape() {
        Problem problem = create();
        return new FieldShape(problem.domain(), problem.outputs(), problem.periodicAxes());
    }

    /**
     * The problem's loss terms with their default points per step, in order, known without
     * building the problem (a mesh problem reads its mesh and samples it only in {@link #create()}).
     */
    default Map<String, Integer> termDefaults() {
        Map<String, Integer> terms = new LinkedHashMap<>();
        create().terms().forEach(t -> terms.put(t.name(), t.defaultPoints()));
        return terms;
    }

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
            case SdfProblem.TYPE -> Sdf.parse(section);
            case MeshPoissonProblem.TYPE -> MeshPoisson.parse(section);
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

    /**
     * The signed distance field of a mesh file (OBJ, PLY, STL; a path relative to the working
     * directory): keys mesh, margin, seed, pool_size, near_sigma, band, evaluation_points,
     * surface_resolution (see {@link SdfSettings}).
     */
    record Sdf(String mesh, SdfSettings settings) implements MeshProblemConfig {
        static Sdf parse(ConfigObject section) {
            SdfSettings d = SdfSettings.DEFAULTS;
            String mesh = meshPath(section);
            return new Sdf(mesh, new SdfSettings(
                    section.number("margin", d.margin(), 0.0, false, 0.49),
                    section.integer("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
                    section.intIn("pool_size", d.poolSize(), 1, 1 << 26),
                    section.number("near_sigma", d.nearSigma(), 0.0, true, 1.0),
                    section.number("band", d.band(), 0.0, true, 2.0),
                    section.intIn("evaluation_points", d.evaluationPoints(), 2, 1 << 24),
                    section.intIn("surface_resolution", d.surfaceResolution(), 4, 1024)));
        }

        @Override
        public String type() {
            return SdfProblem.TYPE;
        }

        @Override
        public Map<String, Integer> termDefaults() {
            return SdfProblem.TERM_DEFAULTS;
        }

        @Override
        public Problem create() {
            return new SdfProblem(MeshDomain.load(Path.of(mesh), BOX, settings.margin()), settings);
        }

        @Override
        public void writeTo(ObjectNode node) {
            node.put("type", type());
            node.put("mesh", mesh);
            node.put("margin", settings.margin());
            node.put("seed", settings.seed());
            node.put("pool_size", settings.poolSize());
            node.put("near_sigma", settings.nearSigma());
            node.put("band", settings.band());
            node.put("evaluation_points", settings.evaluationPoints());
            node.put("surface_resolution", settings.surfaceResolution());
        }
    }

    /**
     * Poisson inside a mesh file with {@code u* = prod sin(a pi x_i)}: keys mesh, a, margin, seed,
     * pool_size, grid (see {@link MeshPoissonProblem}).
     */
    record MeshPoisson(String mesh, double a, double margin, long seed, int poolSize, int grid)
            implements MeshProblemConfig {
        static MeshPoisson parse(ConfigObject section) {
            String mesh = meshPath(section);
            return new MeshPoisson(mesh, section.number("a", 2.0, 0.0, true, 1e4),
                    section.number("margin", 0.1, 0.0, false, 0.49),
                    section.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE),
                    section.intIn("pool_size", 1 << 18, 1, 1 << 26),
                    section.intIn("grid", 64, 4, 1024));
        }

        @Override
        public String type() {
            return MeshPoissonProblem.TYPE;
        }

        @Override
        public Map<String, Integer> termDefaults() {
            return MeshPoissonProblem.TERM_DEFAULTS;
        }

        @Override
        public Problem create() {
            return new MeshPoissonProblem(MeshDomain.load(Path.of(mesh), BOX, margin), a, seed,
                    poolSize, grid);
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

    /** A problem posed on a mesh file, in the box [-1, 1]^3 with one output. */
    interface MeshProblemConfig extends ProblemConfig {
        Box BOX = Box.cube(3, -1, 1);

        /** The mesh file's path. */
        String mesh();

        @Override
        default int dims() {
            return 3;
        }

        @Override
        default FieldShape fieldShape() {
            return new FieldShape(BOX, 1, 0);
        }
    }

    /** The required {@code mesh} key: a mesh file path. */
    private static String meshPath(ConfigObject section) {
        String mesh = section.choiceFree("mesh");
        if (mesh.isBlank()) {
            throw new ConfigException(section.path() + ".mesh is required: the path of an OBJ, PLY or STL file");
        }
        return mesh;
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
