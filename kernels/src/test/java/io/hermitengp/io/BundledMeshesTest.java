package io.hermitengp.io;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SignedDistance;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.geometry.WindingNumber;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meshes in data/meshes read, and the bunny is a closed surface the sign test understands. */
class BundledMeshesTest {

    private static TriangleMesh bundled(String name) throws Exception {
        return MeshReader.read(Path.of(BundledMeshesTest.class.getResource("/meshes/" + name).toURI()));
    }

    @Test
    void bunnyReadsAsTheConvertedPackage() throws Exception {
        TriangleMesh bunny = bundled("bunny.obj");
        assertEquals(1839, bunny.vertexCount());
        assertEquals(3674, bunny.triangleCount());
        assertEquals(0, bunny.degenerateTriangles());
        Box b = bunny.bounds();
        double cx = (b.lo(0) + b.hi(0)) / 2;
        double cy = (b.lo(1) + b.hi(1)) / 2;
        double cz = (b.lo(2) + b.hi(2)) / 2;
        WindingNumber w = new WindingNumber(bunny);
        assertEquals(1.0, w.at(cx, cy, cz), 1e-9, "the body's centre is inside");
        assertEquals(0.0, w.at(cx + 3 * b.extent(0), cy, cz), 1e-9, "far away is outside");
        double[] d = new double[4];
        new SignedDistance(bunny).at(cx, cy, cz, d);
        assertTrue(d[0] < 0, "signed distance inside must be negative: " + d[0]);
    }

    @Test
    void generatedShapesRead() throws Exception {
        assertEquals(2 + 23 * 48, bundled("sphere.obj").vertexCount());
        assertEquals(2 * 64 * 32, bundled("torus.ply").triangleCount());
        assertEquals(12, bundled("box.obj").triangleCount());
    }
}
