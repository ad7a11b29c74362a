package io.hermitengp.geometry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edge topology and signed volume of clean and deliberately flawed meshes, against counts worked out by hand. */
class MeshQualityTest {
    private static final double[] LO = {-1, -0.5, 0};
    private static final double[] HI = {1, 0.5, 2};

    @Test
    void aClosedBoxIsWatertightWithItsVolumeAndArea() {
        MeshQuality q = MeshQuality.of(ShapeMeshes.box(LO, HI));
        assertTrue(q.watertight());
        assertEquals(18, q.edges(), "12 box edges and 6 face diagonals");
        assertEquals(0, q.boundaryEdges());
        assertEquals(0, q.nonManifoldEdges());
        assertEquals(0, q.inconsistentEdges());
        assertEquals(4.0, q.signedVolume(), 1e-12, "2 x 1 x 2");
        assertEquals(2 * (2 * 1 + 2 * 2 + 1 * 2), q.area(), 1e-12);
    }

    @Test
    void aSquareRingIsClosedWithTheAnnulusVolume() {
        MeshQuality q = MeshQuality.of(ShapeMeshes.squareRing(1.0, 0.3, 0.5));
        assertTrue(q.watertight());
        assertEquals(0, q.inconsistentEdges(), "every face oriented outward");
        assertEquals((4 - 4 * 0.09) * 1.0, q.signedVolume(), 1e-12, "(2^2 - 0.6^2) x height 1");
    }

    @Test
    void aSuperquadricWithUnitExponentsIsAnEllipsoid() {
        TriangleMesh e = ShapeMeshes.superquadric(1.0, 0.7, 0.5, 1, 1, 64, 128);
        MeshQuality q = MeshQuality.of(e);
        assertTrue(q.watertight());
        assertEquals(0, q.inconsistentEdges());
        assertEquals(4 * Math.PI / 3 * 0.35, q.signedVolume(), 0.01, "inscribed polyhedron: slightly below 4/3 pi abc");
        double[] v = e.vertices();
        for (int k = 0; k < v.length; k += 3) {
            double r = v[k] * v[k] + v[k + 1] * v[k + 1] / 0.49 + v[k + 2] * v[k + 2] / 0.25;
            assertEquals(1.0, r, 1e-12, "vertex " + k / 3 + " on the ellipsoid");
        }
    }

    @Test
    void eachDefectIsCountedAsWhatItIs() {
        TriangleMesh box = ShapeMeshes.box(LO, HI);
        MeshQuality open = MeshQuality.of(MeshDefects.withoutTriangles(box, k -> k == 0));
        assertFalse(open.watertight());
        assertEquals(3, open.boundaryEdges(), "the removed triangle's three edges");

        MeshQuality cup = MeshQuality.of(MeshDefects.withoutTriangles(box, k -> k == 0 || k == 1));
        assertEquals(4, cup.boundaryEdges(), "the removed face's rim");

        MeshQuality insideOut = MeshQuality.of(MeshDefects.flipped(box, k -> true));
        assertTrue(insideOut.watertight(), "reversing every face keeps the topology");
        assertEquals(0, insideOut.inconsistentEdges());
        assertEquals(-4.0, insideOut.signedVolume(), 1e-12);

        MeshQuality oneFlipped = MeshQuality.of(MeshDefects.flipped(box, k -> k == 5));
        assertEquals(3, oneFlipped.inconsistentEdges(), "the flipped triangle's three edges");

        MeshQuality duplicated = MeshQuality.of(MeshDefects.withDuplicates(box, 4));
        assertEquals(3, duplicated.duplicateTriangles(), "triangles 0, 4 and 8 repeated");
        // triangles 0, 4 and 8 share corner 0 and have 6 distinct edges between them, each now in 3 or 4 triangles
        assertEquals(6, duplicated.nonManifoldEdges());

        TriangleMesh degenerate = MeshDefects.withDegenerate(box, 4);
        MeshQuality d = MeshQuality.of(degenerate);
        assertEquals(4, d.degenerateTriangles());
        assertEquals(4, degenerate.degenerateTriangles(), "the mesh's own count agrees");
        assertTrue(d.watertight(), "zero-area triangles take no part in the edge topology: " + d);
    }
}
