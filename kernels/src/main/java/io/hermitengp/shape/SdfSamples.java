package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SurfaceSampler;

import java.util.SplittableRandom;

/**
 * Exact signed-distance samples of a {@link MeshDomain}, as training data for a learned SDF
 * (DeepSDF's kind): n points split between surface, near-surface and uniform parts by a {@link
 * SampleMix}, each with its signed distance d (box units, negative inside), the gradient of d, and
 * the generalized winding number w that decided the sign ({@code d < 0} where {@code w > 1/2}).
 *
 * <ul>
 *   <li>surface points: uniform by area on the mesh, {@code d = 0}, gradient the triangle's unit
 *       normal (in its vertex order), w not evaluated (NaN: on the surface it is 1/2 by
 *       definition);</li>
 *   <li>near points: a surface point plus {@code N(0, sigma^2)} noise per axis, kept in the box;</li>
 *   <li>uniform points: uniform in the box.</li>
 * </ul>
 *
 * Near and uniform points get the exact distance from the BVH and the sign from the fast winding
 * number ({@link MeshDomain#signedDistancesWithWinding}). The points of each part are drawn from
 * their own generator, split in part order from {@code SplittableRandom(seed)}, so a seed gives the
 * same samples, bit for bit, for any thread count.
 *
 * @param part     (n) index into the mix's parts of each sample
 * @param points   (n, 3) row-major, box coordinates
 * @param distance (n) signed distance, box units
 * @param gradient (n, 3) row-major: the gradient of d (near, uniform), the unit normal (surface)
 * @param winding  (n) winding number at the point; NaN for surface points
 */
public record SdfSamples(SampleMix mix, int[] part, double[] points, double[] distance, double[] gradient,
                         double[] winding) {

    /** Samples with {@code |w - 1/2|} below this have a sign that a small change of the mesh could flip. */
    public static final double UNCERTAIN_WINDING = 0.1;

    public int count() {
        return part.length;
    }

    /** n samples of the domain's mesh. */
    public static SdfSamples draw(MeshDomain domain, SampleMix mix, int n, long seed) {
        int[] counts = mix.counts(n);
        int[] part = new int[n];
        double[] points = new double[3 * n];
        double[] gradient = new double[3 * n];
        double[] distance = new double[n];
        double[] winding = new double[n];
        SplittableRandom root = new SplittableRandom(seed);
        SurfaceSampler surface = domain.surface();
        Box box = domain.box();
        double[] one = new double[6];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            SampleMix.Part p = mix.parts().get(k);
            SplittableRandom rng = root.split();
            for (int s = 0; s < counts[k]; s++, at++) {
                part[at] = k;
                switch (p.kind()) {
                    case SURFACE -> {
                        surface.sample(rng, one, 0);
                        System.arraycopy(one, 0, points, 3 * at, 3);
                        System.arraycopy(one, 3, gradient, 3 * at, 3);
                    }
                    case NEAR, NEAR_LOGISTIC -> {
                        surface.sample(rng, one, 0);
                        p.noise().displace(rng, one, 0, box, points, 3 * at);
                    }
                    case UNIFORM -> {
                        for (int i = 0; i < 3; i++) {
                            points[3 * at + i] = box.lo(i) + box.extent(i) * rng.nextDouble();
                        }
                    }
                }
            }
        }
        // the volume points (every part but the surface ones) in one parallel batch
        int volume = 0;
        for (int s = 0; s < n; s++) {
            volume += mix.parts().get(part[s]).kind() == SampleMix.Kind.SURFACE ? 0 : 1;
        }
        double[] query = new double[3 * volume];
        int[] index = new int[volume];
        for (int s = 0, q = 0; s < n; s++) {
            if (mix.parts().get(part[s]).kind() != SampleMix.Kind.SURFACE) {
                System.arraycopy(points, 3 * s, query, 3 * q, 3);
                index[q++] = s;
            }
        }
        double[] exact = new double[4 * volume];
        double[] w = new double[volume];
        domain.signedDistancesWithWinding(query, volume, exact, w);
        java.util.Arrays.fill(winding, Double.NaN);
        for (int q = 0; q < volume; q++) {
            int s = index[q];
            distance[s] = exact[4 * q];
            System.arraycopy(exact, 4 * q + 1, gradient, 3 * s, 3);
            winding[s] = w[q];
        }
        return new SdfSamples(mix, part, points, distance, gradient, winding);
    }

    /** Samples whose winding number was evaluated (every one but the surface points). */
    public int volumeCount() {
        int count = 0;
        for (double w : winding) {
            count += Double.isNaN(w) ? 0 : 1;
        }
        return count;
    }

    /** Volume samples with {@code |w - 1/2| < }{@value #UNCERTAIN_WINDING}: signs a hole or a fin makes doubtful. */
    public int uncertainSigns() {
        int count = 0;
        for (double w : winding) {
            count += Math.abs(w - 0.5) < UNCERTAIN_WINDING ? 1 : 0;   // false for NaN
        }
        return count;
    }

    /** Volume samples with {@code w < -1/2}: inside an inside-out part of the mesh, which reads as outside. */
    public int invertedSigns() {
        int count = 0;
        for (double w : winding) {
            count += w < -0.5 ? 1 : 0;
        }
        return count;
    }

    /** The fraction of volume samples whose sign is not uncertain; 1 when there are none. */
    public double signConfidence() {
        int volume = volumeCount();
        return volume == 0 ? 1 : 1 - (double) uncertainSigns() / volume;
    }
}
