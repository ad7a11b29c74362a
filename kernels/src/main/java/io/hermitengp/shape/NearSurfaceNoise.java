package io.hermitengp.shape;

import io.hermitengp.geometry.Box;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a near-surface sample leaves the surface: a surface point p with its triangle's unit normal
 * n is moved to
 *
 * <pre>
 *   gaussian:  x = p + scale * (z_1, z_2, z_3),   z_i ~ N(0, 1) each axis   (instant-NGP, DeepSDF)
 *   logistic:  x = p + scale * ln(u / (1 - u)) * n,  u ~ U(0, 1)            (along the normal)
 * </pre>
 *
 * and kept in the box. {@code scale} is in box units: the Gaussian's standard deviation, or the
 * logistic's scale s (its density {@code e^{-t/s} / (s (1 + e^{-t/s})^2)}, mean 0, variance
 * {@code pi^2 s^2 / 3}, mean absolute value {@code 2 s ln 2}); the logistic's u is drawn from the
 * open interval so the offset is always finite. Each point consumes the generator in a fixed
 * order, so a seed gives the same points.
 */
public record NearSurfaceNoise(Kind kind, double scale) {
    /** The distribution and direction of the offset. */
    public enum Kind {
        GAUSSIAN, LOGISTIC;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The config names of every kind. */
        public static String[] configNames() {
            Kind[] kinds = values();
            String[] names = new String[kinds.length];
            for (int k = 0; k < kinds.length; k++) {
                names[k] = kinds[k].configName();
            }
            return names;
        }

        public static Kind fromConfig(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public NearSurfaceNoise {
        if (kind == null || !(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("near-surface noise needs a kind and a scale in (0, 1] box units, got "
                    + kind + " " + scale);
        }
    }

    /** Gaussian noise of standard deviation sigma on each axis. */
    public static NearSurfaceNoise gaussian(double sigma) {
        return new NearSurfaceNoise(Kind.GAUSSIAN, sigma);
    }

    /** Logistic noise of scale s along the normal. */
    public static NearSurfaceNoise logistic(double s) {
        return new NearSurfaceNoise(Kind.LOGISTIC, s);
    }

    /**
     * Moves one surface point off the surface.
     *
     * @param surface the point and its unit normal, {@code (p_x, p_y, p_z, n_x, n_y, n_z)} from {@code surfaceOffset}
     * @param out     receives the moved point, clamped to the box, at {@code out[outOffset ..]}
     */
    public void displace(SplittableRandom rng, double[] surface, int surfaceOffset, Box box, double[] out,
                         int outOffset) {
        double along = kind == Kind.LOGISTIC ? scale * standardLogistic(rng) : 0.0;
        for (int i = 0; i < 3; i++) {
            double offset = kind == Kind.GAUSSIAN ? scale * MeshSamples.gaussian(rng)
                    : along * surface[surfaceOffset + 3 + i];
            out[outOffset + i] = Math.max(box.lo(i), Math.min(box.hi(i), surface[surfaceOffset + i] + offset));
        }
    }

    /**
     * A standard logistic deviate {@code ln(u / (1 - u))} by inversion, with
     * {@code u = (k + 1/2) 2^-53} for k uniform in {@code [0, 2^53)}: strictly inside (0, 1) and
     * symmetric about 1/2, so the deviate is finite (at most {@code 54 ln 2} in size) and its
     * distribution symmetric.
     */
    static double standardLogistic(SplittableRandom rng) {
        double u = ((rng.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
        return Math.log(u / (1 - u));
    }

    /** The noise as a config writes it. */
    @Override
    public String toString() {
        return kind.configName() + "(" + scale + ")";
    }
}
