package io.hermitengp.geometry;

import java.util.Arrays;

/**
 * A bounding-volume hierarchy over a mesh's triangles for exact closest-point queries: nodes
 * split at the median centroid along their longest axis down to a few triangles per leaf;
 * queries descend the nearer child first and prune nodes whose box is farther than the best
 * distance so far. Thread-safe for queries.
 */
public final class TriangleBvh {
    private static final int LEAF_SIZE = 4;

    private final TriangleMesh mesh;
    private final int[] order;          // triangle ids, permuted so each node owns a contiguous range
    private final double[] nodeBounds;  // per node: lo xyz, hi xyz
    private final int[] nodeStart;      // per node: first index into order (leaves) or -1
    private final int[] nodeCount;      // per node: triangles (leaves)
    private final int[] nodeLeft;       // per node: left child (inner), right child = left + 1 is not assumed
    private final int[] nodeRight;
    private int nodes;

    public TriangleBvh(TriangleMesh mesh) {
        this.mesh = mesh;
        int m = mesh.triangleCount();
        order = new int[m];
        for (int t = 0; t < m; t++) {
            order[t] = t;
        }
        int capacity = 2 * m + 1;
        nodeBounds = new double[6 * capacity];
        nodeStart = new int[capacity];
        nodeCount = new int[capacity];
        nodeLeft = new int[capacity];
        nodeRight = new int[capacity];
        double[] centroids = new double[3 * m];
        for (int t = 0; t < m; t++) {
            for (int i = 0; i < 3; i++) {
                centroids[3 * t + i] = (vertex(t, 0, i) + vertex(t, 1, i) + vertex(t, 2, i)) / 3;
            }
        }
        build(0, m, centroids);
    }

    public TriangleMesh mesh() {
        return mesh;
    }

    private double vertex(int triangle, int corner, int axis) {
        return mesh.vertices()[3 * mesh.triangles()[3 * triangle + corner] + axis];
    }

