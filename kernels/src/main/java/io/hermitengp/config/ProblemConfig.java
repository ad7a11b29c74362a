package io.hermitengp.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.field.FieldShape;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.ProblemTypes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code problem} section of a config: which problem, with which parameters. Each problem
 * declares its own record of parameters beside its equations and registers its
 * {@link io.hermitengp.problem.ProblemType}; this interface is what the rest of a fit needs of it.
 */
public interface ProblemConfig {
    String type();

    int dims();

    /**
     * Builds the problem: reads and samples its mesh where it has one.
     *
     * @param threads threads for the work of building it (mesh distance and inside queries); the
     *                problem is the same for any count
     */
    Problem create(int threads);

    /** Builds the problem with every core of this machine. */
    default Problem create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

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

    /**
     * Bytes the built problem keeps beyond its field and batches: sample pools, reference points,
     * evaluation lattices (a mesh's own triangles and search trees not counted). An estimate made
     * before anything is read or sampled, so a fit that cannot fit in memory fails before it
     * allocates ({@link io.hermitengp.fit.FitMemory}).
     */
    default long problemBytes() {
        return 0;
    }

    /** Writes every parameter, defaults included. */
    void writeTo(ObjectNode node);

    /** Parses a {@code problem} section with the {@link ProblemTypes problem type} it names. */
    static ProblemConfig parse(ConfigObject section) {
        return ProblemTypes.parse(section);
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
    static String meshPath(ConfigObject section) {
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
