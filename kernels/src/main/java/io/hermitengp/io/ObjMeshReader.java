package io.hermitengp.io;

import de.javagl.obj.FloatTuple;
import de.javagl.obj.Obj;
import de.javagl.obj.ObjFace;
import de.javagl.obj.ObjReader;
import io.hermitengp.geometry.TriangleMesh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Wavefront OBJ through de.javagl:obj: vertices and faces (polygons triangulated); other records ignored. */
final class ObjMeshReader {
    private ObjMeshReader() {
    }

    static TriangleMesh read(byte[] data, String source) {
        Obj obj;
        try {
            obj = ObjReader.read(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            throw new MeshFormatException(source, "unreadable OBJ" + lineOf(data, e) + ": " + e.getMessage(), e);
        }
        MeshBuilder mesh = new MeshBuilder(source);
        for (int v = 0; v < obj.getNumVertices(); v++) {
            FloatTuple p = obj.getVertex(v);
            mesh.vertex(p.getX(), p.getY(), p.getZ());
        }
        int[] indices = new int[16];
        for (int f = 0; f < obj.getNumFaces(); f++) {
            ObjFace face = obj.getFace(f);
            if (face.getNumVertices() > indices.length) {
                indices = new int[face.getNumVertices()];
            }
            for (int k = 0; k < face.getNumVertices(); k++) {
                indices[k] = face.getVertexIndex(k);
            }
            mesh.polygon(f, indices, face.getNumVertices());
        }
        return mesh.build();
    }

    /** " at line N" for a number the parser could not read, found by its text; "" when unknown. */
    private static String lineOf(byte[] data, Exception e) {
        String message = String.valueOf(e.getMessage());
        int quote = message.indexOf("For input string: \"");
        if (quote < 0) {
            return "";
        }
        String token = message.substring(quote + 19, message.indexOf('"', quote + 19));
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            for (String word : lines[i].trim().split("\\s+")) {
                if (word.equals(token)) {
                    return " at line " + (i + 1);
                }
            }
        }
        return "";
    }
}
