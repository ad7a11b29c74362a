package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kernel Aparapi cannot run as OpenCL is an error naming the device, never a Java-thread run;
 * a read brings what the last launch wrote even when the collector moved the array in between.
 */
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

    /**
     * Each round: a launch writes its number into a young array, garbage is allocated until a
     * young collection has run (which moves every young object) and the memory the array left is
     * filled with -7, then the array is read. Over Aparapi's default buffers, which PoCL keeps in
     * the array itself, the read comes through the old address: -7s, object headers, and at times a
     * JVM that crashes in its next collection.
     */
    @Test
    void aReadAfterTheCollectorMovedTheArrayBringsWhatTheLaunchWrote() {
        for (int round = 1; round <= 6; round++) {
            StampKernel kernel = new StampKernel();
            kernel.out = new double[4096];
            kernel.setExplicit(true);
            try {
                OpenClLauncher launcher = new OpenClLauncher(kernel, OpenClDevices.select(""));
                kernel.stamp = round;
                launcher.launch(kernel.out.length);
                allocateUntilACollectionRan();
                kernel.get(kernel.out);
                double stamp = round;
                assertTrue(Arrays.stream(kernel.out).allMatch(v -> v == stamp),
                        "round " + round + " read " + Arrays.stream(kernel.out).distinct().limit(5).boxed().toList());
            } finally {
                kernel.dispose();
            }
        }
    }

    static void allocateUntilACollectionRan() {
        long before = collections();
        List<double[]> garbage = new ArrayList<>();
        for (int i = 0; collections() == before || i < 2000; i++) {
            double[] filler = new double[1024];
            Arrays.fill(filler, -7);
            garbage.add(filler);
            if (garbage.size() > 256) {
                garbage.clear();
            }
        }
    }

    static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** Writes its stamp into every number of {@code out}. */
    static final class StampKernel extends Kernel {
        double[] out;
        int stamp;

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < out.length) {
                out[i] = stamp;
            }
        }
    }
}
