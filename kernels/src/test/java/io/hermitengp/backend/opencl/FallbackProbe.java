package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;

/**
 * Runs an untranslatable kernel through {@link OpenClLauncher} in its own JVM and prints what
 * happened. A separate process because Aparapi leaves native state behind after a failed build
 * that can crash the JVM when a later kernel runs.
 */
public final class FallbackProbe {
    /** Untranslatable on purpose: OpenCL has no System.out. */
    static final class PrintingKernel extends Kernel {
        int[] out = new int[64];

        @Override
        public void run() {
            out[getGlobalId()] = getGlobalId();
            System.out.println("running in Java");
        }
    }

    private FallbackProbe() {
    }

    public static void main(String[] args) {
        try {
            OpenClLauncher launcher = new OpenClLauncher(new PrintingKernel(), OpenClDevices.select(""));
            launcher.launch(64);
            System.out.println("RAN");
            System.exit(3);
        } catch (OpenClUnavailableException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(0);
        }
    }
}
