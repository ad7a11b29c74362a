package io.hermitengp.field;

import io.hermitengp.geometry.Box;

/**
 * What a field's architecture needs to know of its problem: the box its encoding covers, its
 * number of outputs and the axes along which it is periodic (a bit mask).
 */
public record FieldShape(Box domain, int outputs, int periodicAxes) {
}
