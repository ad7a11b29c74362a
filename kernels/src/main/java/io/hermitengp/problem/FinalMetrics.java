package io.hermitengp.problem;

import io.hermitengp.geometry.TriangleMesh;

import java.util.Map;
import java.util.Optional;

/**
 * A problem's own measures of a trained field, beyond the relative L2 errors every problem has:
 * measurements ({@code grad_mae}, {@code chamfer}, ...) as doubles and counts
 * ({@code band_points}, {@code surface_triangles}, ...) as longs, each under its report name in
 * report order. A measurement that could not be made is absent, never NaN.
 *
 * @param surface the field's zero level set the measures were taken on (an sdf's extracted
 *                surface, in the problem's coordinates), kept so that whoever writes it out does
 *                not extract it a second time; empty for problems that extract none
 */
public record FinalMetrics(Map<String, Double> values, Map<String, Long> counts, Optional<TriangleMesh> surface) {
    public static final FinalMetrics NONE = new FinalMetrics(Map.of(), Map.of(), Optional.empty());
}
