package io.hermitengp.spark;

import io.hermitengp.fit.DeviceChoice;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.Map;

/**
 * The device of the running Spark task: the first address of its {@code gpu} resource when
 * Spark's GPU scheduling gave it one ({@code spark.executor.resource.gpu.amount},
 * {@code spark.task.resource.gpu.amount} and a discovery script), else the CPU with the task's
 * {@code spark.task.cpus} threads. Outside a task (a direct fit), the CPU with every core.
 */
public final class TaskDevice {
    public static final String GPU = "gpu";

    private TaskDevice() {
    }

    public static DeviceChoice current() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return DeviceChoice.localCpu(0);
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources.get(GPU);
        int cpus = Math.max(1, task.cpus());
        if (gpu != null && gpu.addresses().length > 0) {
            return new DeviceChoice(gpu.addresses()[0], cpus);
        }
        return DeviceChoice.cpu(cpus);
    }
}
