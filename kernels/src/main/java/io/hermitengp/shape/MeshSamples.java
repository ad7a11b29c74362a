package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SurfaceSampler;
import io.hermitengp.problem.PooledSampler;

import java.util.SplittableRandom;

/**
 * Training and evaluation samples of a {@link MeshDomain}, drawn as instant-NGP draws them for a
 * signed distance field: points on the surface (uniform by area, with the triangle's normal),
 * points near it (a surface point moved by a {@link NearSurfaceNoise}: Gaussian on each axis, or
 * logistic along the normal) and points uniform in the box, the last two with their exact signed
 * distance and its gradient. Every draw consumes its generator in a fixed order, so a seed gives the same samples.
 */
public final class MeshSamples {
    /** Attributes of a distance sample: d, dd/dx, dd/dy, dd/dz. */
    public static final int DISTANCE_WIDTH = 4;
    /** Attributes of a surface sample: its unit normal. */
    public static final int NORMAL_WIDTH = 3;

    private MeshSamples() {
    }

    /** n surface points with their unit normals as attributes. */
    public static PooledSampler surface(MeshDomain domain, int n, SplittableRandom rng) {
        SurfaceSampler sampler = domain.surface();
        double[] points = new double[3 * n];
        double[] normals = new double[3 * n];
        double[] one = new double[6];
        for (int p = 0; p < n; p++) {
            sampler.sample(rng, one, 0);
            System.arraycopy(one, 0, points, 3 * p, 3);
            System.arraycopy(one, 3, normals, 3 * p, 3);
        }
        return new PooledSampler(3, points, normals, NORMAL_WIDTH);
    }

    /** n near-surface points (a surface point moved by the noise, kept in the box) with exact distances. */
    public static PooledSampler nearSurface(MeshDomain domain, int n, NearSurfaceNoise noise, SplittableRandom rng) {
        SurfaceSampler sampler = domain.surface();
        Box box = domain.box();
        double[] points = new double[3 * n];
        double[] one = new double[6];
        for (int p = 0; p < n; p++) {
            sampler.sample(rng, one, 0);
            noise.displace(rng, one, 0, box, points, 3 * p);
        }
        return withDistances(domain, points, n);
    }

    /** n points uniform in the box with exact distances. */
    public static PooledSampler uniform(MeshDomain domain, int n, SplittableRandom rng) {
        double[] points = uniformPoints(domain.box(), n, rng);
        return withDistances(domain, points, n);
    }

    /**
     * n points uniform inside the mesh, by rejection: candidates uniform in the box, drawn in
     * blocks, kept in draw order when their winding number is above 1/2.
     *
     * @throws IllegalArgumentException when the mesh encloses (almost) nothing
     */
    public static double[] interior(MeshDomain domain, int n, SplittableRandom rng) {
        double[] kept = new double[3 * n];
        int count = 0;
        long drawn = 0;
        int block = Math.max(4096, n);
        while (count < n) {
            double[] candidates = uniformPoints(domain.box(), block, rng);
            boolean[] inside = domain.inside(candidates, block);
            drawn += block;
            for (int p = 0; p < block && count < n; p++) {
                if (inside[p]) {
                    System.arraycopy(candidates, 3 * p, kept, 3 * count, 3);
                    count++;
                }
            }
            if (count == 0 && drawn >= 64L * block) {
                throw new IllegalArgumentException(domain.original().source() + ": no point of " + drawn
                        + " uniform in the box lies inside the mesh; is it a closed surface?");
            }
        }
        return kept;
    }

