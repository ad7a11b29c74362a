package io.hermitengp.shape;

import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fd.BoundaryTreatment;
import io.hermitengp.fd.LaplaceFiniteDifference;
import io.hermitengp.fd.LaplaceSolution;
import io.hermitengp.fd.Lattice;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.WindingNumber;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.ReferenceSamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Laplace outside a sphere mesh in the unit cube: the loss terms on a harmonic function, where the
 * points go, the finite-difference reference against the bracket of the concentric-sphere
 * solutions, the MAE metrics, the cache, and the config.
 */
class MeshExteriorLaplaceProblemTest {
    /** The sphere's diameter spans 1 - 2 margin of the cube: radius 0.2 about the cube's centre. */
    private static final double MARGIN = 0.3;
    private static final double RADIUS = 0.2;
    private static final int RINGS = 24;
    private static final int GRID = 33;
    private static MeshDomain sphere;
    private static MeshExteriorLaplaceProblem problem;

    private static MeshExteriorLaplaceProblem.Config config(String extra) {
        // no cache unless a test names one
        String cache = extra.contains("cache_dir") ? "" : ", \"cache_dir\": \"\"";
        String json = "{\"problem\": {\"type\": \"mesh_exterior_laplace\", \"mesh\": \"sphere\", \"margin\": " + MARGIN
                + ", \"pool_size\": 4096, \"grid\": " + GRID + ", \"reference_points\": 2000" + cache + extra + "}}";
        return assertInstanceOf(MeshExteriorLaplaceProblem.Config.class,
                ConfigReader.readTrainConfig(json, "test").problem());
    }

    @BeforeAll
    static void build() {
        sphere = new MeshDomain(ShapeMeshes.sphere(1.0, RINGS, 2 * RINGS), MeshExteriorLaplaceProblem.BOX, MARGIN, 2);
        problem = new MeshExteriorLaplaceProblem(sphere, config(""), 2);
    }

    private static double centreDistance(double[] x, int offset) {
        double s = 0;
        for (int a = 0; a < 3; a++) {
            s += (x[offset + a] - 0.5) * (x[offset + a] - 0.5);
        }
        return Math.sqrt(s);
    }

    /** The jet (value, gradient, Laplacian) of {@code R / |x - c|}, analytic: harmonic away from c. */
    private static double[] harmonicJet(double[] x, int offset) {
        double r = centreDistance(x, offset);
        double[] jet = new double[Channels.withFullLaplacian(3).count()];
        jet[Channels.VALUE] = RADIUS / r;
        double laplacian = 0;
        for (int a = 0; a < 3; a++) {
            double d = x[offset + a] - 0.5;
            jet[Channels.gradient(a)] = -RADIUS * d / (r * r * r);
            laplacian += RADIUS * (3 * d * d - r * r) / Math.pow(r, 5);
        }
        jet[Channels.withFullLaplacian(3).laplacian()] = laplacian;
        return jet;
    }

