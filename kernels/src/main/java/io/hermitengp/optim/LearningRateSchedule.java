package io.hermitengp.optim;

/**
 * The learning rate at step t (0-based, counted after any warm-up) of a run of {@code T} steps,
 * from the initial rate {@code lr_0}:
 *
 * <pre>
 *   exponential:  lr_0 * gamma^(t / N)                                 smooth, gamma 1 keeps it constant
 *   step:         lr_0 * gamma^floor(t / N)                            a staircase (PyTorch's StepLR)
 *   cosine:       eta_min + (lr_0 - eta_min) (1 + cos(pi min(t, T) / T)) / 2   (CosineAnnealingLR)
 * </pre>
 */
public record LearningRateSchedule(Kind kind, double gamma, int everySteps, double etaMin, long runSteps) {
    /** The schedule families, by config name. */
    public enum Kind {
        EXPONENTIAL("exponential"), STEP("step"), COSINE("cosine");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Kind fromConfig(String name) {
            for (Kind k : values()) {
                if (k.configName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "'");
        }
    }

    public LearningRateSchedule {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay rate must be in (0, 1], got " + gamma);
        }
        if (everySteps < 1) {
            throw new IllegalArgumentException("decay steps must be >= 1, got " + everySteps);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("eta_min must be >= 0, got " + etaMin);
        }
    }

    /** The rate at step t of a schedule starting from {@code initial}. */
    public double at(double initial, long step) {
        return switch (kind) {
            case EXPONENTIAL -> initial * Math.pow(gamma, (double) step / everySteps);
            case STEP -> initial * Math.pow(gamma, (double) (step / everySteps));
            case COSINE -> {
                double progress = runSteps <= 0 ? 1.0 : Math.min(step, runSteps) / (double) runSteps;
                yield etaMin + (initial - etaMin) * (1 + Math.cos(Math.PI * progress)) / 2;
            }
        };
    }
}
