package io.hermitengp.io;

import io.hermitengp.geometry.MeshQuality;
import io.hermitengp.geometry.TriangleMesh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled collection is what its generator writes, byte for byte, and each mesh is what its
 * folder says: clean ones closed and outward, open ones with boundary edges, inside-out ones with
 * a negative volume, flawed ones with the flaw they are named for.
 */
class ProceduralMeshCollectionTest {
    @TempDir
    Path dir;

    @Test
    void theBundledFilesAreTheGeneratorsOutput() throws Exception {
        ProceduralMeshCollection.write(dir);
        for (ProceduralMeshCollection.Entry e : ProceduralMeshCollection.entries()) {
            try (InputStream bundled = getClass().getResourceAsStream("/meshes/collection/" + e.file())) {
                assertNotNull(bundled, "data/meshes/collection/" + e.file() + " is bundled");
                assertArrayEquals(Files.readAllBytes(dir.resolve(e.file())), bundled.readAllBytes(),
                        e.file() + ": regenerate the collection (ProceduralMeshCollection) after changing it");
            }
        }
    }

    @Test
    void eachMeshHasTheFlawItsFolderNames() throws Exception {
        ProceduralMeshCollection.write(dir);
        assertTrue(ProceduralMeshCollection.entries().size() >= 24, "a few dozen meshes");
        for (ProceduralMeshCollection.Entry e : ProceduralMeshCollection.entries()) {
            TriangleMesh read = MeshReader.read(dir.resolve(e.file()));
            MeshQuality q = MeshQuality.of(read);
            String folder = e.file().substring(0, e.file().indexOf('/'));
            String what = e.file() + ": " + q;
            switch (folder) {
                case "superquadric", "torus", "box", "multi" -> {
                    assertTrue(q.watertight(), what);
                    assertEquals(0, q.inconsistentEdges(), what);
                    assertTrue(q.signedVolume() > 0, what);
                    assertEquals(0, q.degenerateTriangles() + q.duplicateTriangles(), what);
                }
                case "open" -> assertTrue(q.boundaryEdges() > 0, what);
                case "inside-out" -> {
                    assertTrue(q.watertight(), what);
                    assertTrue(q.signedVolume() < 0, what);
                }
                case "flawed" -> assertTrue(q.duplicateTriangles() + q.degenerateTriangles() + q.inconsistentEdges() > 0,
                        what);
                default -> throw new AssertionError("unexpected folder " + folder);
            }
            assertFalse(read.triangleCount() > 5000, e.file() + " stays small: " + read.triangleCount() + " triangles");
        }
    }
}
