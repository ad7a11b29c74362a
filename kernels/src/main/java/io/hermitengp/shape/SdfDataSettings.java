package io.hermitengp.shape;

/**
 * What exact SDF data to compute for one mesh ({@link MeshSdfData}).
 *
 * @param samples        points of {@link SdfSamples} (0: none)
 * @param mix            how they split between surface, near-surface and uniform points
 * @param gridResolution R of an exact R^3 {@link SdfGrid} (0: none)
 * @param margin         fraction of the box [-1, 1]^3 left free at each end when the mesh is placed
 *                       in it ({@link io.hermitengp.geometry.MeshNormalization#fit}); the same as a
 *                       fitted field's {@code problem.margin}, so samples, grids and fields share coordinates
 * @param seed           seed of the samples (a batch derives one per mesh from its id)
 */
public record SdfDataSettings(int samples, SampleMix mix, int gridResolution, double margin, long seed) {
    public SdfDataSettings {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        if (gridResolution != 0) {
            SdfGrid.requireResolution(gridResolution);
        }
        if (!(margin >= 0 && margin < 0.5)) {
            throw new IllegalArgumentException("margin must be in [0, 0.5), got " + margin);
        }
    }

    public SdfDataSettings withSeed(long newSeed) {
        return new SdfDataSettings(samples, mix, gridResolution, margin, newSeed);
    }
}
