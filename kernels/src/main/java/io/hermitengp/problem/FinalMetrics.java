package io.hermitengp.problem;

import java.util.Map;

/**
 * A problem's own measures of a trained field, beyond the relative L2 errors every problem has:
 * measurements ({@code grad_mae}, {@code chamfer}, ...) as doubles and counts
 * ({@code band_points}, {@code surface_triangles}, ...) as longs, each under its report name in
 * report order. A measurement that could not be made is absent, never NaN.
 */
public record FinalMetrics(Map<String, Double> values, Map<String, Long> counts) {
    public static final FinalMetrics NONE = new FinalMetrics(Map.of(), Map.of());
}
