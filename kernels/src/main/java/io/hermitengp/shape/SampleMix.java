package io.hermitengp.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a set of SDF samples is split between kinds of points, as text
 * {@code surface:0.1,near:0.01:0.4,near:0.05:0.4,uniform:0.1}: each part is {@code surface:F}
 * (points on the mesh, uniform by area), {@code near:SIGMA:F} (a surface point plus Gaussian noise
 * of standard deviation SIGMA, box units, on each axis, as DeepSDF samples near the surface) or
 * {@code uniform:F} (uniform in the box), F the fraction of the points. Fractions are positive and
 * sum to 1; the same kind may appear more than once (several noise scales).
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
        SURFACE, NEAR, UNIFORM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One part of a mix.
     *
     * @param sigma noise standard deviation for {@code near}, box units; 0 for the others
     */
    public record Part(Kind kind, double sigma, double fraction) {
        /** The part as the mix text writes it. */
        public String text() {
            return kind == Kind.NEAR ? kind.label() + ":" + sigma + ":" + fraction : kind.label() + ":" + fraction;
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
                case "uniform" -> Kind.UNIFORM;
                default -> throw new IllegalArgumentException("sample mix part '" + part
                        + "': the kind must be surface, near or uniform");
            };
            int expected = kind == Kind.NEAR ? 3 : 2;
            if (f.length != expected) {
                throw new IllegalArgumentException("sample mix part '" + part + "': write "
                        + (kind == Kind.NEAR ? "near:SIGMA:FRACTION" : kind.label() + ":FRACTION"));
            }
            double sigma = kind == Kind.NEAR ? number(part, "sigma", f[1]) : 0;
            double fraction = number(part, "fraction", f[expected - 1]);
            if (kind == Kind.NEAR && !(sigma > 0 && sigma <= 1)) {
                throw new IllegalArgumentException("sample mix part '" + part + "': sigma must be in (0, 1] (box units)");
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("sample mix part '" + part + "': the fraction must be in (0, 1]");
            }
            parts.add(new Part(kind, sigma, fraction));
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
