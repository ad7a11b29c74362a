package io.hermitengp.problem;

/**
 * Residual arithmetic shared by the Java backend and the OpenCL kernels (static, allocation-free,
 * no library calls, so Aparapi translates it).
 */
public final class ResidualMath {
    private ResidualMath() {
    }

    /** {@code r = sum_j a_j u_j - g} over {@code count} channels, summed in ascending j. */
    public static double linear(double[] a, int aOffset, int count, double[] u, int uOffset, double g) {
        double sum = 0.0;
        for (int j = 0; j < count; j++) {
            sum += a[aOffset + j] * u[uOffset + j];
        }
        return sum - g;
    }
}
