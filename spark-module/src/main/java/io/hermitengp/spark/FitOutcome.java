package io.hermitengp.spark;

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
 * @param wallSeconds    the whole fit: reading, sampling, training, metrics
 */
public record FitOutcome(String id, String kind, String status, String message, String resolvedConfig,
                         TrainingResult result, int parameterCount, String gpuAddress, String backendNote,
                         long startedAtMillis, double wallSeconds) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String DIVERGED = "diverged";
}
