package io.hermitengp.geometry;

import java.util.HashMap;
import java.util.Map;

/**
 * The zero (or any iso) level set of a function sampled on a grid with endpoints over a box, as a
 * triangle mesh. Each grid cube is split into the six tetrahedra around its main diagonal (Kuhn
 * triangulation, the same split in every cube, so neighbouring cubes agree on shared faces); each
 * tetrahedron yields 0, 1 or 2 triangles with vertices interpolated linearly on its edges. This
 * is marching cubes without the ambiguous cases of the cube table: the surface is watertight
 * wherever the samples are. Vertices on shared grid edges are merged, and triangles face the
 * side where the function exceeds the iso value (outward for a signed distance).
 */
public final class IsoSurface {
    /** The six tetrahedra of a cube, as corner masks (bit 0 = x, bit 1 = y, bit 2 = z). */
    private static final int[][] TETRAHEDRA = {
        {0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7}, {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};

    private IsoSurface() {
    }

    /**
     * @param values (nx, ny, nz) samples, x fastest, at {@code lo + extent * (i / (n - 1))}
     */
    public static TriangleMesh extract(double[] values, int nx, int ny, int nz, Box box, double iso) {
        Builder b = new Builder(values, nx, ny, nz, box, iso);
        for (int k = 0; k + 1 < nz; k++) {
            for (int j = 0; j + 1 < ny; j++) {
                for (int i = 0; i + 1 < nx; i++) {
                    for (int[] tet : TETRAHEDRA) {
                        int[] g = new int[4];
                        for (int c = 0; c < 4; c++) {
                            int m = tet[c];
                            g[c] = (i + (m & 1)) + nx * ((j + (m >> 1 & 1)) + ny * (k + (m >> 2 & 1)));
                        }
                        b.tetrahedron(g);
                    }
                }
            }
        }
        return b.build();
    }

    private static final class Builder {
        private final double[] values;
        private final int nx;
        private final int ny;
        private final Box box;
        private final double iso;
        private final Map<Long, Integer> edgeVertex = new HashMap<>();
        private double[] vertices = new double[3 * 1024];
        private int vertexCount;
        private int[] triangles = new int[3 * 1024];
        private int triangleCount;
        private final int nz;

        Builder(double[] values, int nx, int ny, int nz, Box box, double iso) {
            this.values = values;
            this.nx = nx;
            this.ny = ny;
            this.nz = nz;
            this.box = box;
            this.iso = iso;
        }

        private double coordinate(int g, int axis) {
            int index = axis == 0 ? g % nx : axis == 1 ? g / nx % ny : g / nx / ny;
            int n = axis == 0 ? nx : axis == 1 ? ny : nz;
            return box.lo(axis) + box.extent(axis) * index / (n - 1);
        }

        private int vertexOnEdge(int a, int b) {
            long key = Math.min(a, b) * (long) values.length + Math.max(a, b);
            Integer known = edgeVertex.get(key);
            if (known != null) {
                return known;
            }
            double fa = values[a] - iso;
            double fb = values[b] - iso;
            double t = fa / (fa - fb);
            if (3 * vertexCount + 3 > vertices.length) {
                vertices = java.util.Arrays.copyOf(vertices, 2 * vertices.length);
            }
            for (int axis = 0; axis < 3; axis++) {
                double pa = coordinate(a, axis);
                vertices[3 * vertexCount + axis] = pa + t * (coordinate(b, axis) - pa);
            }
            edgeVertex.put(key, vertexCount);
            return vertexCount++;
        }

        void tetrahedron(int[] g) {
            int[] in = new int[4];
            int[] out = new int[4];
            int ins = 0;
            int outs = 0;
            for (int c = 0; c < 4; c++) {
                if (values[g[c]] < iso) {
                    in[ins++] = g[c];
                } else {
                    out[outs++] = g[c];
                }
            }
            if (ins == 0 || outs == 0) {
                return;
            }
            if (ins == 1 || outs == 1) {
                boolean single = ins == 1;
                int apex = single ? in[0] : out[0];
                int[] others = single ? out : in;
                triangle(vertexOnEdge(apex, others[0]), vertexOnEdge(apex, others[1]), vertexOnEdge(apex, others[2]), in,
                        ins, out, outs);
                return;
            }
            int a = vertexOnEdge(in[0], out[0]);
            int b = vertexOnEdge(in[0], out[1]);
            int c = vertexOnEdge(in[1], out[1]);
            int d = vertexOnEdge(in[1], out[0]);
            triangle(a, b, c, in, ins, out, outs);
            triangle(a, c, d, in, ins, out, outs);
        }

        /** Adds a triangle facing from the inside corners towards the outside ones. */
        private void triangle(int a, int b, int c, int[] in, int ins, int[] out, int outs) {
            double[] n = TriangleGeometry.cross(vertices, a, b, c);
            double direction = 0;
            for (int axis = 0; axis < 3; axis++) {
                double inside = 0;
                double outside = 0;
                for (int k = 0; k < ins; k++) {
                    inside += coordinate(in[k], axis) / ins;
                }
                for (int k = 0; k < outs; k++) {
                    outside += coordinate(out[k], axis) / outs;
                }
                direction += n[axis] * (outside - inside);
            }
            if (n[0] == 0 && n[1] == 0 && n[2] == 0) {
                return;   // the surface passes through grid vertices here: zero-area piece
            }
            if (3 * triangleCount + 3 > triangles.length) {
                triangles = java.util.Arrays.copyOf(triangles, 2 * triangles.length);
            }
            triangles[3 * triangleCount] = a;
            triangles[3 * triangleCount + 1] = direction >= 0 ? b : c;
            triangles[3 * triangleCount + 2] = direction >= 0 ? c : b;
            triangleCount++;
        }

        TriangleMesh build() {
            return new TriangleMesh("iso-surface", java.util.Arrays.copyOf(vertices, 3 * vertexCount),
                    java.util.Arrays.copyOf(triangles, 3 * triangleCount), 0);
        }
    }
}
