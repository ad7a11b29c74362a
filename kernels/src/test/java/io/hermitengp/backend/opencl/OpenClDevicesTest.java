package io.hermitengp.backend.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLPlatform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device choice on described machines (no OpenCL runtime needed): a Spark GPU address counts GPU
 * devices only, whatever order the platforms come in, and never lands on a CPU device while the
 * machine has a GPU; indices and names still reach every device.
 */
class OpenClDevicesTest {
    private static final OpenCLPlatform POCL = new OpenCLPlatform(1, "OpenCL 3.0", "pocl", "Portable Computing Language");
    private static final OpenCLPlatform NVIDIA = new OpenCLPlatform(2, "OpenCL 3.0", "NVIDIA", "NVIDIA CUDA");

    private static OpenCLDevice device(OpenCLPlatform platform, long id, Device.TYPE type, String name) {
        OpenCLDevice device = new OpenCLDevice(platform, id, type);
        device.setName(name);
        return device;
    }

    private final OpenCLDevice cpu = device(POCL, 10, Device.TYPE.CPU, "cpu-haswell");
    private final OpenCLDevice gpu0 = device(NVIDIA, 20, Device.TYPE.GPU, "NVIDIA H200");
    private final OpenCLDevice gpu1 = device(NVIDIA, 21, Device.TYPE.GPU, "NVIDIA H200");

    @Test
    void gpuAddressesCountGpusOnlyWhenTheCpuPlatformComesFirst() {
        List<OpenCLDevice> machine = List.of(cpu, gpu0, gpu1);
        assertSame(gpu0, OpenClDevices.select(machine, "gpu:0"));
        assertSame(gpu1, OpenClDevices.select(machine, "gpu:1"));
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class,
                () -> OpenClDevices.select(machine, "gpu:2"));
        assertTrue(e.getMessage().contains("GPU address 2") && e.getMessage().contains("2 GPU device(s)"),
                e.getMessage());
        assertSame(cpu, OpenClDevices.select(machine, "0"), "an index counts every device");
        assertSame(cpu, OpenClDevices.select(machine, "portable"), "a name reaches every device");
    }

    @Test
    void aMachineWithoutGpusServesAddressesFromEveryDevice() {
        List<OpenCLDevice> machine = List.of(cpu);
        assertSame(cpu, OpenClDevices.select(machine, "gpu:0"));
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class,
                () -> OpenClDevices.select(machine, "gpu:1"));
        assertTrue(e.getMessage().contains("and no GPU"), e.getMessage());
        assertThrows(OpenClUnavailableException.class, () -> OpenClDevices.select(machine, "gpu:x"));
    }
}
