package io.hermitengp.encoding;

/**
 * Where every Hermite coefficient of a multiresolution grid lives in the flat parameter buffer.
 *
 * <p>Levels {@code l = 0..L-1} have resolution {@code N_l = floor(N_min * b^l)} with
 * {@code b = exp((ln N_max - ln N_min)/(L-1))} (a relative 1e-9 guard absorbs the rounding of
 * {@code b^l}), and vertices {@code 0..N_l} per axis. Each level has one table per derivative
 * order {@code k = 0..d}; an entry of the order-k table holds {@code binomial(d,k)} coefficient
 * vectors of {@code F} features, one per multi-index of that order ({@link MultiIndex#rank}).
 * The order-k table of level l is dense (index {@code sum_i g_i (N_l+1)^i}) when
 * {@code (N_l+1)^d <= 2^H_k}, otherwise hashed into {@code 2^H_k} entries with the instant-NGP
 * hash {@code (XOR_i g_i * pi_i) mod 2^H_k}, {@code pi = (1, 2654435761, 805459861)}, in unsigned
 * 32-bit arithmetic.
 *
 * <p>Buffer layout: level-major, each level contiguous ({@link #levelStart}/{@link #levelEnd}),
 * within a level the tables by order, within a table {@code (entry, rank, feature)} row-major.
 */
public final class HermiteGridLayout {
    /** instant-NGP's hash primes per axis, the ones {@link HermiteEncodingMath} hashes with. */
    static final int[] HASH_PRIMES = {1, HermiteEncodingMath.PRIME_1, HermiteEncodingMath.PRIME_2};

    private final MultiIndex multiIndex;
    private final int orders;              // derivative orders stored: d + 1 (Hermite) or 1 (values only)
    private final int levels;
    private final int features;
    private final int[] resolution;        // per level: N_l
    private final int[] log2TableSize;     // per order k: H_k
    private final boolean[][] dense;       // [level][order]
    private final int[][] entries;         // [level][order]: entries in that table
    private final int[][] tableOffset;     // [level][order]: offset of the table in the buffer
    private final int[] levelStart;        // per level: first parameter of the level
    private final int parameterCount;

    public HermiteGridLayout(int dims, int levels, int features, int nMin, int nMax, int[] log2TableSize) {
        this(dims, levels, features, nMin, nMax, log2TableSize, dims + 1);
    }

    /**
     * A grid that stores only the values (order 0): the layout of instant-NGP's d-linear encoding.
     */
    public static HermiteGridLayout valuesOnly(int dims, int levels, int features, int nMin, int nMax, int log2TableSize) {
        return new HermiteGridLayout(dims, levels, features, nMin, nMax, new int[]{log2TableSize}, 1);
    }

    private HermiteGridLayout(int dims, int levels, int features, int nMin, int nMax, int[] log2TableSize, int orders) {
        this.multiIndex = new MultiIndex(dims);
        this.orders = orders;
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be >= 1, got " + levels);
        }
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        if (nMin < 1 || nMax < nMin) {
            throw new IllegalArgumentException("need 1 <= n_min <= n_max, got " + nMin + ", " + nMax);
        }
        if (log2TableSize.length != orders) {
            throw new IllegalArgumentException("need one log2 table size per stored derivative order 0.."
                    + (orders - 1) + " (" + orders + " values), got " + log2TableSize.length);
        }
        this.levels = levels;
        this.features = features;
        this.log2TableSize = log2TableSize.clone();
        this.resolution = new int[levels];
        double growth = levels == 1 ? 1.0 : Math.exp((Math.log(nMax) - Math.log(nMin)) / (levels - 1));
        for (int l = 0; l < levels; l++) {
            resolution[l] = (int) Math.floor(nMin * Math.pow(growth, l) * (1 + 1e-9));
        }
        this.dense = new boolean[levels][orders];
        this.entries = new int[levels][orders];
        this.tableOffset = new int[levels][orders];
        this.levelStart = new int[levels + 1];
        long offset = 0;
        for (int l = 0; l < levels; l++) {
            levelStart[l] = (int) offset;
            double vertices = Math.pow(resolution[l] + 1, dims);
            for (int k = 0; k < orders; k++) {
                int h = log2TableSize[k];
                if (h < 1 || h > 24) {
                    throw new IllegalArgumentException("log2 table size of order " + k + " must be in [1, 24], got " + h);
                }
                long tableSize = 1L << h;
                dense[l][k] = vertices <= tableSize;
                entries[l][k] = dense[l][k] ? (int) vertices : (int) tableSize;
                tableOffset[l][k] = (int) offset;
                offset += (long) entries[l][k] * multiIndex.countOfOrder(k) * features;
            }
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("encoding needs " + offset + " parameters, more than a Java array holds");
        }
        levelStart[levels] = (int) offset;
        this.parameterCount = (int) offset;
    }

    public int dims() {
        return multiIndex.dims();
    }

    /** Number of derivative orders stored per vertex: d + 1 for Hermite, 1 for values only. */
    public int orders() {
        return orders;
    }

    public MultiIndex multiIndex() {
        return multiIndex;
    }

    public int levels() {
        return levels;
    }

    public int features() {
        return features;
    }

    /** Encoding width seen by the network: levels * features. */
    public int outputWidth() {
        return levels * features;
    }

    public int resolution(int level) {
        return resolution[level];
    }

    public int log2TableSize(int order) {
        return log2TableSize[order];
    }

    public boolean isDense(int level, int order) {
        return dense[level][order];
    }

    public int entries(int level, int order) {
        return entries[level][order];
    }

    public int tableOffset(int level, int order) {
        return tableOffset[level][order];
    }

    public int levelStart(int level) {
        return levelStart[level];
    }

    public int levelEnd(int level) {
        return levelStart[level + 1];
    }

    public int parameterCount() {
        return parameterCount;
    }

    /**
     * Entry index of grid vertex {@code g} (d coordinates, each in {@code 0..N_l}) in the order-k
     * table of level l.
     */
    public int entryIndex(int level, int order, int[] vertex) {
        if (dense[level][order]) {
            int stride = resolution[level] + 1;
            int index = 0;
            int scale = 1;
            for (int i = 0; i < vertex.length; i++) {
                index += vertex[i] * scale;
                scale *= stride;
            }
            return index;
        }
        return hash(vertex, log2TableSize[order]);
    }

    /** The instant-NGP spatial hash of a vertex into a table of 2^log2Size entries. */
    public static int hash(int[] vertex, int log2Size) {
        int h = 0;
        for (int i = 0; i < vertex.length; i++) {
            h ^= vertex[i] * HASH_PRIMES[i];
        }
        return h & ((1 << log2Size) - 1);
    }

    /**
     * Offset in the buffer of the F-feature coefficient vector of multi-index alpha at the given
     * entry of its order's table in level l.
     */
    public int coefficientOffset(int level, int alpha, int entry) {
        int k = MultiIndex.order(alpha);
        return tableOffset[level][k] + (entry * multiIndex.countOfOrder(k) + multiIndex.rank(alpha)) * features;
    }
}
