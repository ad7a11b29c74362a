package io.hermitengp.geometry;

/**
 * The similarity transform {@code x' = (x - center) * scale} that places a mesh in a field's box:
 * the mesh's bounding-box center goes to the box center and its longest side spans the box's
 * shortest side less a margin on each end. Kept with every result so that fields, surfaces and
 * distances map back to the mesh's own coordinates ({@link #toMesh}).
 *
 * @param center mesh-space point mapped to the box center
 * @param target box center
 * @param scale  box units per mesh unit (distances scale by it too)
 */
public record MeshNormalization(double[] center, double[] target, double scale) {

    /**
     * @param margin fraction of the box's shortest side left free at each end, in [0, 0.5)
     */
    public static MeshNormalization fit(TriangleMesh mesh, Box box, double margin) {
        if (!(margin >= 0 && margin < 0.5)) {
            throw new IllegalArgumentException("margin must be in [0, 0.5), got " + margin);
        }
        Box bounds = mesh.bounds();
        double[] center = new double[3];
        double[] target = new double[3];
        double longest = 0;
        double shortestBox = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            center[i] = (bounds.lo(i) + bounds.hi(i)) / 2;
            target[i] = (box.lo(i) + box.hi(i)) / 2;
            longest = Math.max(longest, bounds.extent(i));
            shortestBox = Math.min(shortestBox, box.extent(i));
        }
        return new MeshNormalization(center, target, shortestBox * (1 - 2 * margin) / longest);
    }

    /** The mesh moved into the box. */
    public TriangleMesh apply(TriangleMesh mesh) {
        double[] v = mesh.vertices().clone();
        for (int k = 0; k < v.length; k += 3) {
            for (int i = 0; i < 3; i++) {
                v[k + i] = (v[k + i] - center[i]) * scale + target[i];
            }
        }
        return new TriangleMesh(mesh.source(), v, mesh.triangles(), mesh.degenerateTriangles());
    }

    /** A box-space point back in mesh coordinates, in place at {@code p[offset..offset+3)}. */
    public void toMesh(double[] p, int offset) {
        for (int i = 0; i < 3; i++) {
            p[offset + i] = (p[offset + i] - target[i]) / scale + center[i];
        }
    }
}
