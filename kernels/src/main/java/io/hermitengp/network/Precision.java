package io.hermitengp.network;

/**
 * The number format of the SIREN's arithmetic in training ({@code training.precision}): the CPU's
 * tiled paths and the OpenCL backend ({@link SirenFloatMath}) follow the same split.
 *
 * <ul>
 *   <li>{@link #FLOAT64}: everything in double ({@link TileKernels}).</li>
 *   <li>{@link #FLOAT32}: the network's products and the tile's activations, pre-activations,
 *       cosines and adjoints in float ({@link FloatTileKernels}), each weight-gradient product
 *       summed in float over at most one tile's rows; everything that outlives a tile stays
 *       double: the parameters, the encoding and its tables, the residuals and their seeds, the
 *       gradient summed across tiles and chunks, and Adam's moments. A float product of an
 *       inner length n carries a relative error of about {@code n 2^-24} of its terms'
 *       magnitudes (n at most 128 here), against {@code 2^-53} in double.</li>
 * </ul>
 */
public enum Precision {
    FLOAT64("float64"),
    FLOAT32("float32");

    private final String configName;

    Precision(String configName) {
        this.configName = configName;
    }

    /** The name in configs and backend descriptions. */
    public String configName() {
        return configName;
    }

    public static Precision fromConfig(String name) {
        for (Precision p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; there are float64, float32");
    }
}