    /**
     * n points uniform in the cube {@code [lo, hi]^3} outside the mesh (winding number at most 1/2),
     * by rejection: candidates drawn in blocks, kept in draw order.
     *
     * @return (n, 3) row-major
     * @throws IllegalArgumentException when the mesh fills (almost) the whole cube
     */
    public static double[] exterior(MeshDomain domain, int n, double lo, double hi, SplittableRandom rng) {
        Box cube = Box.cube(3, lo, hi);
        double[] kept = new double[3 * n];
        int count = 0;
        long drawn = 0;
        int block = Math.max(4096, n);
        while (count < n) {
            double[] candidates = uniformPoints(cube, block, rng);
            boolean[] inside = domain.inside(candidates, block);
            drawn += block;
            for (int p = 0; p < block && count < n; p++) {
                if (!inside[p]) {
                    System.arraycopy(candidates, 3 * p, kept, 3 * count, 3);
                    count++;
                }
            }
            if (count == 0 && drawn >= 64L * block) {
                throw new IllegalArgumentException(domain.original().source() + ": no point of " + drawn
                        + " uniform in " + cube + " lies outside the mesh");
            }
        }
        return kept;
    }

    /**
     * n points in a band outside the surface: a surface point moved along its triangle's normal by
     * a distance uniform in {@code [minOffset, band]}, clamped to {@code [lo, hi]^3}, kept when
     * outside the mesh; when the normal's side is inside (an inward-facing triangle, a thin part)
     * the opposite side is tried, and the draw is dropped when both are inside. Candidates are drawn
     * in blocks, kept in draw order.
     *
     * @return (n, 3) row-major
     * @throws IllegalArgumentException when no draw lands outside (a surface with no outside near it)
     */
    public static double[] exteriorBand(MeshDomain domain, int n, double minOffset, double band, double lo, double hi,
                                       SplittableRandom rng) {
        if (!(minOffset >= 0 && band > minOffset)) {
            throw new IllegalArgumentException("a surface band needs 0 <= min offset < band, got " + minOffset + " and "
                    + band);
        }
        SurfaceSampler sampler = domain.surface();
        double[] kept = new double[3 * n];
        int count = 0;
        long drawn = 0;
        int block = Math.max(4096, n);
        double[] one = new double[6];
        while (count < n) {
            double[] along = new double[3 * block];
            double[] against = new double[3 * block];
            for (int p = 0; p < block; p++) {
                sampler.sample(rng, one, 0);
                double offset = minOffset + (band - minOffset) * rng.nextDouble();
                for (int i = 0; i < 3; i++) {
                    along[3 * p + i] = Math.max(lo, Math.min(hi, one[i] + offset * one[3 + i]));
                    against[3 * p + i] = Math.max(lo, Math.min(hi, one[i] - offset * one[3 + i]));
                }
            }
            boolean[] alongInside = domain.inside(along, block);
            // the other side only where the normal's side was inside
            int retries = 0;
            for (boolean in : alongInside) {
                retries += in ? 1 : 0;
            }
            double[] retry = new double[3 * retries];
            for (int p = 0, r = 0; p < block; p++) {
                if (alongInside[p]) {
                    System.arraycopy(against, 3 * p, retry, 3 * r++, 3);
                }
            }
            boolean[] retryInside = domain.inside(retry, retries);
            drawn += block;
            for (int p = 0, r = 0; p < block && count < n; p++) {
                if (!alongInside[p]) {
                    System.arraycopy(along, 3 * p, kept, 3 * count++, 3);
                } else if (!retryInside[r++]) {
                    System.arraycopy(retry, 3 * (r - 1), kept, 3 * count++, 3);
                }
            }
            if (count == 0 && drawn >= 64L * block) {
                throw new IllegalArgumentException(domain.original().source() + ": no point of " + drawn
                        + " drawn within " + band + " of the surface lies outside the mesh");
            }
        }
        return kept;
    }

    private static PooledSampler withDistances(MeshDomain domain, double[] points, int n) {
        double[] distances = new double[DISTANCE_WIDTH * n];
        domain.signedDistances(points, n, distances);
        return new PooledSampler(3, points, distances, DISTANCE_WIDTH);
    }

    private static double[] uniformPoints(Box box, int n, SplittableRandom rng) {
        double[] points = new double[3 * n];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < 3; i++) {
                points[3 * p + i] = box.lo(i) + box.extent(i) * rng.nextDouble();
            }
        }
        return points;
    }

    /** A standard normal deviate (Box-Muller, one of the pair), from the generator alone. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble(); // in (0, 1]
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
