package io.hermitengp.backend.opencl;

/** OpenCL was asked for and cannot be used: no device, no match, a failed compile or a fallback. */
public final class OpenClUnavailableException extends RuntimeException {
    public OpenClUnavailableException(String message) {
        super(message);
    }

    public OpenClUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
