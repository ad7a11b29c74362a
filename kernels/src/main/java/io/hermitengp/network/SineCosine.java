package io.hermitengp.network;

/**
 * sin x and cos x for the tiled CPU path, written as a fixed sequence of IEEE double operations
 * (multiply, add, fused multiply-add, sign flips) with no table and no branch on the argument
 * besides the large-argument escape, so that a vector unit computes each lane with exactly the
 * same operations and {@link VectorTileKernels} gives the same bits as {@link ScalarTileKernels}.
 * {@link Math#sin} cannot serve both: its vector counterpart is another implementation.
 *
 * <p>Range reduction (Cody-Waite with fused multiply-adds): {@code k = round(x 2/pi)}, taken by
 * adding and subtracting {@code 1.5 * 2^52} so that k also sits in the low mantissa bits of the
 * sum, which give the quadrant {@code q = k mod 4} (the vector kernels find the same q in floating
 * lanes, as {@code k - 4 floor(k/4)} with {@code floor(k/4) = round((k - 1.5)/4)} by the same
 * shift: no ties, and every step exact below the limit); then
 * {@code r = ((x - k P1) - k P2) - k P3} with {@code P1 + P2 + P3 = pi/2} to 160 bits. The first
 * step is exact (k P1 and x are multiples of the same power of two and r is small), so r carries
 * an error of about one ulp for {@code |x| < 2^20}. Beyond that ({@link #REDUCTION_LIMIT}) both
 * functions return {@link Math#sin}/{@link Math#cos}, lane by lane in the vector path too.
 *
 * <p>On {@code |r| <= pi/4} the fdlibm minimax kernels:
 * <pre>
 *   sin r = r + r^3 (S1 + z (S2 + z (S3 + z (S4 + z (S5 + z S6))))),            z = r^2
 *   cos r = w + (((1 - w) - z/2) + z^2 (C1 + z (C2 + z (C3 + z (C4 + z (C5 + z C6)))))),   w = 1 - z/2
 * </pre>
 * and by quadrant {@code (sin x, cos x) = (s, c), (c, -s), (-s, -c), (-c, s)} for q = 0, 1, 2, 3.
 * Both are within two ulps of fdlibm's results (SineCosineTest measures it against
 * {@link StrictMath}); unlike fdlibm, {@code sin(-0)} is {@code +0}.
 */
public final class SineCosine {
    static final double TWO_OVER_PI = 0x1.45f306dc9c883p-1;
    static final double PI_OVER_2_HI = 0x1.921fb54442d18p+0;
    static final double PI_OVER_2_MID = 0x1.1a62633145c07p-54;
    static final double PI_OVER_2_LO = -0x1.f1976b7ed8fbcp-110;
    /** Adding and subtracting it rounds a double below 2^51 to the nearest integer. */
    static final double ROUNDING_SHIFT = 0x1.8p52;
    /** Arguments at or above this magnitude (and NaN, infinities) go to {@link Math}. */
    public static final double REDUCTION_LIMIT = 0x1p20;

    static final double S1 = -1.66666666666666324348e-01;
    static final double S2 = 8.33333333332248946124e-03;
    static final double S3 = -1.98412698298579493134e-04;
    static final double S4 = 2.75573137070700676789e-06;
    static final double S5 = -2.50507602534068634195e-08;
    static final double S6 = 1.58969099521155010221e-10;

    static final double C1 = 4.16666666666666019037e-02;
    static final double C2 = -1.38888888888741095749e-03;
    static final double C3 = 2.48015872894767294178e-05;
    static final double C4 = -2.75573143513906633035e-07;
    static final double C5 = 2.08757232129817482790e-09;
    static final double C6 = -1.13596475577881948265e-11;

    private SineCosine() {
    }

    /** sin x. */
    public static double sin(double x) {
        if (!(Math.abs(x) < REDUCTION_LIMIT)) {
            return Math.sin(x);
        }
        double shifted = Math.fma(x, TWO_OVER_PI, ROUNDING_SHIFT);
        double k = shifted - ROUNDING_SHIFT;
        double r = reduce(x, k);
        int quadrant = (int) Double.doubleToRawLongBits(shifted) & 3;
        double value = (quadrant & 1) == 0 ? sinKernel(r) : cosKernel(r);
        return (quadrant & 2) == 0 ? value : -value;
    }

    /** cos x. */
    public static double cos(double x) {
        if (!(Math.abs(x) < REDUCTION_LIMIT)) {
            return Math.cos(x);
        }
        double shifted = Math.fma(x, TWO_OVER_PI, ROUNDING_SHIFT);
        double k = shifted - ROUNDING_SHIFT;
        double r = reduce(x, k);
        int quadrant = (int) Double.doubleToRawLongBits(shifted) & 3;
        double value = (quadrant & 1) == 0 ? cosKernel(r) : sinKernel(r);
        return ((quadrant + 1) & 2) == 0 ? value : -value;
    }

    /** {@code x - k pi/2} in three fused steps. */
    static double reduce(double x, double k) {
        double r = Math.fma(-k, PI_OVER_2_HI, x);
        r = Math.fma(-k, PI_OVER_2_MID, r);
        return Math.fma(-k, PI_OVER_2_LO, r);
    }

    /** sin r for {@code |r| <= pi/4}. */
    static double sinKernel(double r) {
        double z = r * r;
        double v = z * r;
        double p = Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, S6, S5), S4), S3), S2);
        return Math.fma(v, Math.fma(z, p, S1), r);
    }

    /** cos r for {@code |r| <= pi/4}. */
    static double cosKernel(double r) {
        double z = r * r;
        double p = z * Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, C6, C5), C4), C3), C2), C1);
        double half = 0.5 * z;
        double w = 1.0 - half;
        return w + Math.fma(z, p, (1.0 - w) - half);
    }
}
