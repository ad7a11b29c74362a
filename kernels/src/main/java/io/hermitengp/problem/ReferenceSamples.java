package io.hermitengp.problem;

/**
 * Points where a problem's exact solution is known in advance, with its value and gradient, for
 * problems whose error is not measured on a full grid (a field inside a mesh, a signed distance
 * whose exact value is expensive to recompute at every evaluation).
 *
 * @param points (count, d) row-major
 * @param exact  (count, 1 + d, outputs): values, then the gradient along each axis
 */
public record ReferenceSamples(int dims, int outputs, double[] points, double[] exact) {
    public ReferenceSamples {
        if (points.length % dims != 0 || exact.length != points.length / dims * (1 + dims) * outputs) {
            throw new IllegalArgumentException("reference samples: " + points.length + " coordinates and "
                    + exact.length + " exact values do not describe the same points");
        }
    }

    public int count() {
        return points.length / dims;
    }
}
