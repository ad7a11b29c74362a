package io.hermitengp.train;

/** How a training ended. */
public enum TrainingStatus {
    /** Ran its budget with a finite loss. */
    OK("ok"),
    /** The loss became NaN or infinite; training stopped at that step. */
    DIVERGED("diverged");

    private final String label;

    TrainingStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
