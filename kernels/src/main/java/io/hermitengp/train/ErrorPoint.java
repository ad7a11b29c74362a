package io.hermitengp.train;

/**
 * One point of an error curve: the error measured after {@code step} counted steps and
 * {@code seconds} of training. With a parameter average, {@code relL2} and {@code gradRelL2} are
 * the average's and {@code rawRelL2} the raw weights'; without one, {@code rawRelL2} is NaN.
 */
public record ErrorPoint(long step, double seconds, double relL2, double gradRelL2, double rawRelL2) {
}
