package io.hermitengp.io;

import io.hermitengp.geometry.TriangleMesh;

/**
 * A mesh as read from a file, with what the file was.
 *
 * @param mesh   the triangles (polygons triangulated, STL vertices welded)
 * @param format the format it was read as
 * @param bytes  the file's size
 */
public record MeshFile(TriangleMesh mesh, MeshFormat format, long bytes) {
}
