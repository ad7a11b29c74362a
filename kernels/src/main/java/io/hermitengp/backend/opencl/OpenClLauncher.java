package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;

import java.util.List;

/**
 * Runs a kernel on one OpenCL device and never lets Aparapi's silent fallback through: Aparapi,
 * when it cannot translate or build a kernel, logs a line and runs it in Java threads instead,
 * very slowly. Here the kernel is compiled for the device up front, and after every launch the
 * kernel must report OpenCL execution on that device with no failed devices; anything else is an
 * {@link OpenClUnavailableException} naming the device.
 *
 * <p>Its device buffers are copies ({@code CL_MEM_COPY_HOST_PTR}), not Aparapi's default of
 * buffers over the Java arrays themselves ({@code CL_MEM_USE_HOST_PTR}), which an OpenCL
 * implementation may use as the buffer's storage, as PoCL does. The collector moves arrays between
 * launches, and over such a buffer a {@code Kernel.get} after a move reads through the array's old
 * address: numbers from whatever the heap has put there since, and on PoCL at times a JVM that
 * crashes in its next collection. A copy is read from the device whatever has become of the
 * array. A launch after a move makes a new buffer from the array's contents, so an array the
 * kernel writes must not move, or be read back before the next launch ({@link ImmovableArrays}).
 */
public final class OpenClLauncher {
    private static final int GROUP = 64;

    private final Kernel kernel;
    private final OpenCLDevice device;

    public OpenClLauncher(Kernel kernel, OpenCLDevice device) {
        this.kernel = kernel;
        this.device = device;
        // read when the kernel's context is made, at its compile
        device.setSharedMemory(false);
        try {
            synchronized (OpenClDevices.RUNTIME_LOCK) {
                kernel.compile(device);
            }
        } catch (CompileFailedException | RuntimeException | AssertionError e) {
            // Aparapi reports untranslatable bytecode as an AssertionError when assertions are on
            throw new OpenClUnavailableException("OpenCL build of " + kernel.getClass().getSimpleName() + " failed on "
                    + OpenClDevices.name(device) + ": " + e.getMessage(), e);
        }
    }

    public OpenCLDevice device() {
        return device;
    }

    /** Launches {@code workItems} work items (padded to a multiple of the group size). */
    public void launch(int workItems) {
        if (workItems <= 0) {
            return;
        }
        int global = (workItems + GROUP - 1) / GROUP * GROUP;
        kernel.execute(device.createRange(global, GROUP));
        checkRanOnDevice();
    }

    /** Fails unless the last launch ran as OpenCL on the chosen device. */
    public void checkRanOnDevice() {
        List<com.aparapi.device.Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
        if (!kernel.isRunningCL() || !failed.isEmpty()) {
            throw new OpenClUnavailableException("Aparapi fell back from OpenCL to " + kernel.getExecutionMode()
                    + " for " + kernel.getClass().getSimpleName() + " (requested " + OpenClDevices.name(device)
                    + ", failed devices " + failed + "); refusing to train on the fallback");
        }
    }
}
