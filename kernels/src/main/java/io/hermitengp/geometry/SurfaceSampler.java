package io.hermitengp.geometry;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Points uniform by area on a triangle mesh, with the unit normal of the triangle they lie on:
 * a triangle is drawn with probability proportional to its area (binary search in the cumulative
 * areas), then a point uniform in it ({@code a + u (b - a) + v (c - a)}, reflected when u + v > 1).
 */
public final class SurfaceSampler {
    private final TriangleMesh mesh;
    private final double[] cumulativeArea;

    public SurfaceSampler(TriangleMesh mesh) {
        this.mesh = mesh;
        this.cumulativeArea = new double[mesh.triangleCount()];
        double sum = 0;
        for (int t = 0; t < mesh.triangleCount(); t++) {
            double[] n = crossProduct(mesh, t);
            sum += 0.5 * Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            cumulativeArea[t] = sum;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(mesh.source() + ": surface has zero area");
        }
    }

    public double area() {
        return cumulativeArea[cumulativeArea.length - 1];
    }

    /** Writes a point and its unit normal, {@code (x, y, z, nx, ny, nz)}, at {@code out[offset..]}. */
    public void sample(SplittableRandom random, double[] out, int offset) {
        double r = random.nextDouble() * area();
        int t = Arrays.binarySearch(cumulativeArea, r);
        t = t >= 0 ? t : Math.min(-t - 1, cumulativeArea.length - 1);
        double u = random.nextDouble();
        double v = random.nextDouble();
        if (u + v > 1) {
            u = 1 - u;
            v = 1 - v;
        }
        double[] p = mesh.vertices();
        int[] tri = mesh.triangles();
        int a = 3 * tri[3 * t];
        int b = 3 * tri[3 * t + 1];
        int c = 3 * tri[3 * t + 2];
        for (int i = 0; i < 3; i++) {
            out[offset + i] = p[a + i] + u * (p[b + i] - p[a + i]) + v * (p[c + i] - p[a + i]);
        }
        double[] n = unitNormal(mesh, t);
        System.arraycopy(n, 0, out, offset + 3, 3);
    }

    /** The unit normal of triangle t (right-handed in its vertex order; zero for a degenerate one). */
    public static double[] unitNormal(TriangleMesh mesh, int t) {
        double[] n = crossProduct(mesh, t);
        double length = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (length > 0) {
            for (int i = 0; i < 3; i++) {
                n[i] /= length;
            }
        }
        return n;
    }

    private static double[] crossProduct(TriangleMesh mesh, int t) {
        int[] tri = mesh.triangles();
        return TriangleGeometry.cross(mesh.vertices(), tri[3 * t], tri[3 * t + 1], tri[3 * t + 2]);
    }
}
