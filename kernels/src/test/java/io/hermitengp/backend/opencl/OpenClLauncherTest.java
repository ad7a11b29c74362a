package io.hermitengp.backend.opencl;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel Aparapi cannot run as OpenCL is an error naming the device, never a Java-thread run. */
class OpenClLauncherTest {

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    @Test
    void fallbackToJavaThreadsIsRefused() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-ea", "-cp", System.getProperty("java.class.path"),
                FallbackProbe.class.getName()).redirectErrorStream(false).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "probe output: " + out);
        assertTrue(out.contains("REFUSED"), out);
        assertTrue(out.contains(OpenClDevices.name(OpenClDevices.select(""))), "the message must name the device: " + out);
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
