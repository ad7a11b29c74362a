package io.hermitengp.fit;

import java.io.Serializable;

/**
 * What a fit was given to train on: a GPU (in Spark, an address from the task's {@code gpu}
 * resource, handed to the OpenCL backend as its device index), or none, and the CPU threads it
 * may use (in Spark, the task's {@code spark.task.cpus}). {@link BackendChoice} decides from this
 * and the config which backend runs.
 *
 * @param gpuAddress the assigned GPU's address, or null for none
 * @param cpuThreads threads for the CPU backend
 */
public record DeviceChoice(String gpuAddress, int cpuThreads) implements Serializable {
    public DeviceChoice {
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("a task needs at least one CPU thread, got " + cpuThreads);
        }
    }

    public static DeviceChoice cpu(int threads) {
        return new DeviceChoice(null, threads);
    }

    /** This machine's CPU outside any scheduler: {@code threads} when positive, else every core. */
    public static DeviceChoice localCpu(int threads) {
        return cpu(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    public boolean hasGpu() {
        return gpuAddress != null;
    }
}
