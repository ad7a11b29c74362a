package io.hermitengp.jobs;

import com.aparapi.device.OpenCLDevice;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.config.ConfigReader;

import java.util.List;

/**
 * {@code devices} ({@link #SPEC}): the OpenCL devices this machine offers, one JSON line each,
 * with the selectors that reach it: its index (every device, platform order) and, for a device a
 * Spark GPU address opens, that address ({@code gpu:N}). With {@code --select} only the device a
 * selector opens (as {@code training.backend.device} or {@code --device} would), or exit 2 naming
 * what there is. Exits 0 with no lines where there is no OpenCL runtime or device, and says so on
 * stderr.
 */
final class DevicesCommand {
    static final CommandSpec SPEC = new CommandSpec("devices", null,
            "list the OpenCL devices with their index, GPU address, type and memory; JSON lines on stdout",
            List.of(OptionSpec.optional("--select", "SELECTOR", "every device",
                    "only the device this selector opens: an index, gpu:N or part of platform/device")),
            "", false);

    private DevicesCommand() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        List<OpenCLDevice> devices = OpenClDevices.list();
        if (devices.isEmpty()) {
            System.err.println("no OpenCL device found (is an OpenCL ICD such as pocl-opencl-icd or a GPU driver "
                    + "installed?)");
            return 0;
        }
        List<OpenCLDevice> addressable = OpenClDevices.addressable(devices);
        OpenCLDevice selected = options.has("--select") ? OpenClDevices.select(devices, options.string("--select")) : null;
        for (int i = 0; i < devices.size(); i++) {
            OpenCLDevice d = devices.get(i);
            if (selected != null && selected != d) {
                continue;
            }
            ObjectNode line = ConfigReader.mapper().createObjectNode();
            line.put("index", i);
            int address = addressable.indexOf(d);
            if (address >= 0) {
                line.put("gpu_address", OpenClDevices.gpuAddressSelector(Integer.toString(address)));
            } else {
                line.putNull("gpu_address");
            }
            line.put("name", OpenClDevices.name(d));
            line.put("type", d.getType().name());
            line.put("compute_units", d.getMaxComputeUnits());
            line.put("global_memory_bytes", d.getGlobalMemSize());
            line.put("max_allocation_bytes", d.getMaxMemAllocSize());
            line.put("local_memory_bytes", d.getLocalMemSize());
            System.out.println(line);
        }
        return 0;
    }
}
