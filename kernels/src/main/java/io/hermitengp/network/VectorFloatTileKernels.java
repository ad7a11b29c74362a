package io.hermitengp.network;

import io.hermitengp.field.Channels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatTileKernels} on the {@code jdk.incubator.vector} API (loaded only with the module,
 * as {@link VectorTileKernels} is). The products are {@link VectorTileKernels}' register tiles
 * (4 rows by 3 vectors of columns) on float vectors, twice the lanes of double ones in the same
 * registers. The sines and cosines of a point's value row are {@link SineCosineFloat} on float
 * vectors; the derivative channels are float vectors in the scalar kernels' order.
 */
public final class VectorFloatTileKernels implements FloatTileKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int BLOCK_ROWS = 4;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void multiplyAdd(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int rows,
                            int inner, int cols) {
        // left element (row q, summed index k) at q inner + k
        product(a, aOffset, inner, 1, inner, b, bOffset, c, cOffset, rows, cols);
    }

    @Override
    public void multiplyAddTransposed(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                                      int rows, int m, int cols) {
        // left element (row i of c, summed index r) at r m + i
        product(a, aOffset, 1, m, rows, b, bOffset, c, cOffset, m, cols);
    }

    /**
     * {@code c[q, j] += sum_k left(q, k) b[k, j]} for q below cRows and j below cols, k ascending,
     * with {@code left(q, k) = a[a0 + q qStride + k kStride]}: the products of both kernels.
     * Blocks of 4 rows by 3, 2 or 1 vectors of columns, then the edge columns (fewer than a vector)
     * of the same 4 rows; leftover rows one at a time.
     */
    private static void product(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                float[] c, int c0, int cRows, int cols) {
        int q = 0;
        for (; q + BLOCK_ROWS <= cRows; q += BLOCK_ROWS) {
            int aq = a0 + q * qStride;
            int cq = c0 + q * cols;
            int j = 0;
            // three-vector blocks, but four vectors left are two blocks of two rather than three and one
            for (; j + 3 * LANES <= cols && cols - j != 4 * LANES; j += 3 * LANES) {
                block4x3(a, aq, qStride, kStride, count, b, b0 + j, cols, c, cq + j);
            }
            for (; j + 2 * LANES <= cols; j += 2 * LANES) {
                block4x2(a, aq, qStride, kStride, count, b, b0 + j, cols, c, cq + j);
            }
            for (; j + LANES <= cols; j += LANES) {
                for (int row = 0; row < BLOCK_ROWS; row++) {
                    rowVector(a, aq + row * qStride, kStride, count, b, b0 + j, cols, c, cq + row * cols + j);
                }
            }
            if (j < cols) {
                edgeBlock4(a, aq, qStride, kStride, count, b, b0 + j, cols, cols - j, c, cq + j);
            }
        }
        for (; q < cRows; q++) {
            int aq = a0 + q * qStride;
            int cq = c0 + q * cols;
            int j = 0;
            for (; j + LANES <= cols; j += LANES) {
                rowVector(a, aq, kStride, count, b, b0 + j, cols, c, cq + j);
            }
            if (j < cols) {
                edgeRow(a, aq, kStride, count, b, b0 + j, cols, cols - j, c, cq + j);
            }
        }
    }

    /** Four rows by three vectors of c, in twelve registers while k runs. */
    private static void block4x3(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                 int cols, float[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        FloatVector acc00 = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector acc01 = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector acc02 = FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES);
        FloatVector acc10 = FloatVector.fromArray(SPECIES, c, c1);
        FloatVector acc11 = FloatVector.fromArray(SPECIES, c, c1 + LANES);
        FloatVector acc12 = FloatVector.fromArray(SPECIES, c, c1 + 2 * LANES);
        FloatVector acc20 = FloatVector.fromArray(SPECIES, c, c2);
        FloatVector acc21 = FloatVector.fromArray(SPECIES, c, c2 + LANES);
        FloatVector acc22 = FloatVector.fromArray(SPECIES, c, c2 + 2 * LANES);
        FloatVector acc30 = FloatVector.fromArray(SPECIES, c, c3);
        FloatVector acc31 = FloatVector.fromArray(SPECIES, c, c3 + LANES);
        FloatVector acc32 = FloatVector.fromArray(SPECIES, c, c3 + 2 * LANES);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector b2v = FloatVector.fromArray(SPECIES, b, bk + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ak]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            acc02 = x.fma(b2v, acc02);
            x = FloatVector.broadcast(SPECIES, a[a1 + ak]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            acc12 = x.fma(b2v, acc12);
            x = FloatVector.broadcast(SPECIES, a[a2 + ak]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            acc22 = x.fma(b2v, acc22);
            x = FloatVector.broadcast(SPECIES, a[a3 + ak]);
            acc30 = x.fma(b0v, acc30);
            acc31 = x.fma(b1v, acc31);
            acc32 = x.fma(b2v, acc32);
        }
        acc00.intoArray(c, c0);
        acc01.intoArray(c, c0 + LANES);
        acc02.intoArray(c, c0 + 2 * LANES);
        acc10.intoArray(c, c1);
        acc11.intoArray(c, c1 + LANES);
        acc12.intoArray(c, c1 + 2 * LANES);
        acc20.intoArray(c, c2);
        acc21.intoArray(c, c2 + LANES);
        acc22.intoArray(c, c2 + 2 * LANES);
        acc30.intoArray(c, c3);
        acc31.intoArray(c, c3 + LANES);
        acc32.intoArray(c, c3 + 2 * LANES);
    }

    /** Four rows by two vectors of c: the column edge narrower than three vectors. */
    private static void block4x2(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                 int cols, float[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        FloatVector acc00 = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector acc01 = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector acc10 = FloatVector.fromArray(SPECIES, c, c1);
        FloatVector acc11 = FloatVector.fromArray(SPECIES, c, c1 + LANES);
        FloatVector acc20 = FloatVector.fromArray(SPECIES, c, c2);
        FloatVector acc21 = FloatVector.fromArray(SPECIES, c, c2 + LANES);
        FloatVector acc30 = FloatVector.fromArray(SPECIES, c, c3);
        FloatVector acc31 = FloatVector.fromArray(SPECIES, c, c3 + LANES);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            FloatVector b0v = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1v = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ak]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            x = FloatVector.broadcast(SPECIES, a[a1 + ak]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            x = FloatVector.broadcast(SPECIES, a[a2 + ak]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            x = FloatVector.broadcast(SPECIES, a[a3 + ak]);
            acc30 = x.fma(b0v, acc30);
            acc31 = x.fma(b1v, acc31);
        }
        acc00.intoArray(c, c0);
        acc01.intoArray(c, c0 + LANES);
        acc10.intoArray(c, c1);
        acc11.intoArray(c, c1 + LANES);
        acc20.intoArray(c, c2);
        acc21.intoArray(c, c2 + LANES);
        acc30.intoArray(c, c3);
        acc31.intoArray(c, c3 + LANES);
    }

    /**
     * Four rows by the {@code edge < LANES} columns of c from {@code c0} (with {@code b0} at the same
     * column), the columns left after the full vectors: four independent chains of fused
     * multiply-adds in vector registers rather than {@code 4 edge} scalar chains one after another.
     * The loads are full vectors whose lanes past the edge read neighbouring elements and are
     * discarded, so only the edge's lanes are written back, and where a full-width load would leave
     * an array the columns take the scalar {@link ScalarFloatTileKernels#dot}. Either way each element is the same
     * chain, so the bits are the same.
     */
    private static void edgeBlock4(float[] a, int a0, int qStride, int kStride, int count, float[] b, int b0,
                                   int cols, int edge, float[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        if (!fullLoadsFit(b, b0, cols, count, c, c3)) {
            for (int j = 0; j < edge; j++) {
                for (int row = 0; row < BLOCK_ROWS; row++) {
                    int at = c0 + row * cols + j;
                    c[at] = ScalarFloatTileKernels.dot(a, a0 + row * qStride, kStride, b, b0 + j, cols, count, c[at]);
                }
            }
            return;
        }
        FloatVector acc0 = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector acc1 = FloatVector.fromArray(SPECIES, c, c1);
        FloatVector acc2 = FloatVector.fromArray(SPECIES, c, c2);
        FloatVector acc3 = FloatVector.fromArray(SPECIES, c, c3);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int ak = k * kStride;
            FloatVector bk = FloatVector.fromArray(SPECIES, b, b0 + k * cols);
            acc0 = FloatVector.broadcast(SPECIES, a[a0 + ak]).fma(bk, acc0);
            acc1 = FloatVector.broadcast(SPECIES, a[a1 + ak]).fma(bk, acc1);
            acc2 = FloatVector.broadcast(SPECIES, a[a2 + ak]).fma(bk, acc2);
            acc3 = FloatVector.broadcast(SPECIES, a[a3 + ak]).fma(bk, acc3);
        }
        for (int j = 0; j < edge; j++) {
            c[c0 + j] = acc0.lane(j);
            c[c1 + j] = acc1.lane(j);
            c[c2 + j] = acc2.lane(j);
            c[c3 + j] = acc3.lane(j);
        }
    }

    /** One row by its {@code edge < LANES} edge columns, as {@link #edgeBlock4}. */
    private static void edgeRow(float[] a, int a0, int kStride, int count, float[] b, int b0, int cols, int edge,
                                float[] c, int c0) {
        if (!fullLoadsFit(b, b0, cols, count, c, c0)) {
            for (int j = 0; j < edge; j++) {
                c[c0 + j] = ScalarFloatTileKernels.dot(a, a0, kStride, b, b0 + j, cols, count, c[c0 + j]);
            }
            return;
        }
        FloatVector acc = FloatVector.fromArray(SPECIES, c, c0);
        for (int k = 0; k < count; k++) {
            acc = FloatVector.broadcast(SPECIES, a[a0 + k * kStride])
                    .fma(FloatVector.fromArray(SPECIES, b, b0 + k * cols), acc);
        }
        for (int j = 0; j < edge; j++) {
            c[c0 + j] = acc.lane(j);
        }
    }

    /** Whether full vectors at b's rows {@code b0 + k cols} (k below count) and at {@code cLast} stay in the arrays. */
    private static boolean fullLoadsFit(float[] b, int b0, int cols, int count, float[] c, int cLast) {
        return b0 + (count - 1) * cols + LANES <= b.length && cLast + LANES <= c.length;
    }

    /** One row by one vector of c. */
    private static void rowVector(float[] a, int a0, int kStride, int count, float[] b, int b0, int cols,
                                  float[] c, int c0) {
        FloatVector acc = FloatVector.fromArray(SPECIES, c, c0);
        for (int k = 0; k < count; k++) {
            acc = FloatVector.broadcast(SPECIES, a[a0 + k * kStride])
                    .fma(FloatVector.fromArray(SPECIES, b, b0 + k * cols), acc);
        }
        acc.intoArray(c, c0);
    }

    @Override
    public void sineForward(float[] z, float[] a, float[] cosine, int points, Channels channels, int width,
                            double w) {
        int rowsPerPoint = channels.count();
        int dims = channels.dims();
        int laplacianAxes = channels.laplacianAxes();
        float wf = (float) w;
        float wNegW = -wf * wf;
        int vectorEnd = width - width % LANES;
        float wHi = SineCosineFloat.high(w);
        float wLo = SineCosineFloat.low(w);
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            int cosBase = p * width;
            // pass 1: s = sin(w z) into the value row, c = cos(w z)
            for (int o = 0; o < vectorEnd; o += LANES) {
                sineCosine(z, base + o, wHi, wLo, a, base + o, cosine, cosBase + o);
            }
            for (int o = vectorEnd; o < width; o++) {
                a[base + o] = SineCosineFloat.sin(z[base + o], wHi, wLo);
                cosine[cosBase + o] = SineCosineFloat.cos(z[base + o], wHi, wLo);
            }
            if (dims == 0) {
                continue;
            }
            // pass 2: the derivative channels from s and c
            for (int o = 0; o < vectorEnd; o += LANES) {
                FloatVector wc = FloatVector.fromArray(SPECIES, cosine, cosBase + o).mul(wf);
                FloatVector squares = FloatVector.zero(SPECIES);
                for (int j = 0; j < dims; j++) {
                    int row = base + (1 + j) * width + o;
                    FloatVector zj = FloatVector.fromArray(SPECIES, z, row);
                    wc.mul(zj).intoArray(a, row);
                    if ((laplacianAxes >> j & 1) != 0) {
                        squares = squares.add(zj.mul(zj));
                    }
                }
                if (laplacianAxes != 0) {
                    int row = base + (1 + dims) * width + o;
                    FloatVector s = FloatVector.fromArray(SPECIES, a, base + o);
                    s.mul(wNegW).mul(squares).add(wc.mul(FloatVector.fromArray(SPECIES, z, row))).intoArray(a, row);
                }
            }
            for (int o = vectorEnd; o < width; o++) {
                ScalarFloatTileKernels.sineForwardUnit(z, base, a, width, o, dims, laplacianAxes, wf,
                        cosine[cosBase + o]);
            }
        }
    }

    /**
     * {@link SineCosineFloat#sin} and {@link SineCosineFloat#cos} of {@code w z} for one vector of
     * z, the same operations lane for lane; lanes at or beyond the reduction limit (or NaN) are
     * redone by {@link SineCosineFloat}. Arrays in and out, so that no vector crosses a call the
     * compiler may not inline (it would be boxed).
     */
    static void sineCosine(float[] preActivation, int zOffset, float wHi, float wLo, float[] sin, int sinOffset,
                           float[] cos, int cosOffset) {
        FloatVector z = FloatVector.fromArray(SPECIES, preActivation, zOffset);
        FloatVector xHi = z.mul(wHi);
        FloatVector xLo = z.fma(constant(wLo), z.fma(constant(wHi), xHi.neg()));
        FloatVector shifted = xHi.fma(SineCosineFloat.TWO_OVER_PI, SineCosineFloat.ROUNDING_SHIFT);
        FloatVector k = shifted.sub(SineCosineFloat.ROUNDING_SHIFT);
        FloatVector negK = k.neg();
        FloatVector r = negK.fma(constant(SineCosineFloat.PI_OVER_2_HI), xHi);
        r = r.add(xLo);
        r = negK.fma(constant(SineCosineFloat.PI_OVER_2_MID), r);
        r = negK.fma(constant(SineCosineFloat.PI_OVER_2_LO), r);
        FloatVector r2 = r.mul(r);

        FloatVector sinPoly = r2.fma(SineCosineFloat.S3, SineCosineFloat.S2);
        sinPoly = r2.fma(sinPoly, constant(SineCosineFloat.S1));
        FloatVector sinR = r2.mul(r).fma(sinPoly, r);

        FloatVector cosPoly = r2.fma(SineCosineFloat.C3, SineCosineFloat.C2);
        cosPoly = r2.mul(r2.fma(cosPoly, constant(SineCosineFloat.C1)));
        FloatVector half = r2.mul(0.5f);
        FloatVector one = constant(1f);
        FloatVector v = one.sub(half);
        FloatVector cosR = v.add(r2.fma(cosPoly, one.sub(v).sub(half)));

        // the quadrant in float lanes (why: VectorTileKernels.sineCosine); exact for |k| < 2^13
        FloatVector quarters = k.sub(1.5f).mul(0.25f).add(SineCosineFloat.ROUNDING_SHIFT)
                .sub(SineCosineFloat.ROUNDING_SHIFT);
        FloatVector quadrant = k.sub(quarters.mul(4f));
        VectorMask<Float> q1 = quadrant.compare(VectorOperators.EQ, 1f);
        VectorMask<Float> q2 = quadrant.compare(VectorOperators.EQ, 2f);
        VectorMask<Float> q3 = quadrant.compare(VectorOperators.EQ, 3f);
        VectorMask<Float> odd = q1.or(q3);
        FloatVector s = sinR.blend(cosR, odd);
        FloatVector c = cosR.blend(sinR, odd);
        s.blend(s.neg(), q2.or(q3)).intoArray(sin, sinOffset);
        c.blend(c.neg(), q1.or(q2)).intoArray(cos, cosOffset);

        VectorMask<Float> reduced = xHi.abs().compare(VectorOperators.LT, SineCosineFloat.REDUCTION_LIMIT);
        if (!reduced.allTrue()) {
            for (int lane = 0; lane < LANES; lane++) {
                if (!reduced.laneIsSet(lane)) {
                    float zl = preActivation[zOffset + lane];
                    sin[sinOffset + lane] = SineCosineFloat.beyondReduction(zl, wHi, wLo, true);
                    cos[cosOffset + lane] = SineCosineFloat.beyondReduction(zl, wHi, wLo, false);
                }
            }
        }
    }

    private static FloatVector constant(float value) {
        return FloatVector.broadcast(SPECIES, value);
    }

    @Override
    public void sineBackward(float[] z, float[] a, float[] cosine, float[] abar, float[] zbar, int points,
                             Channels channels, int width, double w) {
        int rowsPerPoint = channels.count();
        int dims = channels.dims();
        int laplacianAxes = channels.laplacianAxes();
        float wf = (float) w;
        float w2 = wf * wf;
        float w3 = w2 * wf;
        int vectorEnd = width - width % LANES;
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            int cosBase = p * width;
            for (int o = 0; o < vectorEnd; o += LANES) {
                FloatVector s = FloatVector.fromArray(SPECIES, a, base + o);
                FloatVector c = FloatVector.fromArray(SPECIES, cosine, cosBase + o);
                FloatVector sW2 = s.mul(w2);
                int lapRow = base + (1 + dims) * width + o;
                FloatVector abarL = laplacianAxes != 0 ? FloatVector.fromArray(SPECIES, abar, lapRow)
                        : FloatVector.zero(SPECIES);
                FloatVector value = FloatVector.fromArray(SPECIES, abar, base + o).mul(wf).mul(c);
                FloatVector squares = FloatVector.zero(SPECIES);
                for (int j = 0; j < dims; j++) {
                    int row = base + (1 + j) * width + o;
                    FloatVector zj = FloatVector.fromArray(SPECIES, z, row);
                    FloatVector abarJ = FloatVector.fromArray(SPECIES, abar, row);
                    value = value.sub(sW2.mul(abarJ).mul(zj));
                    FloatVector zbarJ = abarJ.mul(wf).mul(c);
                    if ((laplacianAxes >> j & 1) != 0) {
                        zbarJ = zbarJ.sub(abarL.mul(2f).mul(w2).mul(s).mul(zj));
                        squares = squares.add(zj.mul(zj));
                    }
                    zbarJ.intoArray(zbar, row);
                }
                if (laplacianAxes != 0) {
                    FloatVector inner = c.mul(w3).mul(squares).add(sW2.mul(FloatVector.fromArray(SPECIES, z, lapRow)));
                    value = value.sub(abarL.mul(inner));
                    abarL.mul(wf).mul(c).intoArray(zbar, lapRow);
                }
                value.intoArray(zbar, base + o);
            }
            for (int o = vectorEnd; o < width; o++) {
                ScalarFloatTileKernels.sineBackwardUnit(z, abar, zbar, base, width, o, dims, laplacianAxes, wf,
                        a[base + o], cosine[cosBase + o]);
            }
        }
    }
}
