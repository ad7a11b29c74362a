package io.hermitengp.io;

/** A mesh file that cannot be used; the message names the file and the problem. */
public final class MeshFormatException extends RuntimeException {
    public MeshFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    public MeshFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
