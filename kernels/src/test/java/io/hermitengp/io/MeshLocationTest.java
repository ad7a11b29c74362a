package io.hermitengp.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mesh named by a path or a file: URI in each of its spellings; anything unreadable is a MeshFormatException. */
class MeshLocationTest {

    @Test
    void everySpellingOfALocalFileReadsTheSameMesh(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my sphere.obj");
        try (InputStream in = MeshLocationTest.class.getResourceAsStream("/meshes/sphere.obj")) {
            Files.copy(in, file);
        }
        String absolute = file.toAbsolutePath().toString();
        int triangles = MeshReader.read(file).triangleCount();
        for (String location : new String[]{absolute, "file:" + absolute, "file://" + absolute,
            "file://localhost" + absolute, file.toUri().toString()}) {
            assertEquals(triangles, MeshReader.read(location).triangleCount(), location);
        }
        assertTrue(file.toUri().toString().contains("%20"), "the URI form escapes the space");
    }

    @Test
    void unusableLocationsAreMeshFormatErrorsNamingTheLocation() {
        MeshFormatException host = assertThrows(MeshFormatException.class,
                () -> MeshReader.read("file://otherhost/data/x.obj"));
        assertTrue(host.getMessage().contains("otherhost"), host.getMessage());
        MeshFormatException noStore = assertThrows(MeshFormatException.class,
                () -> MeshReader.read("hdfs://nn:8020/meshes/x.obj"));
        assertTrue(noStore.getMessage().contains("hdfs://nn:8020/meshes/x.obj")
                && noStore.getMessage().contains("no mesh store"), noStore.getMessage());
        MeshFormatException missing = assertThrows(MeshFormatException.class,
                () -> MeshReader.read("file:///no/such/mesh.obj"));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }
}
