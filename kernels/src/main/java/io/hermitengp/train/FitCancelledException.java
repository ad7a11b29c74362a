package io.hermitengp.train;

/**
 * A fit stopped because its caller called the work off ({@link Cancellation}). It is not the
 * instance's failure: a batch fit lets it through instead of recording a failed outcome, and the
 * instance keeps its checkpoint.
 */
public final class FitCancelledException extends RuntimeException {
    public FitCancelledException(String reason) {
        super("the fit was cancelled: " + reason);
    }
}