    private static LossTerm term(String name) {
        return problem.terms().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theTermsReadTheEquationAndTheBoundaryValuesOffAHarmonicFunction() {
        assertEquals(List.of("residual", "boundary", "box"), problem.terms().stream().map(LossTerm::name).toList());
        Channels channels = problem.channels();
        SplittableRandom random = new SplittableRandom(3);
        double sag = 1 / Math.cos(Math.PI / RINGS) - 1;
        for (LossTerm t : problem.terms()) {
            int n = 400;
            double[] points = new double[3 * n];
            t.sampler().sample(random, n, points, 0);
            double[] r = new double[1];
            double[] drdu = new double[channels.count()];
            for (int p = 0; p < n; p++) {
                double[] jet = harmonicJet(points, 3 * p);
                t.residual().evaluate(points, 3 * p, null, 0, jet, 0, r, drdu);
                switch (t.name()) {
                    case "residual" -> {
                        assertEquals(0.0, r[0], 1e-9, "Lap u = 0 at " + p);
                        assertEquals(1.0, drdu[channels.laplacian()]);
                    }
                    case "boundary" -> {
                        // on the tessellated sphere u is 1 at the vertices and a little more between them
                        assertEquals(jet[Channels.VALUE] - 1.0, r[0], 1e-15);
                        assertTrue(r[0] > -1e-12 && r[0] < sag, "u - 1 = " + r[0] + " on the surface");
                        assertEquals(1.0, drdu[Channels.VALUE]);
                    }
                    default -> {
                        assertEquals(jet[Channels.VALUE], r[0], 0.0, "u - 0 on the cube");
                        boolean onFace = false;
                        for (int a = 0; a < 3; a++) {
                            onFace |= points[3 * p + a] == 0.0 || points[3 * p + a] == 1.0;
                        }
                        assertTrue(onFace, "box point " + p + " lies on a face");
                    }
                }
            }
        }
    }

    @Test
    void collocationPointsAreOutsideHalfOfThemInTheBandAroundTheSurface() {
        WindingNumber exact = new WindingNumber(sphere.mesh());
        int n = 1000;
        double[] points = new double[3 * n];
        term("residual").sampler().sample(new SplittableRandom(9), n, points, 0);
        int far = 0;
        for (int p = 0; p < n; p++) {
            for (int a = 0; a < 3; a++) {
                double x = points[3 * p + a];
                assertTrue(x >= 0.01 && x <= 0.99, "inside the cube's inset: " + x);
            }
            assertTrue(exact.at(points[3 * p], points[3 * p + 1], points[3 * p + 2]) < 0.5, "point " + p + " outside");
            double fromSurface = centreDistance(points, 3 * p) - RADIUS;
            if (p < n / 2) {
                assertTrue(fromSurface <= 0.05 + 1e-9, "band point " + p + " at " + fromSurface);
            } else {
                far += fromSurface > 0.1 ? 1 : 0;
            }
        }
        assertTrue(far > 300, "the uniform half reaches the cube: " + far + " of 500 beyond 0.1");
    }

    @Test
    void theReferenceLiesBetweenTheConcentricSphereSolutions() {
        // maximum principle: inside the inscribed ball (radius 1/2) the cube's solution lies between the
        // solutions with the zero held on the inscribed sphere and on the circumscribed one (radius sqrt(3)/2)
        LaplaceSolution reference = problem.reference();
        Lattice lattice = reference.lattice();
        double outer = Math.sqrt(3) / 2;
        double[] x = new double[3];
        int checked = 0;
        for (int p = 0; p < lattice.nodes(); p++) {
            if (!reference.isFree(p)) {
                continue;
            }
            double u = reference.values()[p];
            assertTrue(u > 0 && u < 1, "maximum principle at node " + p + ": " + u);
            lattice.point(p, x, 0);
            double r = centreDistance(x, 0);
            if (r < 0.5) {
                double low = (1 / r - 2) / (1 / RADIUS - 2);
                double high = (1 / r - 1 / outer) / (1 / RADIUS - 1 / outer);
                assertTrue(u > low - 0.01 && u < high + 0.01, "at r = " + r + ": " + low + " <= " + u + " <= " + high);
                checked++;
            }
        }
        assertTrue(checked > 3000, "nodes checked: " + checked);
        assertTrue(reference.converged() && reference.relativeResidual() <= 1e-10);
    }

    @Test
    void theErrorIsMeasuredAtFreeLatticeNodesWithTheReferenceAndItsDifferences() {
        ReferenceSamples samples = problem.referenceSamples().orElseThrow();
        assertEquals(2000, samples.count());
        LaplaceSolution reference = problem.reference();
        Lattice lattice = reference.lattice();
        double h = lattice.spacing(0);
        int previous = -1;
        for (int s = 0; s < samples.count(); s++) {
            int[] ijk = new int[3];
            for (int a = 0; a < 3; a++) {
                ijk[a] = (int) Math.round(samples.points()[3 * s + a] / h);
                assertEquals(lattice.coordinate(a, ijk[a]), samples.points()[3 * s + a], 0.0, "a lattice node");
            }
            int p = lattice.index(ijk[0], ijk[1], ijk[2]);
            assertTrue(p > previous && reference.isFree(p), "sorted free nodes");
            previous = p;
            assertEquals(reference.values()[p], samples.exact()[4 * s]);
            double[] jet = new double[4];
            problem.exact(samples.points(), 3 * s, jet);
            for (int a = 0; a < 4; a++) {
                assertEquals(samples.exact()[4 * s + a], jet[a], 1e-12, "exact() at a node reads the node, entry " + a);
            }
        }
        double[] inside = {0.5, 0.5, 0.5, 0, 0, 0};
        double[] out = new double[4];
        problem.exact(inside, 0, out);
        assertEquals(1.0, out[0], "u = 1 continues inside the mesh");
        problem.exact(new double[]{0.0, 0.3, 0.7}, 0, out);
        assertEquals(0.0, out[0], "u = 0 on the faces");
    }

    /** A field that is the reference (interpolated) plus a constant. */
    private static FieldProbe referencePlus(double shift) {
        return (points, n, channels, out) -> {
            assertEquals(Channels.valueAndGradient(3), channels, "a Hermite field is asked for what it writes");
            assertTrue(n <= 65536);
            double[] jet = new double[4];
            int c = channels.count();
            for (int p = 0; p < n; p++) {
                problem.exact(points, 3 * p, jet);
                out[p * c] = jet[0] + shift;
                System.arraycopy(jet, 1, out, p * c + 1, 3);
            }
        };
    }

    @Test
    void theMaeIsZeroForTheReferenceAndCountsEveryFreeNode() {
        assertEquals(0.0, problem.maeAgainstReference(referencePlus(0)), 1e-12);
        assertEquals(0.25, problem.maeAgainstReference(referencePlus(0.25)), 1e-12);
        LaplaceSolution reference = problem.reference();
        double sum = 0;
        for (int p = 0; p < reference.values().length; p++) {
            sum += reference.isFree(p) ? reference.values()[p] : 0;
        }
        FieldProbe zero = (points, n, channels, out) -> java.util.Arrays.fill(out, 0, n * channels.count(), 0.0);
        assertEquals(sum / reference.freeCount(), problem.maeAgainstReference(zero), 1e-12);
    }

    @Test
    void theInteriorMaeKeepsTheNodesFarFromEveryBoundaryNode() {
        LaplaceSolution reference = problem.reference();
        Lattice lattice = reference.lattice();
        int n = lattice.n();
        double threshold = MeshExteriorLaplaceProblem.INTERIOR_DISTANCE * n;
        BitSet interior = problem.interiorNodes();
        int[] boundary = java.util.stream.IntStream.range(0, lattice.nodes()).filter(p -> !reference.isFree(p)).toArray();
        double sum = 0;
        int count = 0;
        for (int p = 0; p < lattice.nodes(); p++) {
            if (!reference.isFree(p)) {
                assertTrue(!interior.get(p), "boundary node " + p);
                continue;
            }
            long best = Long.MAX_VALUE;
            for (int q : boundary) {
                long dx = p % n - q % n, dy = p / n % n - q / n % n, dz = p / (n * n) - q / (n * n);
                best = Math.min(best, dx * dx + dy * dy + dz * dz);
            }
            boolean far = Math.sqrt(best) > threshold;
            assertEquals(far, interior.get(p), "node " + p + " at " + Math.sqrt(best) + " steps");
            if (far) {
                sum += reference.values()[p];
                count++;
            }
        }
        assertTrue(count > 1000, "interior nodes: " + count);
        FieldProbe zero = (points, k, channels, out) -> java.util.Arrays.fill(out, 0, k * channels.count(), 0.0);
        assertEquals(sum / count, problem.interiorMaeAgainstReference(zero), 1e-12);
        assertEquals(0.0, problem.interiorMaeAgainstReference(referencePlus(0)), 1e-12);
        // the paper's metric is the interior MAE, named by the lattice it is measured on
        var paper = problem.paperMetric(zero).orElseThrow();
        assertEquals("interior_mae_fd" + n, paper.name());
        assertEquals(sum / count, paper.value(), 1e-12);
    }

    @Test
    void aSecondBuildLoadsTheCachedReferenceAndADamagedOneIsSolvedAgain(@TempDir Path directory) throws IOException {
        String cache = ", \"cache_dir\": \"" + directory.toString().replace("\\", "\\\\") + "\"";
        MeshExteriorLaplaceProblem.Config cached = config(cache);
        assertEquals(Optional.of(directory), cached.cacheDirectory());
        MeshExteriorLaplaceProblem first = new MeshExteriorLaplaceProblem(sphere, cached, 2);
        Path file;
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size());
            file = all.get(0);
        }
        long written = Files.getLastModifiedTime(file).toMillis();
        MeshExteriorLaplaceProblem second = new MeshExteriorLaplaceProblem(sphere, cached, 1);
        assertArrayEquals(first.reference().values(), second.reference().values());
        assertArrayEquals(problem.reference().values(), second.reference().values(), "the same as solved uncached");
        assertEquals(written, Files.getLastModifiedTime(file).toMillis(), "loaded, not rewritten");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() / 2);
        }
        MeshExteriorLaplaceProblem third = new MeshExteriorLaplaceProblem(sphere, cached, 2);
        assertArrayEquals(first.reference().values(), third.reference().values());
        assertEquals(Files.size(file), 128 + 8L * GRID * GRID * GRID + 8, "rewritten whole");
        MeshExteriorLaplaceProblem staircase = new MeshExteriorLaplaceProblem(sphere,
                config(", \"boundary\": \"staircase\"" + cache), 2);
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(2, files.count(), "another boundary treatment is another reference");
        }
        assertTrue(!java.util.Arrays.equals(first.reference().values(), staircase.reference().values()));
    }

    @Test
    void theConfigReadsBackAsWrittenAndRefusesBadValuesNamingThem() throws IOException {
        MeshExteriorLaplaceProblem.Config parsed = config(", \"boundary\": \"staircase\", \"preconditioner\": \"jacobi\","
                + " \"tolerance\": 1e-9, \"max_iterations\": 700, \"band\": 0.03, \"seed\": 5");
        assertEquals(BoundaryTreatment.STAIRCASE, parsed.boundary());
        assertEquals(LaplaceFiniteDifference.Preconditioner.JACOBI, parsed.preconditioner());
        assertEquals(700, parsed.maxIterations());
        assertEquals(Optional.empty(), parsed.cacheDirectory());
        String json = "{\"problem\": {\"type\": \"mesh_exterior_laplace\", \"mesh\": \"m.obj\"}}";
        TrainConfig defaults = ConfigReader.readTrainConfig(json, "test");
        MeshExteriorLaplaceProblem.Config d = assertInstanceOf(MeshExteriorLaplaceProblem.Config.class, defaults.problem());
        assertEquals(256, d.grid());
        assertEquals(0.1, d.margin());
        assertEquals(BoundaryTreatment.SHORTLEY_WELLER, d.boundary());
        assertEquals(LaplaceFiniteDifference.Preconditioner.MULTIGRID, d.preconditioner());
        assertEquals(MeshExteriorLaplaceProblem.Config.DEFAULT_CACHE_DIR, d.cacheDir());
        assertEquals(Optional.of(Path.of(System.getProperty("user.home"), ".cache/hermite-ngp/laplace")),
                d.cacheDirectory());
        assertEquals(3, d.fieldShape().domain().dims());
        assertEquals(0.0, d.fieldShape().domain().lo(0));
        String resolved = defaults.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "again").toJson().toString());
        assertEquals(d, ConfigReader.readTrainConfig(resolved, "again").problem());

        ConfigException unknown = assertThrows(ConfigException.class, () -> config(", \"grids\": 3"));
        assertTrue(unknown.getMessage().contains("problem.grids") && unknown.getMessage().contains("cache_dir"),
                unknown.getMessage());
        ConfigException treatment = assertThrows(ConfigException.class, () -> config(", \"boundary\": \"exact\""));
        assertTrue(treatment.getMessage().contains("staircase, shortley_weller"), treatment.getMessage());
        ConfigException cap = assertThrows(ConfigException.class, () -> config(", \"max_iterations\": 0"));
        assertTrue(cap.getMessage().contains("problem.max_iterations"), cap.getMessage());
        ConfigException grid = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"mesh_exterior_laplace\", \"mesh\": \"m.obj\", \"grid\": 2}}", "test"));
        assertTrue(grid.getMessage().contains("problem.grid"), grid.getMessage());
        ConfigException band = assertThrows(ConfigException.class, () -> config(", \"band\": 0.001"));
        assertTrue(band.getMessage().contains("problem.band"), band.getMessage());

        try (InputStream in = getClass().getResourceAsStream("/configs/bunny-exterior-laplace.json")) {
            TrainConfig bunny = ConfigReader.readTrainConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "bunny-exterior-laplace.json");
            assertEquals(MeshExteriorLaplaceProblem.TYPE, bunny.problem().type());
        }
    }

    @Test
    void aMeshPlacedInAnotherBoxIsRefused() {
        MeshDomain elsewhere = new MeshDomain(ShapeMeshes.sphere(1.0, 8, 16), io.hermitengp.geometry.Box.cube(3, -1, 1),
                0.1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeshExteriorLaplaceProblem(elsewhere, config(""), 1));
        assertTrue(e.getMessage().contains("lives in"), e.getMessage());
    }
}
