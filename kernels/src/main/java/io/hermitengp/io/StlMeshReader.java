package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * STL, binary (80-byte header, uint32 count, 50 bytes per triangle) or ASCII ({@code solid ...
 * facet ... outer loop vertex x y z ... endsolid}). STL repeats vertices per facet; exactly equal
 * vertices are merged so the mesh has shared vertices like the other formats.
 */
final class StlMeshReader {
    private StlMeshReader() {
    }

    static TriangleMesh read(byte[] data, String source) {
        if (data.length >= 84) {
            long count = ByteBuffer.wrap(data, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (84 + 50 * count == data.length) {
                return binary(data, (int) count, source);
            }
        }
        String text = new String(data, StandardCharsets.US_ASCII);
        if (!text.stripLeading().startsWith("solid")) {
            throw new MeshFormatException(source, "neither binary STL (size " + data.length
                    + " does not match its triangle count) nor ASCII STL (no 'solid' keyword)");
        }
        return ascii(text, source);
    }

    private static TriangleMesh binary(byte[] data, int count, String source) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Welder welder = new Welder(source);
        int[] triangle = new int[3];
        for (int t = 0; t < count; t++) {
            int base = 84 + 50 * t + 12;   // skip the facet normal
            for (int k = 0; k < 3; k++) {
                int o = base + 12 * k;
                triangle[k] = welder.index(b.getFloat(o), b.getFloat(o + 4), b.getFloat(o + 8));
            }
            welder.mesh.polygon(t, triangle, 3);
        }
        return welder.mesh.build();
    }

    private static TriangleMesh ascii(String text, String source) {
        Welder welder = new Welder(source);
        String[] tokens = text.trim().split("\\s+");
        int[] loop = new int[16];
        int loopSize = 0;
        int facet = 0;
        for (int i = 0; i < tokens.length; i++) {
            switch (tokens[i]) {
                case "vertex" -> {
                    if (i + 3 >= tokens.length) {
                        throw new MeshFormatException(source, "ASCII STL ends inside a vertex of facet " + facet);
                    }
                    if (loopSize == loop.length) {
                        throw new MeshFormatException(source, "facet " + facet + " has more than " + loop.length + " vertices");
                    }
                    loop[loopSize++] = welder.index(number(tokens[i + 1], source, facet),
                            number(tokens[i + 2], source, facet), number(tokens[i + 3], source, facet));
                    i += 3;
                }
                case "endloop" -> {
                    welder.mesh.polygon(facet++, loop, loopSize);
                    loopSize = 0;
                }
                default -> {
                    // solid, facet, normal, outer, loop, endfacet, endsolid and names
                }
            }
        }
        return welder.mesh.build();
    }

    private static double number(String token, String source, int facet) {
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new MeshFormatException(source, "facet " + facet + ": '" + token + "' is not a number");
        }
    }

    /** Merges exactly equal vertices. */
    private static final class Welder {
        final MeshBuilder mesh;
        final Map<String, Integer> seen = new HashMap<>();

        Welder(String source) {
            mesh = new MeshBuilder(source);
        }

        int index(double x, double y, double z) {
            String key = x + "," + y + "," + z;
            Integer index = seen.get(key);
            if (index == null) {
                mesh.vertex(x, y, z);
                index = mesh.vertexCount() - 1;
                seen.put(key, index);
            }
            return index;
        }
    }
}
