package io.hermitengp.spark;

/** An output location already holds what a job would write, and the job was not asked to replace or extend it. */
public final class OutputExistsException extends RuntimeException {
    public OutputExistsException(String message) {
        super(message);
    }
}
