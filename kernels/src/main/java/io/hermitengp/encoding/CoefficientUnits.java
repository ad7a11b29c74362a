package io.hermitengp.encoding;

/**
 * How a stored Hermite coefficient relates to the field's derivative.
 *
 * <p>{@link #PHYSICAL}: the coefficient of multi-index alpha is the derivative
 * {@code d^alpha f} with respect to the problem's coordinates, and the reconstruction multiplies
 * it by {@code prod_{i in alpha} h_i}, with {@code h_i = (hi_i - lo_i)/N_l} the level's cell size
 * along axis i (the paper's form).
 *
 * <p>{@link #CELL}: the coefficient already holds {@code prod_{i in alpha} h_i * d^alpha f}, so the
 * reconstruction uses it as is. Both span the same fields; they differ in how Adam's roughly
 * learning-rate-sized steps move the field: in cell units a derivative coefficient at a fine level
 * moves the field as fast as a value coefficient does, instead of {@code 1/h} times slower.
 */
public enum CoefficientUnits {
    PHYSICAL("physical"),
    CELL("cell");

    private final String configName;

    CoefficientUnits(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
