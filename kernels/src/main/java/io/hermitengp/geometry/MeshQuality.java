package io.hermitengp.geometry;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What a triangle mesh is made of, as far as its signed distance is concerned. An edge is an
 * unordered pair of vertex indices; a closed, consistently oriented (watertight) mesh has every
 * edge in exactly two triangles, traversed once in each direction. Then:
 *
 * <ul>
 *   <li>a <b>boundary</b> edge lies in one triangle only: the mesh is open there, and the winding
 *       number, which is 1 inside and 0 outside a closed surface, passes through 1/2 across the
 *       hole, so signs near it are guesses;</li>
 *   <li>a <b>non-manifold</b> edge lies in three or more triangles (fins, duplicated faces);</li>
 *   <li>an <b>inconsistent</b> edge lies in two triangles that traverse it in the same direction:
 *       their normals disagree, one face is flipped;</li>
 *   <li>a <b>degenerate</b> triangle has zero area, a <b>duplicate</b> one repeats another's
 *       vertex set (in any order).</li>
 * </ul>
 *
 * Zero-area triangles are counted but left out of the edge counts: they bound nothing, and
 * their edges would otherwise make a closed mesh look open or non-manifold.
 *
 * <p>The signed volume {@code V = (1/6) sum_t a . (b x c)} (divergence theorem, exact for a closed
 * mesh) is positive for an outward-oriented mesh and negative for an inside-out one, whose winding
 * number is -1 inside, so every point reads as outside.
 *
 * @param signedVolume in the mesh's own units cubed
 * @param area         total triangle area, mesh units squared
 */
public record MeshQuality(int vertices, int triangles, int degenerateTriangles, int duplicateTriangles,
                          long edges, long boundaryEdges, long nonManifoldEdges, long inconsistentEdges,
                          double signedVolume, double area) {

    /** Every edge in exactly two triangles: the winding number is 0 or 1 away from the surface (for a mesh without self-intersections). */
    public boolean watertight() {
        return boundaryEdges == 0 && nonManifoldEdges == 0;
    }

    public static MeshQuality of(TriangleMesh mesh) {
        int[] t = mesh.triangles();
        double[] v = mesh.vertices();
        int m = mesh.triangleCount();
        long vertexCount = mesh.vertexCount();
        // each directed edge (a -> b) as key min*V + max, shifted left, with the direction in bit 0
        long[] directed = new long[3 * m];
        int count = 0;
        int degenerate = 0;
        int duplicates = 0;
        double volume = 0;
        double area = 0;
        Set<TriangleKey> seen = new HashSet<>();
        for (int k = 0; k < m; k++) {
            int a = t[3 * k];
            int b = t[3 * k + 1];
            int c = t[3 * k + 2];
            double[] n = TriangleGeometry.cross(v, a, b, c);
            double twiceArea = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            area += 0.5 * twiceArea;
            if (twiceArea == 0) {
                // a zero-area triangle bounds nothing: counted, but its edges take no part in the topology
                // (else its collapsed copy of an edge would make that edge non-manifold, and the mesh look open)
                degenerate++;
                continue;
            }
            // a . (b x c) = a . ((b - a) x (c - a)) = a . n
            volume += (v[3 * a] * n[0] + v[3 * a + 1] * n[1] + v[3 * a + 2] * n[2]) / 6;
            if (!seen.add(TriangleKey.of(a, b, c))) {
                duplicates++;
            }
            int[] corners = {a, b, c};
            for (int e = 0; e < 3; e++) {
                int from = corners[e];
                int to = corners[(e + 1) % 3];
                long lo = Math.min(from, to);
                long hi = Math.max(from, to);
                directed[count++] = ((lo * vertexCount + hi) << 1) | (from < to ? 0 : 1);
            }
        }
        Arrays.sort(directed, 0, count);
        long edges = 0;
        long boundary = 0;
        long nonManifold = 0;
        long inconsistent = 0;
        for (int i = 0; i < count; ) {
            long key = directed[i] >>> 1;
            int j = i;
            int forward = 0;
            while (j < count && directed[j] >>> 1 == key) {
                forward += (directed[j] & 1) == 0 ? 1 : 0;
                j++;
            }
            int uses = j - i;
            edges++;
            if (uses == 1) {
                boundary++;
            } else if (uses > 2) {
                nonManifold++;
            } else if (forward != 1) {
                inconsistent++;
            }
            i = j;
        }
        return new MeshQuality(mesh.vertexCount(), m, degenerate, duplicates, edges, boundary, nonManifold,
                inconsistent, volume, area);
    }

    /** A triangle's vertex set, sorted: equal for the same three vertices in any order. */
    private record TriangleKey(int a, int b, int c) {
        static TriangleKey of(int x, int y, int z) {
            int lo = Math.min(x, Math.min(y, z));
            int hi = Math.max(x, Math.max(y, z));
            return new TriangleKey(lo, x + y + z - lo - hi, hi);
        }
    }
}
