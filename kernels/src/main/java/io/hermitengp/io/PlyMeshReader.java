package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stanford PLY, ASCII and binary (little and big endian): the {@code vertex} element's x, y, z and
 * the {@code face} element's {@code vertex_indices} (or {@code vertex_index}) list, polygons
 * triangulated; every other element and property is read past.
 */
final class PlyMeshReader {
    private record Property(String name, String type, boolean list, String countType) {
    }

    private record Element(String name, int count, List<Property> properties) {
    }

    private PlyMeshReader() {
    }

    static TriangleMesh read(byte[] data, String source) {
        int headerEnd = indexOf(data, "end_header");
        if (data.length < 3 || !new String(data, 0, 3, StandardCharsets.US_ASCII).equals("ply")) {
            throw new MeshFormatException(source, "not a PLY file (no 'ply' magic line)");
        }
        if (headerEnd < 0) {
            throw new MeshFormatException(source, "PLY header has no end_header line");
        }
        int bodyStart = headerEnd + "end_header".length();
        while (bodyStart < data.length && data[bodyStart] != '\n') {
            bodyStart++;
        }
        bodyStart++;
        String header = new String(data, 0, headerEnd, StandardCharsets.US_ASCII);
        String format = null;
        List<Element> elements = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : header.split("\r?\n")) {
            lineNumber++;
            String[] w = raw.trim().split("\\s+");
            switch (w[0]) {
                case "format" -> {
                    if (w.length < 2) {
                        throw new MeshFormatException(source, "PLY header line " + lineNumber + ": format without a value");
                    }
                    format = w[1];
                }
                case "element" -> {
                    if (w.length != 3) {
                        throw new MeshFormatException(source, "PLY header line " + lineNumber + ": 'element <name> <count>' expected");
                    }
                    elements.add(new Element(w[1], parseCount(w[2], source, lineNumber), new ArrayList<>()));
                }
                case "property" -> {
                    if (elements.isEmpty()) {
                        throw new MeshFormatException(source, "PLY header line " + lineNumber + ": property before any element");
                    }
                    Property p = w.length == 5 && w[1].equals("list") ? new Property(w[4], w[3], true, w[2])
                            : w.length == 3 ? new Property(w[2], w[1], false, null) : null;
                    if (p == null) {
                        throw new MeshFormatException(source, "PLY header line " + lineNumber + ": malformed property");
                    }
                    size(p.type(), source);
                    if (p.list()) {
                        size(p.countType(), source);
                    }
                    elements.get(elements.size() - 1).properties().add(p);
                }
                default -> {
                    // ply, comment, obj_info and blank lines carry nothing we need
                }
            }
        }
        if (format == null) {
            throw new MeshFormatException(source, "PLY header has no format line");
        }
        Values values = switch (format) {
            case "ascii" -> new AsciiValues(new String(data, bodyStart, data.length - bodyStart, StandardCharsets.US_ASCII), source);
            case "binary_little_endian" -> new BinaryValues(ByteBuffer.wrap(data, bodyStart, data.length - bodyStart)
                    .order(ByteOrder.LITTLE_ENDIAN));
            case "binary_big_endian" -> new BinaryValues(ByteBuffer.wrap(data, bodyStart, data.length - bodyStart)
                    .order(ByteOrder.BIG_ENDIAN));
            default -> throw new MeshFormatException(source, "unknown PLY format '" + format
                    + "'; allowed: ascii, binary_little_endian, binary_big_endian");
        };
        MeshBuilder mesh = new MeshBuilder(source);
        boolean sawVertices = false;
        for (Element e : elements) {
            int x = indexOf(e, "x");
            int y = indexOf(e, "y");
            int z = indexOf(e, "z");
            int list = Math.max(indexOf(e, "vertex_indices"), indexOf(e, "vertex_index"));
            boolean vertexElement = e.name().equals("vertex");
            boolean faceElement = e.name().equals("face");
            if (vertexElement && (x < 0 || y < 0 || z < 0)) {
                throw new MeshFormatException(source, "PLY vertex element lacks an x, y or z property");
            }
            if (faceElement && list < 0) {
                throw new MeshFormatException(source, "PLY face element lacks a vertex_indices list");
            }
            sawVertices |= vertexElement;
            double[] row = new double[e.properties().size()];
            int[] polygon = new int[16];
            int polygonSize = 0;
            for (int item = 0; item < e.count(); item++) {
                try {
                    for (int k = 0; k < e.properties().size(); k++) {
                        Property p = e.properties().get(k);
                        if (!p.list()) {
                            row[k] = values.next(p.type());
                            continue;
                        }
                        int n = (int) values.next(p.countType());
                        if (n < 0 || n > 1 << 16) {
                            throw new MeshFormatException(source, e.name() + " " + item + " has a list of " + n + " items");
                        }
                        if (k == list && faceElement) {
                            if (n > polygon.length) {
                                polygon = new int[n];
                            }
                            for (int i = 0; i < n; i++) {
                                polygon[i] = (int) values.next(p.type());
                            }
                            polygonSize = n;
                        } else {
                            for (int i = 0; i < n; i++) {
                                values.next(p.type());
                            }
                        }
                    }
                } catch (BufferUnderflowException | IndexOutOfBoundsException eof) {
                    throw new MeshFormatException(source, "file ends inside " + e.name() + " " + item + " of " + e.count());
                }
                if (vertexElement) {
                    mesh.vertex(row[x], row[y], row[z]);
                } else if (faceElement) {
                    mesh.polygon(item, polygon, polygonSize);
                }
            }
        }
        if (!sawVertices) {
            throw new MeshFormatException(source, "PLY file has no vertex element");
        }
        return mesh.build();
    }

    private static int parseCount(String s, String source, int line) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new MeshFormatException(source, "PLY header line " + line + ": bad element count '" + s + "'");
        }
    }

    private static int indexOf(Element e, String name) {
        for (int k = 0; k < e.properties().size(); k++) {
            if (e.properties().get(k).name().equals(name)) {
                return k;
            }
        }
        return -1;
    }

    static int size(String type, String source) {
        return switch (type) {
            case "char", "uchar", "int8", "uint8" -> 1;
            case "short", "ushort", "int16", "uint16" -> 2;
            case "int", "uint", "int32", "uint32", "float", "float32" -> 4;
            case "double", "float64" -> 8;
            default -> throw new MeshFormatException(source, "unknown PLY property type '" + type + "'");
        };
    }

    private static int indexOf(byte[] data, String word) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        int limit = Math.min(data.length, 1 << 20);
        outer:
        for (int i = 0; i + w.length <= limit; i++) {
            for (int j = 0; j < w.length; j++) {
                if (data[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The body's values in order, whatever the encoding. */
    private interface Values {
        double next(String type);
    }

    private static final class BinaryValues implements Values {
        private final ByteBuffer buffer;

        BinaryValues(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public double next(String type) {
            return switch (type) {
                case "char", "int8" -> buffer.get();
                case "uchar", "uint8" -> buffer.get() & 0xFF;
                case "short", "int16" -> buffer.getShort();
                case "ushort", "uint16" -> buffer.getShort() & 0xFFFF;
                case "int", "int32" -> buffer.getInt();
                case "uint", "uint32" -> buffer.getInt() & 0xFFFFFFFFL;
                case "float", "float32" -> buffer.getFloat();
                default -> buffer.getDouble();
            };
        }
    }

    private static final class AsciiValues implements Values {
        private final String body;
        private final String source;
        private int position;

        AsciiValues(String body, String source) {
            this.body = body;
            this.source = source;
        }

        @Override
        public double next(String type) {
            while (position < body.length() && Character.isWhitespace(body.charAt(position))) {
                position++;
            }
            if (position >= body.length()) {
                throw new IndexOutOfBoundsException("end of body");
            }
            int start = position;
            while (position < body.length() && !Character.isWhitespace(body.charAt(position))) {
                position++;
            }
            String token = body.substring(start, position);
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new MeshFormatException(source, "PLY body: '" + token + "' is not a number");
            }
        }
    }
}
