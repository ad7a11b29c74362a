package io.hermitengp.backend.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLPlatform;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL devices this machine offers, in platform order then device order, and the choice of
 * one by index, by a substring of {@code platform/device}, or by a Spark GPU address.
 *
 * <p>A GPU address ({@code gpu:N}, what a Spark task's {@code gpu} resource becomes) counts GPU
 * devices only: on a machine with an NVIDIA GPU and PoCL's CPU device, {@code gpu:0} is the GPU
 * whatever order the platforms come in, and an address past the GPUs fails instead of landing on
 * the CPU device. Only a machine with no GPU-type device at all counts every device (a test
 * cluster with a fake discovery script on PoCL); the row's {@code backend} names the device that
 * ran either way. GPUs are taken in platform order, then in the order their platform lists them;
 * NVIDIA's platform lists them by PCI bus, as {@code nvidia-smi} and Spark's example discovery
 * script do. (Aparapi does not expose {@code cl_khr_pci_bus_info}, so the bus id itself is not read.)
 */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /**
     * Held while querying the OpenCL runtime, building a kernel or releasing one. Aparapi's
     * platform query and kernel setup are not safe from several threads at once: two Spark tasks
     * of one executor querying together made one of them see no device at all.
     */
    static final Object RUNTIME_LOCK = new Object();

    /** Every device of every platform; empty when there is no OpenCL runtime or no device. */
    public static List<OpenCLDevice> list() {
        synchronized (RUNTIME_LOCK) {
            List<OpenCLDevice> devices = new ArrayList<>();
            try {
                for (OpenCLPlatform platform : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
                    devices.addAll(platform.getOpenCLDevices());
                }
            } catch (Throwable e) {
                // no OpenCL library or no JNI library for this platform: no devices
                return List.of();
            }
            return devices;
        }
    }

    /** Prefix of a selector that is a Spark GPU address: {@code gpu:N}. */
    public static final String GPU_ADDRESS_PREFIX = "gpu:";

    /** The selector of a Spark GPU address. */
    public static String gpuAddressSelector(String address) {
        return GPU_ADDRESS_PREFIX + address;
    }

    /**
     * The devices GPU addresses count: the GPU-type devices in platform and device order, or every
     * device when there is none.
     */
    public static List<OpenCLDevice> addressable(List<OpenCLDevice> devices) {
        List<OpenCLDevice> gpus = devices.stream().filter(d -> d.getType() == Device.TYPE.GPU).toList();
        return gpus.isEmpty() ? devices : gpus;
    }

    /** How many GPU addresses this machine serves. */
    public static int addressableCount() {
        return addressable(list()).size();
    }

    /** {@code platform/device}, the name used in results and for selection. */
    public static String name(OpenCLDevice device) {
        return device.getOpenCLPlatform().getName().trim() + "/" + device.getName().trim();
    }

    /**
     * Picks a device: {@code ""} the first, a number the device at that index, {@code gpu:N} the
     * device of GPU address N (see the class comment), anything else the first device whose
     * {@code platform/device} name contains it (case-insensitive).
     *
     * @throws OpenClUnavailableException when nothing matches, listing what there is
     */
    public static OpenCLDevice select(String selector) {
        return select(list(), selector);
    }

    /** {@link #select(String)} among the given devices. */
    public static OpenCLDevice select(List<OpenCLDevice> devices, String selector) {
        if (devices.isEmpty()) {
            throw new OpenClUnavailableException("no OpenCL device found (is an OpenCL ICD such as "
                    + "pocl-opencl-icd or a GPU driver installed?)");
        }
        String s = selector == null ? "" : selector.trim();
        if (s.isEmpty()) {
            return devices.get(0);
        }
        if (s.startsWith(GPU_ADDRESS_PREFIX)) {
            return byGpuAddress(devices, s.substring(GPU_ADDRESS_PREFIX.length()));
        }
        if (s.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(s);
            if (index >= devices.size()) {
                throw new OpenClUnavailableException("OpenCL device index " + index + " out of range; devices: "
                        + describe(devices));
            }
            return devices.get(index);
        }
        for (OpenCLDevice d : devices) {
            if (name(d).toLowerCase().contains(s.toLowerCase())) {
                return d;
            }
        }
        throw new OpenClUnavailableException("no OpenCL device matches '" + s + "'; devices: " + describe(devices));
    }

    private static OpenCLDevice byGpuAddress(List<OpenCLDevice> devices, String address) {
        List<OpenCLDevice> addressable = addressable(devices);
        if (address.isEmpty() || !address.chars().allMatch(Character::isDigit)) {
            throw new OpenClUnavailableException("GPU address '" + address + "' is not a device number; Spark's GPU "
                    + "discovery script must print OpenCL GPU indices");
        }
        int index = Integer.parseInt(address);
        if (index >= addressable.size()) {
            boolean gpus = addressable.size() < devices.size() || addressable.get(0).getType() == Device.TYPE.GPU;
            throw new OpenClUnavailableException("GPU address " + index + " has no OpenCL device: this machine has "
                    + addressable.size() + (gpus ? " GPU device(s)" : " device(s) and no GPU") + "; devices: "
                    + describe(devices));
        }
        return addressable.get(index);
    }

    public static String describe(List<OpenCLDevice> devices) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            names.add(i + ": " + name(devices.get(i)) + " (" + devices.get(i).getType() + ")");
        }
        return String.join(", ", names);
    }
}
