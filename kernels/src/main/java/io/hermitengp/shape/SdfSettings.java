package io.hermitengp.shape;

/**
 * How an SDF problem samples its mesh and measures its field.
 *
 * @param margin            fraction of the box left free on each side of the mesh
 * @param seed              seed of the sample pools and evaluation points (not of training)
 * @param poolSize          points in each training pool (surface, near-surface, uniform)
 * @param nearNoise         how near-surface points leave the surface (scale in box units)
 * @param band              half-width of the band around the surface where gradient and distance
 *                          errors are measured, box units
 * @param evaluationPoints  evaluation points drawn (half near the surface, half uniform), before
 *                          the band filter; also the number of surface points for the normal error
 * @param surfaceResolution grid points per axis for marching cubes
 * @param paperMetricGrid   lattice points per axis of the benchmark's gradient error
 *                          ({@link SdfProblem#paperMetric}; the benchmark's is 256)
 */
public record SdfSettings(double margin, long seed, int poolSize, NearSurfaceNoise nearNoise, double band,
                          int evaluationPoints, int surfaceResolution, int paperMetricGrid) {
    public static final SdfSettings DEFAULTS = new SdfSettings(0.1, 0, 1 << 18,
            NearSurfaceNoise.gaussian(0.02), 0.05, 1 << 16, 128, 256);

    public SdfSettings {
        if (!(margin >= 0 && margin < 0.5) || poolSize < 1 || nearNoise == null || !(band > 0)
                || evaluationPoints < 2 || surfaceResolution < 4 || paperMetricGrid < 2) {
            throw new IllegalArgumentException("SDF settings out of range: " + margin + ", " + poolSize + ", "
                    + nearNoise + ", " + band + ", " + evaluationPoints + ", " + surfaceResolution + ", "
                    + paperMetricGrid);
        }
    }
}
