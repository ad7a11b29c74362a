package io.hermitengp.geometry;

import java.util.SplittableRandom;

/**
 * How close two surfaces are, from points drawn uniformly by area on each:
 * Chamfer distance {@code (mean_{a in A} d(a, B) + mean_{b in B} d(b, A)) / 2} (mean, not squared,
 * distances) and normal consistency, the mean over both directions of {@code |n_A(a) . n_B(closest in B)|}.
 */
public record SurfaceComparison(double chamfer, double normalConsistency) {

    public static SurfaceComparison of(TriangleMesh a, TriangleMesh b, int samples, long seed) {
        return of(a, new TriangleBvh(b), samples, seed);
    }

    /** The same, with a hierarchy over b already built (a mesh's own, which a large mesh takes a while to build). */
    public static SurfaceComparison of(TriangleMesh a, TriangleBvh b, int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] ab = oneWay(a, b, samples, random);
        double[] ba = oneWay(b.mesh(), new TriangleBvh(a), samples, random);
        return new SurfaceComparison((ab[0] + ba[0]) / 2, (ab[1] + ba[1]) / 2);
    }

    /** Mean distance and mean |normal dot| from samples of {@code from} to the surface in {@code to}. */
    private static double[] oneWay(TriangleMesh from, TriangleBvh to, int samples, SplittableRandom random) {
        SurfaceSampler sampler = new SurfaceSampler(from);
        double[] point = new double[6];
        double distance = 0;
        double alignment = 0;
        for (int s = 0; s < samples; s++) {
            sampler.sample(random, point, 0);
            TriangleBvh.Closest c = to.closest(point[0], point[1], point[2]);
            distance += c.distance();
            double[] n = SurfaceSampler.unitNormal(to.mesh(), c.triangle());
            alignment += Math.abs(n[0] * point[3] + n[1] * point[4] + n[2] * point[5]);
        }
        return new double[]{distance / samples, alignment / samples};
    }
}
