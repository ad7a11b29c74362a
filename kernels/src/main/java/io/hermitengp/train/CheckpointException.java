package io.hermitengp.train;

/** A checkpoint that cannot resume this run: not a checkpoint, damaged, truncated, or another run's. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
