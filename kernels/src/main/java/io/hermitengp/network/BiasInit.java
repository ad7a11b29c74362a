package io.hermitengp.network;

/** How a SIREN's biases start (the weights follow the SIREN rule either way). */
public enum BiasInit {
    /** Every bias {@code U(-1/sqrt(n), 1/sqrt(n))}, n the layer's input width: a linear layer's usual default. */
    FAN_IN_SQRT("fan_in_sqrt"),
    /**
     * Each hidden layer's bias drawn with its weights' bound ({@code 1/n} on the first layer,
     * {@code sqrt(6/n)/omega} later), the output bias zero: the Hermite-NGP reference code's rule.
     */
    LIKE_WEIGHTS("like_weights");

    private final String configName;

    BiasInit(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static BiasInit fromConfig(String name) {
        for (BiasInit b : values()) {
            if (b.configName.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown bias init '" + name + "'");
    }
}
