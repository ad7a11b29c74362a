package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel Aparapi cannot run as OpenCL is an error naming the device, never a Java-thread run. */
class OpenClLauncherTest {

    /** Untranslatable on purpose: OpenCL has no System.out. */
    static final class PrintingKernel extends Kernel {
        int[] out = new int[64];

        @Override
        public void run() {
            out[getGlobalId()] = getGlobalId();
            System.out.println("running in Java");
        }
    }

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    @Test
    void fallbackToJavaThreadsIsRefused() {
        PrintingKernel kernel = new PrintingKernel();
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class, () -> {
            OpenClLauncher launcher = new OpenClLauncher(kernel, OpenClDevices.select(""));
            launcher.launch(64);
        });
        assertTrue(e.getMessage().contains(OpenClDevices.name(OpenClDevices.select(""))), e.getMessage());
        // no dispose(): Aparapi's native dispose crashes on a kernel whose build failed
    }

    @Test
    void unknownDevicesAreNamedWithTheDevicesThereAre() {
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class,
                () -> OpenClDevices.select("no-such-accelerator"));
        assertTrue(e.getMessage().contains("no-such-accelerator") && e.getMessage().contains("0: "), e.getMessage());
        e = assertThrows(OpenClUnavailableException.class, () -> OpenClDevices.select("99"));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }
}
