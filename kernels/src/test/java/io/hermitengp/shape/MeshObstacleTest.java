package io.hermitengp.shape;

import io.hermitengp.fd.BoundaryTreatment;
import io.hermitengp.fd.DirichletData;
import io.hermitengp.fd.LaplaceFiniteDifference;
import io.hermitengp.fd.LaplaceSolution;
import io.hermitengp.fd.LaplaceSystem;
import io.hermitengp.fd.Lattice;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.FastWindingNumber;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.geometry.WindingNumber;
import io.hermitengp.io.MeshReader;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mesh as the obstacle of the finite-difference problem: which nodes are inside, where edges cross it. */
class MeshObstacleTest {
    private static final Box UNIT = Box.cube(3, 0, 1);

    private static boolean[] nodeByNode(MeshDomain domain, Lattice lattice) {
        FastWindingNumber winding = domain.distance().winding();
        boolean[] inside = new boolean[lattice.nodes()];
        double[] x = new double[3];
        for (int p = 0; p < inside.length; p++) {
            lattice.point(p, x, 0);
            inside[p] = winding.inside(x[0], x[1], x[2]);
        }
        return inside;
    }

    @Test
    void aClosedMeshIsClassifiedAsEveryNodeQueriedAloneWouldBe() {
        MeshDomain torus = new MeshDomain(ShapeMeshes.torus(1.0, 0.35, 32, 16), UNIT, 0.1, 2);
        MeshObstacle obstacle = new MeshObstacle(torus);
        assertTrue(obstacle.closed());
        Lattice lattice = new Lattice(UNIT, 27);
        boolean[] inside = obstacle.inside(lattice, 2);
        boolean[] expected = nodeByNode(torus, lattice);
        assertTrue(Arrays.equals(expected, inside), "flood fill and per-node queries agree");
        WindingNumber exact = new WindingNumber(torus.mesh());
        int count = 0;
        double[] x = new double[3];
        for (int p = 0; p < inside.length; p++) {
            lattice.point(p, x, 0);
            double w = exact.at(x[0], x[1], x[2]);
            if (Math.abs(w - 0.5) > 0.02) {
                assertEquals(w > 0.5, inside[p], "node " + p + " with exact winding number " + w);
            }
            count += inside[p] ? 1 : 0;
        }
        assertTrue(count > 500, "the torus holds nodes: " + count);
    }

    @Test
    void anOpenMeshIsQueriedNodeByNode() {
        TriangleMesh box = ShapeMeshes.box(new double[]{0, 0, 0}, new double[]{2, 1, 1});
        int[] open = Arrays.copyOf(box.triangles(), box.triangles().length - 3);
        MeshDomain domain = new MeshDomain(new TriangleMesh("open box", box.vertices(), open, 0), UNIT, 0.2, 2);
        MeshObstacle obstacle = new MeshObstacle(domain);
        assertFalse(obstacle.closed(), "a box missing a triangle has a boundary");
        Lattice lattice = new Lattice(UNIT, 15);
        assertTrue(Arrays.equals(nodeByNode(domain, lattice), obstacle.inside(lattice, 2)));
    }

    @Test
    void theBundledMeshesAreClosed() throws URISyntaxException {
        for (String name : new String[]{"bunny.obj", "sphere.obj", "torus.ply", "box.obj"}) {
            TriangleMesh mesh = MeshReader.read(Path.of(getClass().getResource("/meshes/" + name).toURI()));
            assertTrue(MeshObstacle.isClosed(mesh), name);
        }
    }

    @Test
    void edgesCrossTheSphereOnItsTessellation() {
        int rings = 24;
        MeshDomain sphere = new MeshDomain(ShapeMeshes.sphere(1.0, rings, 2 * rings), UNIT, 0.25, 1);
        double radius = 0.25; // the sphere's diameter spans 1 - 2 margin
        double sag = radius * (1 - Math.cos(Math.PI / rings));
        MeshObstacle obstacle = new MeshObstacle(sphere);
        Lattice lattice = new Lattice(UNIT, 25);
        boolean[] inside = obstacle.inside(lattice, 1);
        double[] here = new double[3];
        double[] there = new double[3];
        int crossings = 0;
        for (int p = 0; p < inside.length; p++) {
            if (inside[p] || lattice.onFace(p)) {
                continue;
            }
            for (int step : new int[]{1, -1, 25, -25, 625, -625}) {
                if (!inside[p + step]) {
                    continue;
                }
                lattice.point(p, here, 0);
                lattice.point(p + step, there, 0);
                double theta = obstacle.crossing(here, there);
                double r = 0;
                for (int a = 0; a < 3; a++) {
                    double x = here[a] + theta * (there[a] - here[a]) - 0.5;
                    r += x * x;
                }
                r = Math.sqrt(r);
                assertTrue(theta >= 0 && theta <= 1 && r <= radius + 1e-12 && r >= radius - sag - 1e-12,
                        "crossing at " + theta + ", " + r + " from the centre");
                crossings++;
            }
        }
        assertTrue(crossings > 100, "edges crossing the surface: " + crossings);
    }

    /** Mean |u - R / |x - c|| over the free nodes of an n^3 lattice around a sphere mesh. */
    private static double meanErrorAroundSphereMesh(MeshDomain sphere, int n) {
        DirichletData u = (x, y, z) -> 0.3 / Math.sqrt((x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5)
                + (z - 0.5) * (z - 0.5));
        Lattice lattice = new Lattice(UNIT, n);
        LaplaceSystem system = LaplaceSystem.assemble(lattice, new MeshObstacle(sphere),
                BoundaryTreatment.SHORTLEY_WELLER, u, u, 2);
        LaplaceSolution solution = LaplaceFiniteDifference.solve(system, new LaplaceFiniteDifference.Settings(1e-11, 100,
                LaplaceFiniteDifference.Preconditioner.MULTIGRID), 2, LaplaceFiniteDifference.Listener.NONE);
        assertTrue(solution.converged());
        double sum = 0;
        double[] x = new double[3];
        for (int p = 0; p < lattice.nodes(); p++) {
            if (solution.isFree(p)) {
                lattice.point(p, x, 0);
                sum += Math.abs(solution.values()[p] - u.at(x[0], x[1], x[2]));
            }
        }
        return sum / solution.freeCount();
    }

    @Test
    void aHarmonicFunctionOutsideASphereMeshConvergesAtSecondOrder() {
        // u = R / |x - c| is harmonic outside any surface around c: the exact solution for the data it
        // takes on the tessellated sphere and the cube, so the tessellation adds no error of its own
        MeshDomain sphere = new MeshDomain(ShapeMeshes.sphere(1.0, 48, 96), UNIT, 0.2, 2);
        double coarse = meanErrorAroundSphereMesh(sphere, 17);
        double fine = meanErrorAroundSphereMesh(sphere, 33);
        assertTrue(coarse / fine > 3.2, "halving h: mean error " + coarse + " -> " + fine);
        // the exact sphere of the same radius gives 2.3e-4 at h = 1/32
        assertTrue(fine < 4e-4, "mean error " + fine);
    }
}
