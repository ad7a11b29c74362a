package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every reader on a unit tetrahedron, and each kind of bad input named with its file. */
class MeshReaderTest {
    private static final double[] TETRA = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1};
    private static final int[][] FACES = {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static void assertTetrahedron(TriangleMesh mesh) {
        assertEquals(4, mesh.vertexCount(), "vertices of " + mesh.source());
        assertEquals(4, mesh.triangleCount(), "triangles of " + mesh.source());
        assertArrayEquals(TETRA, mesh.vertices(), 1e-7);
        assertEquals(0, mesh.degenerateTriangles());
    }

    private static String objText() {
        StringBuilder s = new StringBuilder("# tetrahedron\n");
        for (int v = 0; v < 4; v++) {
            s.append("v ").append(TETRA[3 * v]).append(' ').append(TETRA[3 * v + 1]).append(' ').append(TETRA[3 * v + 2]).append('\n');
        }
        for (int[] f : FACES) {
            s.append("f ").append(f[0] + 1).append(' ').append(f[1] + 1).append(' ').append(f[2] + 1).append('\n');
        }
        return s.toString();
    }

    private static String plyHeader(String format, int vertices, int faces) {
        return "ply\nformat " + format + " 1.0\ncomment test\nelement vertex " + vertices
                + "\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nelement face " + faces
                + "\nproperty list uchar int vertex_indices\nend_header\n";
    }

    @Test
    void objIsRead() throws Exception {
        assertTetrahedron(MeshReader.read(write("t.obj", objText())));
    }

    @Test
    void objPolygonsAreTriangulated() throws Exception {
        TriangleMesh quad = MeshReader.read(write("q.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n"));
        assertEquals(2, quad.triangleCount());
        assertArrayEquals(new int[]{0, 1, 2, 0, 2, 3}, quad.triangles());
    }

    @Test
    void asciiPlyIsRead() throws Exception {
        StringBuilder s = new StringBuilder(plyHeader("ascii", 4, 4));
        for (int v = 0; v < 4; v++) {
            s.append(TETRA[3 * v]).append(' ').append(TETRA[3 * v + 1]).append(' ').append(TETRA[3 * v + 2]).append(" 255\n");
        }
        for (int[] f : FACES) {
            s.append("3 ").append(f[0]).append(' ').append(f[1]).append(' ').append(f[2]).append('\n');
        }
        assertTetrahedron(MeshReader.read(write("t.ply", s.toString())));
    }

    private static byte[] binaryPly(ByteOrder order, String format) {
        byte[] header = plyHeader(format, 4, 4).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(header.length + 4 * 13 + 4 * 13).order(order);
        b.put(header);
        for (int v = 0; v < 4; v++) {
            b.putFloat((float) TETRA[3 * v]).putFloat((float) TETRA[3 * v + 1]).putFloat((float) TETRA[3 * v + 2]).put((byte) 200);
        }
        for (int[] f : FACES) {
            b.put((byte) 3).putInt(f[0]).putInt(f[1]).putInt(f[2]);
        }
        return b.array();
    }

    @Test
    void binaryPlyIsReadInBothByteOrders() throws Exception {
        assertTetrahedron(MeshReader.read(write("le.ply", binaryPly(ByteOrder.LITTLE_ENDIAN, "binary_little_endian"))));
        assertTetrahedron(MeshReader.read(write("be.ply", binaryPly(ByteOrder.BIG_ENDIAN, "binary_big_endian"))));
    }

    @Test
    void asciiStlIsReadAndItsRepeatedVerticesMerged() throws Exception {
        StringBuilder s = new StringBuilder("solid tetra\n");
        for (int[] f : FACES) {
            s.append(" facet normal 0 0 0\n  outer loop\n");
            for (int k : f) {
                s.append("   vertex ").append(TETRA[3 * k]).append(' ').append(TETRA[3 * k + 1]).append(' ')
                        .append(TETRA[3 * k + 2]).append('\n');
            }
            s.append("  endloop\n endfacet\n");
        }
        s.append("endsolid tetra\n");
        TriangleMesh mesh = MeshReader.read(write("t.stl", s.toString()));
        assertEquals(4, mesh.vertexCount());
        assertEquals(4, mesh.triangleCount());
    }

    private static byte[] binaryStl(float nanAt) {
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[80]).putInt(4);
        for (int[] f : FACES) {
            b.putFloat(0).putFloat(0).putFloat(0);
            for (int k : f) {
                b.putFloat((float) TETRA[3 * k]).putFloat(k == nanAt ? Float.NaN : (float) TETRA[3 * k + 1]).putFloat((float) TETRA[3 * k + 2]);
            }
            b.putShort((short) 0);
        }
        return b.array();
    }

    @Test
    void binaryStlIsRead() throws Exception {
        TriangleMesh mesh = MeshReader.read(write("t.stl", binaryStl(-1)));
        assertEquals(4, mesh.vertexCount());
        assertEquals(4, mesh.triangleCount());
    }

    private void assertRejected(Path file, String... words) {
        MeshFormatException e = assertThrows(MeshFormatException.class, () -> MeshReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "message must name the file: " + e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should mention '" + w + "'");
        }
    }

    @Test
    void badInputIsNamed() throws Exception {
        assertRejected(write("nan.obj", "v 0 0 0\nv NaN 0 0\nv 0 1 0\nf 1 2 3\n"), "vertex 1", "non-finite");
        assertRejected(write("word.obj", "v 0 0 0\nv zero 0 0\nv 0 1 0\nf 1 2 3\n"), "unreadable OBJ at line 2", "zero");
        assertRejected(write("range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n"), "vertex 8", "outside 0..2");
        assertRejected(write("empty.obj", "# nothing\n"), "empty mesh");
        assertRejected(write("nan.stl", binaryStl(2)), "non-finite");
        assertRejected(write("bad.ply", "plx\n"), "not a PLY");
        assertRejected(write("nohead.ply", "ply\nformat ascii 1.0\nelement vertex 3\n"), "end_header");
        assertRejected(write("fmt.ply", plyHeader("binary_middle_endian", 4, 4)), "binary_middle_endian");
        assertRejected(write("type.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n"),
                "unknown PLY property type 'quad'");
        byte[] truncated = binaryPly(ByteOrder.LITTLE_ENDIAN, "binary_little_endian");
        assertRejected(write("short.ply", java.util.Arrays.copyOf(truncated, truncated.length - 7)), "file ends inside face 3");
        assertRejected(write("face.ply", plyHeader("ascii", 3, 1) + "0 0 0 1\n1 0 0 1\n0 1 0 1\n2 0 1\n"), "face 0", "at least 3");
        assertRejected(write("junk.stl", "not a mesh at all"), "neither binary STL");
        assertRejected(write("mesh.xyz", "1 2 3"), "unknown mesh format");
        assertRejected(dir.resolve("missing.obj"), "no such file");
        Path big = write("big.obj", objText());
        MeshFormatException e = assertThrows(MeshFormatException.class, () -> MeshReader.read(big, 10));
        assertTrue(e.getMessage().contains("above the limit of 10 bytes"), e.getMessage());
    }

    @Test
    void degenerateTrianglesAreCounted() throws Exception {
        TriangleMesh mesh = MeshReader.read(write("d.obj", objText() + "f 1 2 2\nv 2 0 0\nf 1 2 5\n"));
        assertEquals(6, mesh.triangleCount());
        assertEquals(2, mesh.degenerateTriangles(), "a repeated vertex and three collinear vertices");
    }

    @Test
    void aFileWithoutAKnownExtensionIsReadByItsContent() throws Exception {
        MeshFile obj = MeshReader.load(write("tetra", objText()).toString(), MeshReader.DEFAULT_MAX_BYTES);
        assertEquals(MeshFormat.OBJ, obj.format());
        assertTetrahedron(obj.mesh());
        MeshFile ply = MeshReader.load(write("tetra.bin", binaryPly(ByteOrder.LITTLE_ENDIAN, "binary_little_endian"))
                .toString(), MeshReader.DEFAULT_MAX_BYTES);
        assertEquals(MeshFormat.PLY, ply.format());
        assertTetrahedron(ply.mesh());
        MeshFile stl = MeshReader.load(write("tetra.data", binaryStl(-1)).toString(), MeshReader.DEFAULT_MAX_BYTES);
        assertEquals(MeshFormat.STL, stl.format());
        assertEquals(4, stl.mesh().triangleCount());
        assertEquals(84 + 50 * 4, stl.bytes(), "the file's size");
        // the extension decides when it names a format, even over content that looks like another
        assertRejected(write("looks-like-obj.ply", objText()), "not a PLY");
    }

    @Test
    void binaryStlIsWrittenAndReadBack() throws Exception {
        TriangleMesh tetra = MeshReader.read(write("t.obj", objText()));
        Path stl = dir.resolve("back.stl");
        MeshWriter.write(tetra, stl);
        TriangleMesh back = MeshReader.read(stl);
        assertEquals(4, back.vertexCount(), "equal corners welded again");
        assertEquals(4, back.triangleCount());
        for (int c = 0; c < 12; c++) {   // corner by corner: welding renumbers the vertices
            for (int i = 0; i < 3; i++) {
                assertEquals((float) tetra.vertices()[3 * tetra.triangles()[c] + i],
                        back.vertices()[3 * back.triangles()[c] + i], "triangle " + c / 3 + " corner " + c % 3 + " axis " + i);
            }
        }
    }
}
