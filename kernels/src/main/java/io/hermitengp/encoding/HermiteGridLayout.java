package io.hermitengp.encoding;

/**
 * Where every Hermite coefficient of a multiresolution grid lives in the flat parameter buffer.
 *
 * <p>Levels {@code l = 0..L-1} have resolution {@code N_l} given by a {@link LevelResolutions}
 * rule (instant-NGP's {@code floor(N_min * b^l)} between n_min and n_max by default), and
 * vertices {@code 0..N_l} per axis. Each level has one table per derivative
 * order {@code k = 0..d}; an entry of the order-k table holds {@code binomial(d,k)} coefficient
 * vectors of {@code F} features, one per multi-index {@code alpha in {0,1}^d} of that order.
 * Multi-indices are bit masks (bit i set = one derivative along axis i; order = number of set
 * bits) ranked within their order by ascending mask: in 2D the masks 0..3 are f, f_x, f_y, f_xy;
 * in 3D 0..7 are f, f_x, f_y, f_xy, f_z, f_xz, f_yz, f_xyz. The order-k table of level l is dense
 * when {@code (N_l+1)^d <= 2^H_k} (unless every level is to be hashed, as the Hermite-NGP
 * reference code does), otherwise hashed into {@code 2^H_k} entries; the index rule
 * for both is {@link HermiteEncodingMath#entryIndex}, the one the kernels run.
 *
 * <p>Buffer layout: level-major, each level contiguous ({@link #levelStart}/{@link #levelEnd}),
 * within a level the tables by order, within a table {@code (entry, rank, feature)} row-major
 * ({@link HermiteEncodingMath#coefficientOffset}).
 */
public final class HermiteGridLayout {
    private final int dims;
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
    private final int[] indexLayout;       // layoutArray(0): the HermiteEncodingMath layout without periodic axes

    public HermiteGridLayout(int dims, int levels, int features, int nMin, int nMax, int[] log2TableSize) {
        this(dims, features, new LevelResolutions.Geometric(nMin, nMax).of(levels), log2TableSize, false);
    }

    /**
     * A Hermite grid (orders 0..d stored) with the given resolution per level.
     *
     * @param hashEveryLevel hash every table, even one whose level would fit it densely
     */
    public HermiteGridLayout(int dims, int features, int[] resolutions, int[] log2TableSize, boolean hashEveryLevel) {
        this(dims, features, resolutions, log2TableSize, dims + 1, hashEveryLevel);
    }

    /**
     * A grid that stores only the values (order 0): the layout of instant-NGP's d-linear encoding.
     */
    public static HermiteGridLayout valuesOnly(int dims, int levels, int features, int nMin, int nMax, int log2TableSize) {
        return valuesOnly(dims, features, new LevelResolutions.Geometric(nMin, nMax).of(levels), log2TableSize, false);
    }

    /** A values-only grid with the given resolution per level. */
    public static HermiteGridLayout valuesOnly(int dims, int features, int[] resolutions, int log2TableSize,
                                               boolean hashEveryLevel) {
        return new HermiteGridLayout(dims, features, resolutions, new int[]{log2TableSize}, 1, hashEveryLevel);
    }

    private HermiteGridLayout(int dims, int features, int[] resolutions, int[] log2TableSize, int orders,
                              boolean hashEveryLevel) {
        if (dims < 1 || dims > 3) {
            throw new IllegalArgumentException("dimension must be 1, 2 or 3, got " + dims);
        }
        this.dims = dims;
        this.orders = orders;
        int levels = resolutions.length;
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be >= 1, got " + levels);
        }
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        for (int l = 0; l < levels; l++) {
            if (resolutions[l] < 1) {
                throw new IllegalArgumentException("level " + l + " resolution must be >= 1, got " + resolutions[l]);
            }
        }
        if (log2TableSize.length != orders) {
            throw new IllegalArgumentException("need one log2 table size per stored derivative order 0.."
                    + (orders - 1) + " (" + orders + " values), got " + log2TableSize.length);
        }
        this.levels = levels;
        this.features = features;
        this.log2TableSize = log2TableSize.clone();
        this.resolution = resolutions.clone();
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
                dense[l][k] = !hashEveryLevel && vertices <= tableSize;
                entries[l][k] = dense[l][k] ? (int) vertices : (int) tableSize;
                tableOffset[l][k] = (int) offset;
                offset += (long) entries[l][k] * HermiteEncodingMath.countOfOrder(dims, k) * features;
            }
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("encoding needs " + offset + " parameters, more than a Java array holds");
        }
        levelStart[levels] = (int) offset;
        this.parameterCount = (int) offset;
        this.indexLayout = layoutArray(0);
    }

    public int dims() {
        return dims;
    }

    /** Number of derivative orders stored per vertex: d + 1 for Hermite, 1 for values only. */
    public int orders() {
        return orders;
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
     * This layout as the int array that {@link HermiteEncodingMath} and the kernels read (format in
     * its class comment), with the given periodic axes. Orders a values-only layout does not store
     * get empty slots: offset at the level's end, hashed into {@code 2^0} entries.
     *
     * @param periodicAxes bit mask of axes along which vertex N_l is vertex 0
     */
    public int[] layoutArray(int periodicAxes) {
        if ((periodicAxes & ~((1 << dims) - 1)) != 0) {
            throw new IllegalArgumentException("periodic axes mask " + periodicAxes + " names axes beyond " + dims);
        }
        int[] a = new int[3 + levels + 3 * levels * (dims + 1) + 1];
        a[0] = dims;
        a[1] = levels;
        a[2] = features;
        for (int l = 0; l < levels; l++) {
            a[3 + l] = resolution[l];
            for (int k = 0; k <= dims; k++) {
                int slot = 3 + levels + 3 * (l * (dims + 1) + k);
                boolean stored = k < orders;
                a[slot] = stored ? tableOffset[l][k] : levelEnd(l);
                a[slot + 1] = stored && dense[l][k] ? 1 : 0;
                a[slot + 2] = stored ? log2TableSize[k] : 0;
            }
        }
        a[a.length - 1] = periodicAxes;
        return a;
    }

    /**
     * Entry index of grid vertex {@code g} (d coordinates, each in {@code 0..N_l}, no periodic
     * wrap) in the order-k table of level l: {@link HermiteEncodingMath#entryIndex}.
     */
    public int entryIndex(int level, int order, int[] vertex) {
        if (vertex.length != dims) {
            throw new IllegalArgumentException("vertex has " + vertex.length + " coordinates, grid has " + dims);
        }
        return HermiteEncodingMath.entryIndex(indexLayout, level, order, vertex[0], dims > 1 ? vertex[1] : 0,
                dims > 2 ? vertex[2] : 0);
    }

    /**
     * Offset in the buffer of the F-feature coefficient vector of multi-index alpha at the given
     * entry of its order's table in level l: {@link HermiteEncodingMath#coefficientOffset}.
     */
    public int coefficientOffset(int level, int alpha, int entry) {
        return HermiteEncodingMath.coefficientOffset(indexLayout, level, alpha, entry);
    }
}
