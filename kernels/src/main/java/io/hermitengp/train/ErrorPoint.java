package io.hermitengp.train;

/** One point of an error curve: the error measured after {@code step} steps and {@code seconds} of training. */
public record ErrorPoint(long step, double seconds, double relL2, double gradRelL2) {
}
