package io.hermitengp.fit;

import io.hermitengp.train.TrainingResult;

/**
 * What fitting one instance produced: always an id, a kind and a status with its message; the
 * training result, the resolved config and the field when training ran.
 *
 * @param kind           the problem type, or {@code unknown} when the spec did not say
 * @param status         {@code ok}, {@code failed} or {@code diverged}
 * @param message        why it failed or diverged; empty when ok
 * @param resolvedConfig the config that ran, every default and the derived seed filled in; null
 *                       when the spec could not be read
 * @param result         null when training did not run
 * @param gpuAddress     the GPU Spark assigned the task, or null
 * @param backendNote    why the backend that ran is not the one the device choice asked for, or empty
 * @param startedAtMillis when the fit started, epoch milliseconds
 * @param wallSeconds    the whole fit: reading, sampling, training, metrics (for a field trained in a
 *                       batch, the batch's, which it shared)
 * @param sharedBy       how many fields shared {@code wallSeconds}: its batch's size, 1 for a fit alone
 */
public record FitOutcome(String id, String kind, String status, String message, String resolvedConfig,
                         TrainingResult result, int parameterCount, String gpuAddress, String backendNote,
                         long startedAtMillis, double wallSeconds, int sharedBy) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String DIVERGED = "diverged";
    /** The kind of an instance whose spec names no problem type. */
    public static final String UNKNOWN_KIND = "unknown";

    /** An instance rejected before it could be fitted (a defect found while reading the list). */
    public static FitOutcome rejected(String id, String reason, DeviceChoice device) {
        return new FitOutcome(id, UNKNOWN_KIND, FAILED, reason, null, null, 0, device.gpuAddress(), "",
                System.currentTimeMillis(), 0, 1);
    }

    /** This fit's share of the wall time: {@code wallSeconds / sharedBy}. */
    public double wallSecondsShare() {
        return wallSeconds / sharedBy;
    }

    /** The exception's kind and message, and its first cause's when that says more. */
    public static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null
                && (e.getMessage() == null || !e.getMessage().contains(cause.getMessage()))) {
            message += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }
}
