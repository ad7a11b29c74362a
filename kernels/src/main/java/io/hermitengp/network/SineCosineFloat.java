package io.hermitengp.network;

/**
 * {@code sin(w z)} and {@code cos(w z)} in float for the float32 tiled path, as a fixed sequence
 * of IEEE float operations (multiply, add, fused multiply-add, sign flips) with no table and no
 * branch on the argument besides the large-argument escape, so that a float vector unit computes
 * each lane with exactly the same operations and {@link VectorFloatTileKernels} gives the same
 * bits as {@link ScalarFloatTileKernels}. The float twin of {@link SineCosine}, with twice the
 * lanes per vector and no widening.
 *
 * <p>The argument is taken exactly, not rounded: with {@code w = wHi + wLo} ({@link #high},
 * {@link #low}), {@code x = w z} is carried as {@code xHi = fl(wHi z)} and its error
 * {@code xLo = fma(wLo, z, fma(wHi, z, -xHi))}. A rounded float argument would carry an absolute
 * error of {@code |w z| 2^-24} (about 2e-5 for the SDF's first layer, w = 30), which the sine
 * passes on whole.
 *
 * <p>Range reduction (Cody-Waite with fused multiply-adds): {@code k = round(xHi 2/pi)}, taken by
 * adding and subtracting {@code 1.5 * 2^23}, whose low mantissa bits then hold the quadrant
 * {@code q = k mod 4} (the vector kernel finds it in float lanes, as {@link SineCosine} says);
 * {@code r = (((xHi - k P1) + xLo) - k P2) - k P3} with {@code P1 + P2 + P3 = pi/2} to about 72
 * bits. Each step rounds once relative to r, so r is
 * within a few ulps for {@code |xHi| < 2^13} ({@link #REDUCTION_LIMIT}); beyond it, and for NaN
 * and infinities, both functions return {@link SineCosine}'s double value of {@code w z} rounded
 * to float, lane by lane in the vector path too.
 *
 * <p>On {@code |r| <= pi/4} degree-7 and degree-8 minimax polynomials in float (Cephes' sinf and
 * cosf coefficients), cosine with fdlibm's correction of {@code 1 - z/2}:
 * <pre>
 *   sin r = r + (z r) (S1 + z (S2 + z S3)),                                       z = r^2
 *   cos r = v + (((1 - v) - z/2) + z (z (C1 + z (C2 + z C3)))),                     v = 1 - z/2
 * </pre>
 * and by quadrant {@code (sin x, cos x) = (s, c), (c, -s), (-s, -c), (-c, s)} for q = 0, 1, 2, 3.
 *
 * <p>Accuracy is absolute: both are within {@code 2^-23} of the exact sine and cosine of
 * {@code w z} (SineCosineFloatTest; at most {@code 1.41 * 2^-24} measured over omegas 0.5 to 30),
 * which is two ulps of float at 1, where a SIREN's activations live. Near a zero of the function
 * the error is not relative to the value: the first reduction step rounds at the scale of
 * {@code |x - k P1|}, which can exceed the final r. Products of the activations carry absolute
 * errors of the same order anyway.
 */
public final class SineCosineFloat {
    static final float TWO_OVER_PI = (float) (2 / Math.PI);
    /** Adding and subtracting it rounds a float below 2^22 to the nearest integer. */
    static final float ROUNDING_SHIFT = 0x1.8p23f;
    static final float PI_OVER_2_HI = (float) SineCosine.PI_OVER_2_HI;
    // differences of nearby doubles are exact (Sterbenz), so each part is pi/2's next 24 bits
    static final float PI_OVER_2_MID = (float) ((SineCosine.PI_OVER_2_HI - PI_OVER_2_HI) + SineCosine.PI_OVER_2_MID);
    static final float PI_OVER_2_LO =
            (float) (((SineCosine.PI_OVER_2_HI - PI_OVER_2_HI) - PI_OVER_2_MID) + SineCosine.PI_OVER_2_MID);
    /** Arguments {@code |xHi|} at or above this (and NaN, infinities) go to {@link SineCosine}. */
    public static final float REDUCTION_LIMIT = 0x1p13f;

    static final float S1 = -1.6666654611e-1f;
    static final float S2 = 8.3321608736e-3f;
    static final float S3 = -1.9515295891e-4f;

    static final float C1 = 4.166664568298827e-2f;
    static final float C2 = -1.388731625493765e-3f;
    static final float C3 = 2.443315711809948e-5f;

    private SineCosineFloat() {
    }

    /** The float nearest to w: the leading part of the split {@code w = high + low}. */
    public static float high(double w) {
        return (float) w;
    }

    /** {@code w - high(w)} rounded to float: with it, {@code high + low} is w to about 48 bits. */
    public static float low(double w) {
        return (float) (w - (float) w);
    }

    /** sin(w z) for {@code w = wHi + wLo}. */
    public static float sin(float z, float wHi, float wLo) {
        return inQuadrant(z, wHi, wLo, 0);
    }

    /** cos(w z) for {@code w = wHi + wLo}: the sine a quadrant on, {@code cos x = sin(x + pi/2)}. */
    public static float cos(float z, float wHi, float wLo) {
        return inQuadrant(z, wHi, wLo, 1);
    }

    /** {@code sin(w z + quarterTurns pi/2)}, for quarterTurns 0 (sine) and 1 (cosine). */
    private static float inQuadrant(float z, float wHi, float wLo, int quarterTurns) {
        float xHi = wHi * z;
        if (!(Math.abs(xHi) < REDUCTION_LIMIT)) {
            return beyondReduction(z, wHi, wLo, quarterTurns == 0);
        }
        float shifted = Math.fma(xHi, TWO_OVER_PI, ROUNDING_SHIFT);
        float r = reduce(xHi, lowPart(z, wHi, wLo, xHi), -(shifted - ROUNDING_SHIFT));
        int quadrant = (Float.floatToRawIntBits(shifted) + quarterTurns) & 3;
        float value = (quadrant & 1) == 0 ? sinKernel(r) : cosKernel(r);
        return (quadrant & 2) == 0 ? value : -value;
    }

    /** The rounding error of {@code xHi = fl(wHi z)} plus {@code wLo z}. */
    static float lowPart(float z, float wHi, float wLo, float xHi) {
        return Math.fma(wLo, z, Math.fma(wHi, z, -xHi));
    }

    /** {@code x - k pi/2} for {@code x = xHi + xLo}, in four steps. */
    static float reduce(float xHi, float xLo, float negK) {
        float r = Math.fma(negK, PI_OVER_2_HI, xHi);
        r = r + xLo;
        r = Math.fma(negK, PI_OVER_2_MID, r);
        return Math.fma(negK, PI_OVER_2_LO, r);
    }

    /** sin r for {@code |r| <= pi/4}. */
    static float sinKernel(float r) {
        float z = r * r;
        float p = Math.fma(z, Math.fma(z, S3, S2), S1);
        return Math.fma(z * r, p, r);
    }

    /** cos r for {@code |r| <= pi/4}. */
    static float cosKernel(float r) {
        float z = r * r;
        float p = z * Math.fma(z, Math.fma(z, C3, C2), C1);
        float half = 0.5f * z;
        float v = 1f - half;
        return v + Math.fma(z, p, (1f - v) - half);
    }

    /** The escape: {@link SineCosine} of {@code (wHi + wLo) z} in double, rounded to float. */
    static float beyondReduction(float z, float wHi, float wLo, boolean sine) {
        double x = ((double) wHi + wLo) * z;
        return (float) (sine ? SineCosine.sin(x) : SineCosine.cos(x));
    }
}
