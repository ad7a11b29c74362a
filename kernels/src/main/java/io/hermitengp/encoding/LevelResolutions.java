package io.hermitengp.encoding;

/**
 * The rule that gives each level of a multiresolution grid its resolution {@code N_l} (cells per
 * axis; vertices {@code 0..N_l}).
 */
public sealed interface LevelResolutions {
    /** A relative guard that absorbs the rounding of {@code b^l} just below an integer. */
    double ROUNDING_GUARD = 1e-9;

    /** {@code N_l} for {@code l = 0..levels-1}. */
    int[] of(int levels);

    /**
     * instant-NGP's rule: {@code N_l = floor(N_min * b^l)} with {@code b = exp((ln N_max - ln N_min)/(L-1))},
     * so the first level has {@code n_min} cells and the last {@code n_max}.
     */
    record Geometric(int nMin, int nMax) implements LevelResolutions {
        public Geometric {
            if (nMin < 1 || nMax < nMin) {
                throw new IllegalArgumentException("need 1 <= n_min <= n_max, got " + nMin + ", " + nMax);
            }
        }

        @Override
        public int[] of(int levels) {
            double growth = levels == 1 ? 1.0 : Math.exp((Math.log(nMax) - Math.log(nMin)) / (levels - 1));
            return grow(nMin, growth, levels);
        }
    }

    /**
     * The rule of the Hermite-NGP reference code: {@code N_l = floor(base * s^l)}, a fixed growth
     * per level (the finest resolution follows from the level count).
     */
    record Scaled(int base, double perLevelScale) implements LevelResolutions {
        public Scaled {
            if (base < 1 || !(perLevelScale >= 1)) {
                throw new IllegalArgumentException("need base_resolution >= 1 and per_level_scale >= 1, got "
                        + base + ", " + perLevelScale);
            }
        }

        @Override
        public int[] of(int levels) {
            return grow(base, perLevelScale, levels);
        }
    }

    private static int[] grow(int first, double growth, int levels) {
        int[] resolution = new int[levels];
        for (int l = 0; l < levels; l++) {
            double n = Math.floor(first * Math.pow(growth, l) * (1 + ROUNDING_GUARD));
            if (n > 1 << 20) {
                throw new IllegalArgumentException("level " + l + " would have resolution " + (long) n
                        + ", above the limit 2^20");
            }
            resolution[l] = (int) n;
        }
        return resolution;
    }
}
