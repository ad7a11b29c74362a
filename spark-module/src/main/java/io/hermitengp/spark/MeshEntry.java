package io.hermitengp.spark;

import java.io.Serializable;

/**
 * One mesh of a dataset job ({@link MeshList}): its id, unique in the batch, where it is, and
 * what its manifest row overrides of the job's settings (null where it overrides nothing).
 *
 * @param location a fully qualified URI ({@code file:/...}, {@code hdfs://...}) every executor can read
 * @param samples  SDF samples for this mesh, or null for the job's
 * @param grid     grid resolution for this mesh (0: none), or null for the job's
 * @param seed     seed for this mesh's samples (mixed with its id), or null for the job's
 * @param margin   placement margin, or null for the job's (or its config's)
 * @param mix      sample mix text ({@link io.hermitengp.shape.SampleMix}), or null for the job's
 * @param spec     a JSON object merged into the base config of this mesh's fit, or null
 * @param defect   what makes the entry unusable before the mesh is read (a duplicate id, a bad
 *                 manifest value), or empty
 */
public record MeshEntry(String id, String location, Integer samples, Integer grid, Long seed, Double margin,
                        String mix, String spec, String defect) implements Serializable {

    /** A mesh found in a folder or by a glob: no overrides. */
    public static MeshEntry of(String id, String location) {
        return new MeshEntry(id, location, null, null, null, null, null, null, "");
    }

    MeshEntry withDefect(String newId, String why) {
        return new MeshEntry(newId, location, samples, grid, seed, margin, mix, spec, why);
    }
}
