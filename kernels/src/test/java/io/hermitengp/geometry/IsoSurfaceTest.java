package io.hermitengp.geometry;

import io.hermitengp.io.MeshReader;
import io.hermitengp.io.MeshWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Surface extraction on analytic signed distances recovers the surface within a stated Chamfer bound. */
class IsoSurfaceTest {

    private static double[] sample(int n, Box box, java.util.function.ToDoubleFunction<double[]> f) {
        double[] values = new double[n * n * n];
        double[] p = new double[3];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    p[0] = box.lo(0) + box.extent(0) * i / (n - 1);
                    p[1] = box.lo(1) + box.extent(1) * j / (n - 1);
                    p[2] = box.lo(2) + box.extent(2) * k / (n - 1);
                    values[i + n * (j + n * k)] = f.applyAsDouble(p);
                }
            }
        }
        return values;
    }

    /**
     * Bound: linear interpolation of a distance along a grid edge of length h is exact for planes
     * and off by at most about h^2 / (8 R) on a sphere of radius R; with h = 3/63 and R = 1 that is
     * 3e-4, so a Chamfer distance below 2e-3 (with the reference's own tessellation error) is tight.
     */
    @Test
    void sphereIsRecoveredWatertightAndOutwardFacing() {
        Box box = Box.cube(3, -1.5, 1.5);
        int n = 64;
        TriangleMesh surface = IsoSurface.extract(sample(n, box, p -> Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) - 1),
                n, n, n, box, 0);
        SurfaceComparison c = SurfaceComparison.of(surface, ShapeMeshes.sphere(1, 128, 256), 20000, 7);
        assertTrue(c.chamfer() < 2e-3, "Chamfer distance " + c.chamfer());
        assertTrue(c.normalConsistency() > 0.995, "normal consistency " + c.normalConsistency());
        WindingNumber w = new WindingNumber(surface);
        assertEquals(1.0, w.at(0.1, 0.2, -0.1), 1e-6, "closed and outward: winding number 1 inside");
        assertEquals(0.0, w.at(1.3, 0.2, -0.1), 1e-6);
    }

    @Test
    void torusIsRecovered() {
        Box box = new Box(new double[]{-1.6, -1.6, -0.6}, new double[]{1.6, 1.6, 0.6});
        int n = 72;
        TriangleMesh surface = IsoSurface.extract(sample(n, box, p -> Math.hypot(Math.hypot(p[0], p[1]) - 1.0, p[2]) - 0.35),
                n, n, n, box, 0);
        SurfaceComparison c = SurfaceComparison.of(surface, ShapeMeshes.torus(1.0, 0.35, 256, 128), 20000, 8);
        assertTrue(c.chamfer() < 3e-3, "Chamfer distance " + c.chamfer());
        assertTrue(c.normalConsistency() > 0.99, "normal consistency " + c.normalConsistency());
    }

    @Test
    void extractedMeshesRoundTripThroughObjAndPly(@TempDir Path dir) throws Exception {
        Box box = Box.cube(3, -1.5, 1.5);
        TriangleMesh surface = IsoSurface.extract(sample(16, box, p -> Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) - 1),
                16, 16, 16, box, 0);
        // PLY is written in double precision; the OBJ reader (de.javagl:obj) parses to float
        for (String name : new String[]{"s.obj", "s.ply"}) {
            MeshWriter.write(surface, dir.resolve(name));
            TriangleMesh back = MeshReader.read(dir.resolve(name));
            assertArrayEquals(surface.triangles(), back.triangles(), name);
            assertArrayEquals(surface.vertices(), back.vertices(), name.endsWith(".ply") ? 0.0 : 1e-7, name);
        }
    }

    @Test
    void normalizationMapsIntoTheBoxAndBack() {
        TriangleMesh mesh = ShapeMeshes.box(new double[]{10, 20, 30}, new double[]{14, 21, 32});
        Box field = Box.cube(3, -1, 1);
        MeshNormalization t = MeshNormalization.fit(mesh, field, 0.1);
        Box moved = t.apply(mesh).bounds();
        assertEquals(-0.8, moved.lo(0), 1e-12, "longest side spans the box less the margins");
        assertEquals(0.8, moved.hi(0), 1e-12);
        assertEquals(0.0, (moved.lo(1) + moved.hi(1)) / 2, 1e-12, "centred");
        double[] p = {0.8, 0.2, -0.4};
        t.toMesh(p, 0);
        assertArrayEquals(new double[]{14, 20.5 + 0.2 / 0.4, 31 - 0.4 / 0.4}, p, 1e-12);
    }
}
