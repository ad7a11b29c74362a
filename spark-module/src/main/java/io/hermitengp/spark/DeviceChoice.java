package io.hermitengp.spark;

import java.io.Serializable;

/**
 * Where a task trains its fields: on the GPU Spark assigned it (an address from the task's
 * {@code gpu} resource, handed to the OpenCL backend as its device index), or on the CPU with the
 * task's share of the executor's cores.
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

    public boolean hasGpu() {
        return gpuAddress != null;
    }
}
