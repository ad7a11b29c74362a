package io.hermitengp.geometry;

import io.hermitengp.io.MeshReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hierarchical winding number against exact summation over every triangle. */
class FastWindingNumberTest {

    private static void agreesWithExactSummation(TriangleMesh mesh, long seed) {
        FastWindingNumber fast = new FastWindingNumber(new TriangleBvh(mesh));
        WindingNumber exact = new WindingNumber(mesh);
        Box bounds = mesh.bounds();
        SplittableRandom random = new SplittableRandom(seed);
        double worst = 0;
        int decided = 0;
        for (int trial = 0; trial < 2000; trial++) {
            double[] p = new double[3];
            for (int i = 0; i < 3; i++) {
                double pad = 0.25 * bounds.extent(i);
                p[i] = bounds.lo(i) - pad + (bounds.extent(i) + 2 * pad) * random.nextDouble();
            }
            double w = exact.at(p[0], p[1], p[2]);
            double f = fast.at(p[0], p[1], p[2]);
            worst = Math.max(worst, Math.abs(w - f));
            if (Math.abs(w - 0.5) > 0.02) {
                decided++;
                assertEquals(w > 0.5, fast.inside(p[0], p[1], p[2]), "inside/outside at (" + p[0] + ", " + p[1] + ", "
                        + p[2] + "), exact w = " + w + ", fast " + f);
            }
        }
        assertTrue(worst < 0.05, mesh.source() + ": largest |fast - exact| winding number " + worst);
        assertTrue(decided > 1900, "enough points away from the surface: " + decided);
    }

    @Test
    void torusWindingNumberMatchesExactSummation() {
        agreesWithExactSummation(ShapeMeshes.torus(1.0, 0.35, 96, 48), 3);
    }

    @Test
    void bunnyWindingNumberMatchesExactSummation() throws Exception {
        agreesWithExactSummation(MeshReader.read(Path.of(getClass().getResource("/meshes/bunny.obj").toURI())), 4);
    }
}
