package io.hermitengp.backend.opencl;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a missing OpenCL device means for a test: with {@code HERMITE_NGP_REQUIRE_OPENCL=1}
 * (set by {@code .ci/run}, which installs PoCL) it is a failure; elsewhere the test is skipped with
 * a message saying so.
 */
public final class OpenClRequirement {
    private OpenClRequirement() {
    }

    public static void requireDevice() {
        if (!OpenClDevices.list().isEmpty()) {
            return;
        }
        String message = "no OpenCL device on this machine (install pocl-opencl-icd for a CPU device)";
        if ("1".equals(System.getenv("HERMITE_NGP_REQUIRE_OPENCL"))) {
            Assertions.fail(message + ", and HERMITE_NGP_REQUIRE_OPENCL=1 requires one");
        }
        Assumptions.abort("skipped: " + message);
    }
}
