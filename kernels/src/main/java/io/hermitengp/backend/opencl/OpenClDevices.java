package io.hermitengp.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLPlatform;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL devices this machine offers, in platform order then device order, and the choice of
 * one by index or by a substring of {@code platform/device}.
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

    /** {@code platform/device}, the name used in results and for selection. */
    public static String name(OpenCLDevice device) {
        return device.getOpenCLPlatform().getName().trim() + "/" + device.getName().trim();
    }

    /**
     * Picks a device: {@code ""} the first, a number the device at that index, anything else the
     * first device whose {@code platform/device} name contains it (case-insensitive).
     *
     * @throws OpenClUnavailableException when nothing matches, listing what there is
     */
    public static OpenCLDevice select(String selector) {
        List<OpenCLDevice> devices = list();
        if (devices.isEmpty()) {
            throw new OpenClUnavailableException("no OpenCL device found (is an OpenCL ICD such as "
                    + "pocl-opencl-icd or a GPU driver installed?)");
        }
        String s = selector == null ? "" : selector.trim();
        if (s.isEmpty()) {
            return devices.get(0);
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

    public static String describe(List<OpenCLDevice> devices) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            names.add(i + ": " + name(devices.get(i)));
        }
        return String.join(", ", names);
    }
}
