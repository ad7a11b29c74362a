package io.hermitengp.io;

import io.hermitengp.geometry.MeshDefects;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.TriangleMesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated mesh collection bundled in {@code data/meshes/collection}: a few dozen small
 * meshes, clean and flawed, in all three formats, for the {@code sdf} job's demo and tests.
 * Superquadrics (ellipsoids to near-boxes, cylinders and pinched stars), tori, boxes and boxes
 * with a square hole; open meshes (a hemisphere, a cup, a cut torus, a sheet); meshes with
 * duplicate, degenerate or flipped faces; inside-out meshes; several components in one file.
 * Everything here is deterministic: running {@link #main} again writes the same bytes.
 *
 * <pre>
 *   java -cp kernels/target/classes io.hermitengp.io.ProceduralMeshCollection data/meshes/collection
 * </pre>
 */
public final class ProceduralMeshCollection {
    /** One mesh of the collection: its file name (with the format's extension) and its triangles. */
    public record Entry(String file, TriangleMesh mesh) {
    }

    private ProceduralMeshCollection() {
    }

    /** Every mesh of the collection, in a fixed order. */
    public static List<Entry> entries() {
        List<Entry> e = new ArrayList<>();
        // superquadrics: (a, b, c) semi-axes, (e1, e2) exponents
        e.add(new Entry("superquadric/ellipsoid.ply", ShapeMeshes.superquadric(1.0, 0.7, 0.5, 1, 1, 16, 32)));
        e.add(new Entry("superquadric/rounded-box.ply", ShapeMeshes.superquadric(1.0, 0.8, 0.6, 0.3, 0.3, 24, 48)));
        e.add(new Entry("superquadric/cylinder.obj", ShapeMeshes.superquadric(0.6, 0.6, 1.0, 0.2, 1, 24, 48)));
        e.add(new Entry("superquadric/pillow.stl", ShapeMeshes.superquadric(1.0, 1.0, 0.4, 0.5, 0.5, 16, 32)));
        e.add(new Entry("superquadric/octahedron.ply", ShapeMeshes.superquadric(1.0, 1.0, 1.0, 2, 2, 16, 32)));
        e.add(new Entry("superquadric/star.ply", ShapeMeshes.superquadric(1.0, 1.0, 1.0, 3, 3, 24, 48)));
        e.add(new Entry("superquadric/spindle.obj", ShapeMeshes.superquadric(0.4, 0.4, 1.0, 2, 1, 16, 32)));
        e.add(new Entry("superquadric/lens.stl", ShapeMeshes.superquadric(1.0, 1.0, 0.3, 1.5, 1, 16, 32)));
        // tori: major R, minor r
        e.add(new Entry("torus/thin.ply", ShapeMeshes.torus(1.0, 0.15, 64, 12)));
        e.add(new Entry("torus/fat.obj", ShapeMeshes.torus(1.0, 0.6, 48, 24)));
        e.add(new Entry("torus/medium.stl", ShapeMeshes.torus(1.0, 0.35, 48, 16)));
        // boxes, and boxes with a square hole along z
        e.add(new Entry("box/cube.obj", ShapeMeshes.box(new double[]{-1, -1, -1}, new double[]{1, 1, 1})));
        e.add(new Entry("box/slab.ply", ShapeMeshes.box(new double[]{-1, -0.6, -0.1}, new double[]{1, 0.6, 0.1})));
        e.add(new Entry("box/beam.stl", ShapeMeshes.box(new double[]{-0.2, -0.2, -1}, new double[]{0.2, 0.2, 1})));
        e.add(new Entry("box/frame.ply", ShapeMeshes.squareRing(1.0, 0.7, 0.2)));
        e.add(new Entry("box/thick-ring.obj", ShapeMeshes.squareRing(1.0, 0.3, 0.5)));
        e.add(new Entry("box/tube.stl", ShapeMeshes.squareRing(0.5, 0.35, 1.0)));
        // several components in one file
        e.add(new Entry("multi/two-spheres.ply", MeshDefects.union(
                MeshDefects.translated(ShapeMeshes.sphere(0.5, 12, 24), -0.7, 0, 0),
                MeshDefects.translated(ShapeMeshes.sphere(0.4, 12, 24), 0.7, 0, 0))));
        e.add(new Entry("multi/ring-and-ball.obj", MeshDefects.union(ShapeMeshes.torus(1.0, 0.2, 48, 12),
                ShapeMeshes.sphere(0.4, 12, 24))));
        // a hollow ball: an outer sphere and an inner one facing inward (a closed shell)
        e.add(new Entry("multi/hollow-ball.ply", MeshDefects.union(ShapeMeshes.sphere(1.0, 16, 32),
                MeshDefects.flipped(ShapeMeshes.sphere(0.7, 16, 32), k -> true))));
        // open meshes: their signs near the holes are uncertain
        e.add(new Entry("open/hemisphere.ply", MeshDefects.cutAbove(ShapeMeshes.sphere(1.0, 16, 32), 2, 0.0)));
        e.add(new Entry("open/cup.obj", MeshDefects.withoutTriangles(
                ShapeMeshes.box(new double[]{-0.6, -0.6, -0.8}, new double[]{0.6, 0.6, 0.8}), k -> k == 2 || k == 3)));
        e.add(new Entry("open/cut-torus.stl", MeshDefects.cutAbove(ShapeMeshes.torus(1.0, 0.35, 48, 16), 0, 0.8)));
        e.add(new Entry("open/sheet.obj", MeshDefects.cutAbove(ShapeMeshes.superquadric(1.0, 1.0, 0.05, 0.2, 0.2, 8,
                16), 2, 0.0)));
        e.add(new Entry("open/ellipsoid-open-top.ply", MeshDefects.cutAbove(ShapeMeshes.superquadric(1.0, 0.8, 0.9, 0.8,
                1, 16, 32), 2, 0.75)));
        // duplicate, degenerate and flipped faces
        e.add(new Entry("flawed/sphere-duplicates.obj", MeshDefects.withDuplicates(ShapeMeshes.sphere(1.0, 16, 32),
                7)));
        e.add(new Entry("flawed/box-degenerate.ply", MeshDefects.withDegenerate(
                ShapeMeshes.box(new double[]{-1, -0.5, -0.5}, new double[]{1, 0.5, 0.5}), 6)));
        e.add(new Entry("flawed/torus-duplicates-degenerate.ply", MeshDefects.withDegenerate(
                MeshDefects.withDuplicates(ShapeMeshes.torus(1.0, 0.35, 48, 16), 11), 20)));
        e.add(new Entry("flawed/sphere-some-flipped.obj", MeshDefects.flipped(ShapeMeshes.sphere(1.0, 16, 32),
                k -> k % 13 == 0)));
        // inside out: every triangle reversed; the winding number is -1 inside
        e.add(new Entry("inside-out/sphere.obj", MeshDefects.flipped(ShapeMeshes.sphere(1.0, 16, 32), k -> true)));
        e.add(new Entry("inside-out/box.stl", MeshDefects.flipped(
                ShapeMeshes.box(new double[]{-1, -0.7, -0.4}, new double[]{1, 0.7, 0.4}), k -> true)));
        return e;
    }

    /** Writes the collection under a directory (formats by extension: {@link MeshWriter}). */
    public static void write(Path directory) throws IOException {
        for (Entry e : entries()) {
            Path file = directory.resolve(e.file());
            Files.createDirectories(file.getParent());
            MeshWriter.write(e.mesh(), file);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ProceduralMeshCollection <directory>");
            System.exit(2);
        }
        write(Path.of(args[0]));
        System.out.println(entries().size() + " meshes written under " + args[0]);
    }
}
