package io.hermitengp.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a set of SDF samples is split between kinds of points, as text
 * {@code surface:0.1,near:0.01:0.4,near:0.05:0.4,uniform:0.1}: each part is {@code surface:F}
 * (points on the mesh, uniform by area), {@code near:SIGMA:F} (a surface point plus Gaussian noise
 * of standard deviation SIGMA, box units, on each axis, as DeepSDF samples near the surface),
 * {@code near_logistic:S:F} (a surface point moved along its normal by logistic noise of scale S,
 * as the Hermite-NGP benchmark samples) or {@code uniform:F} (uniform in the box), F the fraction
 * of the points. The two near kinds are {@link NearSurfaceNoise}'s, the training pool's own
 * arithmetic. Fractions are positive and sum to 1; the same kind may appear more than once
 * (several noise scales).
 *
 * <p>n points split as {@link #counts}: each part gets {@code floor(n F)}, and the points left
 * over go one each to the parts with the largest remainders (the earlier part on a tie), so the
 * counts sum to n exactly and depend on nothing but n and the mix.
 */
public record SampleMix(List<Part> parts) {
    /** DeepSDF-like: a tenth on the surface, most within a few hundredths of it, a tenth anywhere. */
    public static final SampleMix DEFAULT = parse("surface:0.1,near:0.01:0.4,near:0.05:0.4,uniform:0.1");

    /** The kinds of points. */
    public enum Kind {
        SURFACE, NEAR, NEAR_LOGISTIC, UNIFORM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether its points are surface points moved off the surface by noise of a scale. */
        public boolean isNear() {
            return this == NEAR || this == NEAR_LOGISTIC;
        }
    }

    /**
     * One part of a mix.
     *
     * @param scale the noise's scale for a near kind, box units (the Gaussian's standard deviation,
     *              the logistic's scale); 0 for the others
     */
    public record Part(Kind kind, double scale, double fraction) {
        /** The part as the mix text writes it. */
        public String text() {
            return kind.isNear() ? kind.label() + ":" + scale + ":" + fraction : kind.label() + ":" + fraction;
        }

        /** How a near kind moves its surface points; null for the other kinds. */
        public NearSurfaceNoise noise() {
            return switch (kind) {
                case NEAR -> NearSurfaceNoise.gaussian(scale);
                case NEAR_LOGISTIC -> NearSurfaceNoise.logistic(scale);
                default -> null;
            };
        }
    }

    public SampleMix {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a sample mix needs at least one part");
        }
        double sum = 0;
        for (Part p : parts) {
            sum += p.fraction();
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("the fractions of a sample mix must sum to 1, got " + sum + " in "
                    + text(parts));
        }
    }

    /**
     * Reads a mix from its text.
     *
     * @throws IllegalArgumentException naming the part and what is wrong with it
     */
    public static SampleMix parse(String text) {
        List<Part> parts = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String part = raw.strip();
            String[] f = part.split(":", -1);
            Kind kind = switch (f[0]) {
                case "surface" -> Kind.SURFACE;
                case "near" -> Kind.NEAR;
                case "near_logistic" -> Kind.NEAR_LOGISTIC;
                case "uniform" -> Kind.UNIFORM;
                default -> throw new IllegalArgumentException("sample mix part '" + part
                        + "': the kind must be surface, near, near_logistic or uniform");
            };
            String scaleName = kind == Kind.NEAR ? "sigma" : "scale";
            int expected = kind.isNear() ? 3 : 2;
            if (f.length != expected) {
                throw new IllegalArgumentException("sample mix part '" + part + "': write " + (kind.isNear()
                        ? kind.label() + ":" + scaleName.toUpperCase(Locale.ROOT) + ":FRACTION"
                        : kind.label() + ":FRACTION"));
            }
            double scale = kind.isNear() ? number(part, scaleName, f[1]) : 0;
            double fraction = number(part, "fraction", f[expected - 1]);
            if (kind.isNear() && !(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("sample mix part '" + part + "': " + scaleName
                        + " must be in (0, 1] (box units)");
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("sample mix part '" + part + "': the fraction must be in (0, 1]");
            }
            parts.add(new Part(kind, scale, fraction));
        }
        return new SampleMix(parts);
    }

    private static double number(String part, String what, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample mix part '" + part + "': the " + what + " '" + value
                    + "' is not a number");
        }
    }

    /** Points per part for n points in all: sums to n (largest remainders). */
    public int[] counts(int n) {
        int[] counts = new int[parts.size()];
        double[] remainder = new double[parts.size()];
        int given = 0;
        for (int k = 0; k < counts.length; k++) {
            double exact = n * parts.get(k).fraction();
            counts[k] = (int) Math.floor(exact);
            remainder[k] = exact - counts[k];
            given += counts[k];
        }
        for (; given < n; given++) {
            int best = 0;
            for (int k = 1; k < counts.length; k++) {
                if (remainder[k] > remainder[best]) {
                    best = k;
                }
            }
            counts[best]++;
            remainder[best] = -1;
        }
        return counts;
    }

    /** The mix as text, parseable by {@link #parse}. */
    public String text() {
        return text(parts);
    }

    private static String text(List<Part> parts) {
        return String.join(",", parts.stream().map(Part::text).toList());
    }

    @Override
    public String toString() {
        return text();
    }
}
