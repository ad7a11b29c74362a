package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.WindingNumber;
import io.hermitengp.problem.ReferenceSamples;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the Poisson-in-a-mesh problem puts its points, against the exact winding number. */
class MeshPoissonProblemTest {

    @Test
    void interiorPointsAndErrorLatticeLieInsideTheMesh() {
        MeshDomain torus = new MeshDomain(ShapeMeshes.torus(1.0, 0.4, 48, 24), Box.cube(3, -1, 1), 0.1);
        WindingNumber exact = new WindingNumber(torus.mesh());
        MeshPoissonProblem problem = new MeshPoissonProblem(torus, 1.0, 9, 3000, 24);
        double[] points = new double[3 * 500];
        problem.terms().get(0).sampler().sample(new SplittableRandom(1), 500, points, 0);
        for (int p = 0; p < 500; p++) {
            assertTrue(exact.at(points[3 * p], points[3 * p + 1], points[3 * p + 2]) > 0.5, "interior point " + p);
        }
        ReferenceSamples lattice = problem.referenceSamples().orElseThrow();
        int inside = 0;
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < 24; j++) {
                for (int k = 0; k < 24; k++) {
                    double x = -1 + 2.0 * i / 23, y = -1 + 2.0 * j / 23, z = -1 + 2.0 * k / 23;
                    inside += exact.at(x, y, z) > 0.5 ? 1 : 0;
                }
            }
        }
        assertEquals(inside, lattice.count(), "the error lattice keeps exactly the inside points");
    }
}
