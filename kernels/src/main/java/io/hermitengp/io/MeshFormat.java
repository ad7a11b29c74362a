package io.hermitengp.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The mesh file formats read here, and how a file's format is decided: by its extension
 * ({@code .obj}, {@code .ply}, {@code .stl}, any case) when it has one of these, otherwise by its
 * first bytes, so that files named without an extension (or {@code .bin}, {@code .mesh}, a content
 * hash) in a collection still read:
 *
 * <ul>
 *   <li>PLY: the magic line {@code ply};</li>
 *   <li>binary STL: 84 + 50 n bytes, n the little-endian uint32 at byte 80 (checked before ASCII
 *       STL, since binary STL headers often begin with {@code solid} too);</li>
 *   <li>ASCII STL: {@code solid} then a {@code facet} keyword;</li>
 *   <li>OBJ: a line, among the first 64 KiB, that starts with {@code v} or {@code f} and a blank.</li>
 * </ul>
 */
public enum MeshFormat {
    OBJ, PLY, STL;

    private static final int SNIFF_BYTES = 1 << 16;

    /** Lower-case name, as the meshes table and extensions write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a file name's extension names, if any. */
    public static Optional<MeshFormat> byExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (MeshFormat f : values()) {
            if (name.endsWith("." + f.label())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format the bytes look like, if any (see the class comment for the rules). */
    public static Optional<MeshFormat> byContent(byte[] data) {
        String head = new String(data, 0, Math.min(data.length, SNIFF_BYTES), StandardCharsets.ISO_8859_1);
        if (head.startsWith("ply") && (head.length() == 3 || head.charAt(3) == '\n' || head.charAt(3) == '\r')) {
            return Optional.of(PLY);
        }
        if (data.length >= 84) {
            long count = ByteBuffer.wrap(data, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (84 + 50 * count == data.length) {
                return Optional.of(STL);
            }
        }
        if (head.stripLeading().startsWith("solid") && head.contains("facet")) {
            return Optional.of(STL);
        }
        for (String line : head.split("\\R")) {
            String l = line.stripLeading();
            if (l.startsWith("v ") || l.startsWith("f ") || l.startsWith("v\t") || l.startsWith("f\t")) {
                return Optional.of(OBJ);
            }
        }
        return Optional.empty();
    }

    /**
     * The format of a file: its extension's, else its content's.
     *
     * @throws MeshFormatException naming the file when neither says
     */
    public static MeshFormat of(byte[] data, String fileName, String source) {
        return byExtension(fileName).or(() -> byContent(data)).orElseThrow(() -> new MeshFormatException(source,
                "unknown mesh format: the name has none of the extensions .obj, .ply, .stl and the content is "
                        + "none of them (no 'ply' line, no STL layout, no OBJ 'v'/'f' line)"));
    }
}