    private int build(int from, int to, double[] centroids) {
        int node = nodes++;
        double[] b = new double[]{Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE,
            -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int k = from; k < to; k++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 3; i++) {
                    double v = vertex(order[k], c, i);
                    b[i] = Math.min(b[i], v);
                    b[3 + i] = Math.max(b[3 + i], v);
                }
            }
        }
        System.arraycopy(b, 0, nodeBounds, 6 * node, 6);
        if (to - from <= LEAF_SIZE) {
            nodeStart[node] = from;
            nodeCount[node] = to - from;
            return node;
        }
        int axis = 0;
        for (int i = 1; i < 3; i++) {
            if (b[3 + i] - b[i] > b[3 + axis] - b[axis]) {
                axis = i;
            }
        }
        int a = axis;
        Integer[] slice = new Integer[to - from];
        for (int k = from; k < to; k++) {
            slice[k - from] = order[k];
        }
        Arrays.sort(slice, (p, q) -> Double.compare(centroids[3 * p + a], centroids[3 * q + a]));
        for (int k = from; k < to; k++) {
            order[k] = slice[k - from];
        }
        int mid = (from + to) / 2;
        nodeStart[node] = -1;
        nodeLeft[node] = build(from, mid, centroids);
        nodeRight[node] = build(mid, to, centroids);
        return node;
    }

    /** Number of nodes; node 0 is the root. */
    int nodeCount() {
        return nodes;
    }

    /** Whether the node is a leaf (owns triangles directly). */
    boolean isLeaf(int node) {
        return nodeStart[node] >= 0;
    }

    int leftChild(int node) {
        return nodeLeft[node];
    }

    int rightChild(int node) {
        return nodeRight[node];
    }

    /** The k-th triangle of a leaf. */
    int leafTriangle(int node, int k) {
        return order[nodeStart[node] + k];
    }

    int leafSize(int node) {
        return nodeCount[node];
    }

    /** Result of a closest-point query. */
    public record Closest(double distance, int triangle, double x, double y, double z) {
    }

    /** The closest point of the mesh to p, exactly. */
    public Closest closest(double px, double py, double pz) {
        return search(px, py, pz, Double.MAX_VALUE);
    }

    /**
     * The closest point of the mesh to p when it lies closer than {@code radius}, else null. The
     * search prunes every node farther than the radius from the start, so a point far from the
     * surface costs a few box tests.
     */
    public Closest closestWithin(double px, double py, double pz, double radius) {
        Closest c = search(px, py, pz, radius * radius);
        return c.triangle() < 0 ? null : c;
    }

    /** The closest point among triangles closer than {@code sqrt(bound2)}; triangle -1 when there is none. */
    private Closest search(double px, double py, double pz, double bound2) {
        double[] best = {bound2, -1, 0, 0, 0};
        double[] point = new double[3];
        int[] stack = new int[128];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            if (boxDistance2(node, px, py, pz) >= best[0]) {
                continue;
            }
            if (nodeStart[node] >= 0) {
                for (int k = nodeStart[node]; k < nodeStart[node] + nodeCount[node]; k++) {
                    int t = order[k];
                    closestOnTriangle(t, px, py, pz, point);
                    double dx = point[0] - px;
                    double dy = point[1] - py;
                    double dz = point[2] - pz;
                    double d2 = dx * dx + dy * dy + dz * dz;
                    if (d2 < best[0]) {
                        best[0] = d2;
                        best[1] = t;
                        best[2] = point[0];
                        best[3] = point[1];
                        best[4] = point[2];
                    }
                }
                continue;
            }
            int near = nodeLeft[node];
            int far = nodeRight[node];
            if (boxDistance2(far, px, py, pz) < boxDistance2(near, px, py, pz)) {
                int swap = near;
                near = far;
                far = swap;
            }
            if (top + 2 > stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[top++] = far;
            stack[top++] = near;
        }
        return new Closest(Math.sqrt(best[0]), (int) best[1], best[2], best[3], best[4]);
    }

    /**
     * Where the segment {@code a + t (b - a)}, {@code t in [0, 1]}, first meets the mesh: the
     * smallest such t over all triangles (Moller-Trumbore per triangle), or NaN when it meets none.
     * A hit on a shared edge or vertex counts for every triangle holding it (barycentric bounds are
     * widened by {@link #EDGE_SLACK}), so a segment through an edge of a closed mesh is not lost
     * between its two triangles. Nodes whose box the segment misses, or enters after the best hit
     * so far, are skipped.
     */
    public double firstHit(double ax, double ay, double az, double bx, double by, double bz) {
        double dx = bx - ax, dy = by - ay, dz = bz - az;
        double best = Double.NaN;
        double limit = 1.0;
        int[] stack = new int[128];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            if (!(segmentEntersBox(node, ax, ay, az, dx, dy, dz) <= limit)) {
                continue;
            }
            if (nodeStart[node] >= 0) {
                for (int k = nodeStart[node]; k < nodeStart[node] + nodeCount[node]; k++) {
                    double t = segmentTriangle(order[k], ax, ay, az, dx, dy, dz);
                    if (t <= limit) {
                        limit = t;
                        best = t;
                    }
                }
                continue;
            }
            if (top + 2 > stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[top++] = nodeRight[node];
            stack[top++] = nodeLeft[node];
        }
        return best;
    }

    /** Barycentric slack of {@link #firstHit}: relative to a triangle's own coordinates, far below any real gap. */
    private static final double EDGE_SLACK = 1e-12;

    /** The t in [0, 1] where the segment crosses triangle tri, or NaN (parallel, or no crossing). */
    private double segmentTriangle(int tri, double ax, double ay, double az, double dx, double dy, double dz) {
        double v0x = vertex(tri, 0, 0), v0y = vertex(tri, 0, 1), v0z = vertex(tri, 0, 2);
        double e1x = vertex(tri, 1, 0) - v0x, e1y = vertex(tri, 1, 1) - v0y, e1z = vertex(tri, 1, 2) - v0z;
        double e2x = vertex(tri, 2, 0) - v0x, e2y = vertex(tri, 2, 1) - v0y, e2z = vertex(tri, 2, 2) - v0z;
        double px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
        double det = e1x * px + e1y * py + e1z * pz;
        if (det == 0 || !Double.isFinite(det)) {
            return Double.NaN;
        }
        double inv = 1 / det;
        double sx = ax - v0x, sy = ay - v0y, sz = az - v0z;
        double u = (sx * px + sy * py + sz * pz) * inv;
        if (u < -EDGE_SLACK || u > 1 + EDGE_SLACK) {
            return Double.NaN;
        }
        double qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
        double v = (dx * qx + dy * qy + dz * qz) * inv;
        if (v < -EDGE_SLACK || u + v > 1 + EDGE_SLACK) {
            return Double.NaN;
        }
        double t = (e2x * qx + e2y * qy + e2z * qz) * inv;
        return t >= 0 && t <= 1 ? t : Double.NaN;
    }

    /** The t at which the segment enters the node's box (slab test), or NaN when it misses the box within [0, 1]. */
    private double segmentEntersBox(int node, double ax, double ay, double az, double dx, double dy, double dz) {
        int b = 6 * node;
        double enter = 0;
        double exit = 1;
        double[] origin = {ax, ay, az};
        double[] direction = {dx, dy, dz};
        for (int i = 0; i < 3; i++) {
            double lo = nodeBounds[b + i];
            double hi = nodeBounds[b + 3 + i];
            if (direction[i] == 0) {
                if (origin[i] < lo || origin[i] > hi) {
                    return Double.NaN;
                }
                continue;
            }
            double t0 = (lo - origin[i]) / direction[i];
            double t1 = (hi - origin[i]) / direction[i];
            enter = Math.max(enter, Math.min(t0, t1));
            exit = Math.min(exit, Math.max(t0, t1));
        }
        // a box as thin as a flat triangle's: widen the test by a relative hair so rounding does not miss it
        return enter <= exit + 1e-12 ? enter : Double.NaN;
    }

    private double boxDistance2(int node, double px, double py, double pz) {
        int b = 6 * node;
        double dx = Math.max(0, Math.max(nodeBounds[b] - px, px - nodeBounds[b + 3]));
        double dy = Math.max(0, Math.max(nodeBounds[b + 1] - py, py - nodeBounds[b + 4]));
        double dz = Math.max(0, Math.max(nodeBounds[b + 2] - pz, pz - nodeBounds[b + 5]));
        return dx * dx + dy * dy + dz * dz;
    }

    /**
     * Closest point on triangle t to p (Ericson, Real-Time Collision Detection, 5.1.5): by the
     * Voronoi region of p among the vertices, edges and face.
     */
    public void closestOnTriangle(int t, double px, double py, double pz, double[] out) {
        double ax = vertex(t, 0, 0), ay = vertex(t, 0, 1), az = vertex(t, 0, 2);
        double bx = vertex(t, 1, 0), by = vertex(t, 1, 1), bz = vertex(t, 1, 2);
        double cx = vertex(t, 2, 0), cy = vertex(t, 2, 1), cz = vertex(t, 2, 2);
        double abx = bx - ax, aby = by - ay, abz = bz - az;
        double acx = cx - ax, acy = cy - ay, acz = cz - az;
        double apx = px - ax, apy = py - ay, apz = pz - az;
        double d1 = abx * apx + aby * apy + abz * apz;
        double d2 = acx * apx + acy * apy + acz * apz;
        if (d1 <= 0 && d2 <= 0) {
            set(out, ax, ay, az);
            return;
        }
        double bpx = px - bx, bpy = py - by, bpz = pz - bz;
        double d3 = abx * bpx + aby * bpy + abz * bpz;
        double d4 = acx * bpx + acy * bpy + acz * bpz;
        if (d3 >= 0 && d4 <= d3) {
            set(out, bx, by, bz);
            return;
        }
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) {
            double v = d1 / (d1 - d3);
            set(out, ax + v * abx, ay + v * aby, az + v * abz);
            return;
        }
        double cpx = px - cx, cpy = py - cy, cpz = pz - cz;
        double d5 = abx * cpx + aby * cpy + abz * cpz;
        double d6 = acx * cpx + acy * cpy + acz * cpz;
        if (d6 >= 0 && d5 <= d6) {
            set(out, cx, cy, cz);
            return;
        }
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) {
            double w = d2 / (d2 - d6);
            set(out, ax + w * acx, ay + w * acy, az + w * acz);
            return;
        }
        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) {
            double w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
            set(out, bx + w * (cx - bx), by + w * (cy - by), bz + w * (cz - bz));
            return;
        }
        double denominator = 1 / (va + vb + vc);
        double v = vb * denominator;
        double w = vc * denominator;
        set(out, ax + abx * v + acx * w, ay + aby * v + acy * w, az + abz * v + acz * w);
    }

    private static void set(double[] out, double x, double y, double z) {
        out[0] = x;
        out[1] = y;
        out[2] = z;
    }
}
