package io.hermitengp.geometry;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The flaws of real mesh collections, made on purpose from clean meshes: holes (triangles
 * removed), an inside-out orientation, flipped faces, duplicate faces and zero-area faces. Each
 * returns a new mesh with its degenerate triangles counted again.
 */
public final class MeshDefects {
    private MeshDefects() {
    }

    /** The mesh without the triangles {@code drop} accepts (by index): an open mesh when any go. */
    public static TriangleMesh withoutTriangles(TriangleMesh mesh, IntPredicate drop) {
        int[] t = mesh.triangles();
        int[] kept = new int[t.length];
        int c = 0;
        for (int k = 0; k < mesh.triangleCount(); k++) {
            if (!drop.test(k)) {
                System.arraycopy(t, 3 * k, kept, c, 3);
                c += 3;
            }
        }
        return counted(mesh.source(), mesh.vertices(), Arrays.copyOf(kept, c));
    }

    /** The mesh without the triangles whose centroid has coordinate {@code axis} above {@code cut}. */
    public static TriangleMesh cutAbove(TriangleMesh mesh, int axis, double cut) {
        double[] v = mesh.vertices();
        int[] t = mesh.triangles();
        return withoutTriangles(mesh, k -> (v[3 * t[3 * k] + axis] + v[3 * t[3 * k + 1] + axis]
                + v[3 * t[3 * k + 2] + axis]) / 3 > cut);
    }

    /** The triangles {@code flip} accepts with their orientation reversed (all of them: inside out). */
    public static TriangleMesh flipped(TriangleMesh mesh, IntPredicate flip) {
        int[] t = mesh.triangles().clone();
        for (int k = 0; k < mesh.triangleCount(); k++) {
            if (flip.test(k)) {
                int b = t[3 * k + 1];
                t[3 * k + 1] = t[3 * k + 2];
                t[3 * k + 2] = b;
            }
        }
        return counted(mesh.source(), mesh.vertices(), t);
    }

    /** Every {@code every}-th triangle repeated once more at the end (same vertices, same order). */
    public static TriangleMesh withDuplicates(TriangleMesh mesh, int every) {
        int extra = (mesh.triangleCount() + every - 1) / every;
        int[] t = Arrays.copyOf(mesh.triangles(), mesh.triangles().length + 3 * extra);
        int c = mesh.triangles().length;
        for (int k = 0; k < mesh.triangleCount(); k += every) {
            System.arraycopy(mesh.triangles(), 3 * k, t, c, 3);
            c += 3;
        }
        return counted(mesh.source(), mesh.vertices(), t);
    }

    /**
     * {@code count} zero-area triangles added: for triangle k's first edge (a, b), the triangle
     * (a, a', b) with a' a new vertex at a's position (an unwelded copy, as STL exports make), and
     * every other one (a, a, b) with a repeated index, the two kinds readers meet.
     */
    public static TriangleMesh withDegenerate(TriangleMesh mesh, int count) {
        int[] src = mesh.triangles();
        double[] v = Arrays.copyOf(mesh.vertices(), mesh.vertices().length + 3 * count);
        int[] t = Arrays.copyOf(src, src.length + 3 * count);
        int next = mesh.vertexCount();
        for (int d = 0; d < count; d++) {
            int k = (int) ((long) d * mesh.triangleCount() / count);
            int a = src[3 * k];
            int b = src[3 * k + 1];
            int at = src.length + 3 * d;
            if (d % 2 == 0) {
                System.arraycopy(v, 3 * a, v, 3 * next, 3);
                t[at] = a;
                t[at + 1] = next++;
                t[at + 2] = b;
            } else {
                t[at] = a;
                t[at + 1] = a;
                t[at + 2] = b;
            }
        }
        return counted(mesh.source(), Arrays.copyOf(v, 3 * next), t);
    }

    /** Two meshes as one (the second's vertex indices shifted): several components in one file. */
    public static TriangleMesh union(TriangleMesh first, TriangleMesh second) {
        double[] v = Arrays.copyOf(first.vertices(), first.vertices().length + second.vertices().length);
        System.arraycopy(second.vertices(), 0, v, first.vertices().length, second.vertices().length);
        int[] t = Arrays.copyOf(first.triangles(), first.triangles().length + second.triangles().length);
        for (int k = 0; k < second.triangles().length; k++) {
            t[first.triangles().length + k] = second.triangles()[k] + first.vertexCount();
        }
        return counted(first.source(), v, t);
    }

    /** The mesh moved by (dx, dy, dz). */
    public static TriangleMesh translated(TriangleMesh mesh, double dx, double dy, double dz) {
        double[] v = mesh.vertices().clone();
        for (int k = 0; k < v.length; k += 3) {
            v[k] += dx;
            v[k + 1] += dy;
            v[k + 2] += dz;
        }
        return new TriangleMesh(mesh.source(), v, mesh.triangles(), mesh.degenerateTriangles());
    }

    private static TriangleMesh counted(String source, double[] v, int[] t) {
        int degenerate = 0;
        for (int k = 0; k < t.length; k += 3) {
            double[] n = TriangleGeometry.cross(v, t[k], t[k + 1], t[k + 2]);
            degenerate += n[0] == 0 && n[1] == 0 && n[2] == 0 ? 1 : 0;
        }
        return new TriangleMesh(source, v, t, degenerate);
    }
}
