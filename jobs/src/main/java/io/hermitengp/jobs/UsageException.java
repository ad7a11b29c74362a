package io.hermitengp.jobs;

/** A command line that cannot be run; the message says which argument and why. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
