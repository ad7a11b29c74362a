package io.hermitengp.jobs;

/** A job was called wrongly: the message says how. */
final class JobUsageException extends RuntimeException {
    JobUsageException(String message) {
        super(message);
    }
}
