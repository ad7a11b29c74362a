package io.hermitengp.network;

import io.hermitengp.field.Channels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernels} on the {@code jdk.incubator.vector} API (the JVM needs
 * {@code --add-modules jdk.incubator.vector}; {@link io.hermitengp.backend.cpu.CpuPath} loads this class only then).
 *
 * <p>Products are register-tiled: a block of 4 output rows by 3 vectors of output columns (12
 * accumulators, of AVX2's 16 registers) stays in registers while the summed index runs, each
 * step one broadcast of a left-hand element per row and one fused multiply-add per accumulator,
 * so the left-hand rows and right-hand columns are read once per block instead of once per output
 * element. Vectors always run across independent output columns (never across the summed index),
 * which is why the bits equal {@link ScalarTileKernels}' for any vector width; edges narrower than
 * a block take 2 vectors, 1, then one vector of which only the edge's lanes are kept (a 12-wide
 * encoding's last 4 columns, a scalar output's one). Sine and cosine are {@link SineCosine} lane
 * by lane.
 */
public final class VectorTileKernels implements TileKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int BLOCK_ROWS = 4;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void multiplyAdd(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset, int rows,
                            int inner, int cols) {
        // left element (row q, summed index k) at q inner + k
        product(a, aOffset, inner, 1, inner, b, bOffset, c, cOffset, rows, cols);
    }

    @Override
    public void multiplyAddTransposed(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
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
    private static void product(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                double[] c, int c0, int cRows, int cols) {
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
    private static void block4x3(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                 int cols, double[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        DoubleVector acc00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector acc01 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
        DoubleVector acc02 = DoubleVector.fromArray(SPECIES, c, c0 + 2 * LANES);
        DoubleVector acc10 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector acc11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
        DoubleVector acc12 = DoubleVector.fromArray(SPECIES, c, c1 + 2 * LANES);
        DoubleVector acc20 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector acc21 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
        DoubleVector acc22 = DoubleVector.fromArray(SPECIES, c, c2 + 2 * LANES);
        DoubleVector acc30 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector acc31 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
        DoubleVector acc32 = DoubleVector.fromArray(SPECIES, c, c3 + 2 * LANES);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            DoubleVector b0v = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1v = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector b2v = DoubleVector.fromArray(SPECIES, b, bk + 2 * LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + ak]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            acc02 = x.fma(b2v, acc02);
            x = DoubleVector.broadcast(SPECIES, a[a1 + ak]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            acc12 = x.fma(b2v, acc12);
            x = DoubleVector.broadcast(SPECIES, a[a2 + ak]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            acc22 = x.fma(b2v, acc22);
            x = DoubleVector.broadcast(SPECIES, a[a3 + ak]);
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
    private static void block4x2(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                 int cols, double[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        DoubleVector acc00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector acc01 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
        DoubleVector acc10 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector acc11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
        DoubleVector acc20 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector acc21 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
        DoubleVector acc30 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector acc31 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int bk = b0 + k * cols;
            int ak = k * kStride;
            DoubleVector b0v = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1v = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + ak]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            x = DoubleVector.broadcast(SPECIES, a[a1 + ak]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            x = DoubleVector.broadcast(SPECIES, a[a2 + ak]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            x = DoubleVector.broadcast(SPECIES, a[a3 + ak]);
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
     * an array the columns take the scalar {@link ScalarTileKernels#dot}. Either way each element is the same
     * chain, so the bits are the same.
     */
    private static void edgeBlock4(double[] a, int a0, int qStride, int kStride, int count, double[] b, int b0,
                                   int cols, int edge, double[] c, int c0) {
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        if (!fullLoadsFit(b, b0, cols, count, c, c3)) {
            for (int j = 0; j < edge; j++) {
                for (int row = 0; row < BLOCK_ROWS; row++) {
                    int at = c0 + row * cols + j;
                    c[at] = ScalarTileKernels.dot(a, a0 + row * qStride, kStride, b, b0 + j, cols, count, c[at]);
                }
            }
            return;
        }
        DoubleVector acc0 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector acc1 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector acc2 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector acc3 = DoubleVector.fromArray(SPECIES, c, c3);
        int a1 = a0 + qStride;
        int a2 = a1 + qStride;
        int a3 = a2 + qStride;
        for (int k = 0; k < count; k++) {
            int ak = k * kStride;
            DoubleVector bk = DoubleVector.fromArray(SPECIES, b, b0 + k * cols);
            acc0 = DoubleVector.broadcast(SPECIES, a[a0 + ak]).fma(bk, acc0);
            acc1 = DoubleVector.broadcast(SPECIES, a[a1 + ak]).fma(bk, acc1);
            acc2 = DoubleVector.broadcast(SPECIES, a[a2 + ak]).fma(bk, acc2);
            acc3 = DoubleVector.broadcast(SPECIES, a[a3 + ak]).fma(bk, acc3);
        }
        for (int j = 0; j < edge; j++) {
            c[c0 + j] = acc0.lane(j);
            c[c1 + j] = acc1.lane(j);
            c[c2 + j] = acc2.lane(j);
            c[c3 + j] = acc3.lane(j);
        }
    }

    /** One row by its {@code edge < LANES} edge columns, as {@link #edgeBlock4}. */
    private static void edgeRow(double[] a, int a0, int kStride, int count, double[] b, int b0, int cols, int edge,
                                double[] c, int c0) {
        if (!fullLoadsFit(b, b0, cols, count, c, c0)) {
            for (int j = 0; j < edge; j++) {
                c[c0 + j] = ScalarTileKernels.dot(a, a0, kStride, b, b0 + j, cols, count, c[c0 + j]);
            }
            return;
        }
        DoubleVector acc = DoubleVector.fromArray(SPECIES, c, c0);
        for (int k = 0; k < count; k++) {
            acc = DoubleVector.broadcast(SPECIES, a[a0 + k * kStride])
                    .fma(DoubleVector.fromArray(SPECIES, b, b0 + k * cols), acc);
        }
        for (int j = 0; j < edge; j++) {
            c[c0 + j] = acc.lane(j);
        }
    }

    /** Whether full vectors at b's rows {@code b0 + k cols} (k below count) and at {@code cLast} stay in the arrays. */
    private static boolean fullLoadsFit(double[] b, int b0, int cols, int count, double[] c, int cLast) {
        return b0 + (count - 1) * cols + LANES <= b.length && cLast + LANES <= c.length;
    }

    /** One row by one vector of c. */
    private static void rowVector(double[] a, int a0, int kStride, int count, double[] b, int b0, int cols,
                                  double[] c, int c0) {
        DoubleVector acc = DoubleVector.fromArray(SPECIES, c, c0);
        for (int k = 0; k < count; k++) {
            acc = DoubleVector.broadcast(SPECIES, a[a0 + k * kStride])
                    .fma(DoubleVector.fromArray(SPECIES, b, b0 + k * cols), acc);
        }
        acc.intoArray(c, c0);
    }

    @Override
    public void addRows(double[] a, int aOffset, int stride, int count, double[] c, int cOffset, int cols) {
        int j = 0;
        for (; j + LANES <= cols; j += LANES) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, c, cOffset + j);
            for (int p = 0; p < count; p++) {
                acc = acc.add(DoubleVector.fromArray(SPECIES, a, aOffset + p * stride + j));
            }
            acc.intoArray(c, cOffset + j);
        }
        for (; j < cols; j++) {
            double acc = c[cOffset + j];
            for (int p = 0; p < count; p++) {
                acc += a[aOffset + p * stride + j];
            }
            c[cOffset + j] = acc;
        }
    }

    @Override
    public void sineForward(double[] z, double[] a, double[] cosine, int points, Channels channels, int width,
                            double w) {
        int rowsPerPoint = channels.count();
        int dims = channels.dims();
        int laplacianAxes = channels.laplacianAxes();
        double wNegW = -w * w;
        int vectorEnd = width - width % LANES;
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            int cosBase = p * width;
            // pass 1: s = sin(w z) into the value row, c = cos(w z)
            for (int o = 0; o < vectorEnd; o += LANES) {
                sineCosine(z, base + o, w, a, base + o, cosine, cosBase + o);
            }
            for (int o = vectorEnd; o < width; o++) {
                double x = w * z[base + o];
                a[base + o] = SineCosine.sin(x);
                cosine[cosBase + o] = SineCosine.cos(x);
            }
            if (dims == 0) {
                continue;
            }
            // pass 2: the derivative channels from s and c
            for (int o = 0; o < vectorEnd; o += LANES) {
                DoubleVector c = DoubleVector.fromArray(SPECIES, cosine, cosBase + o);
                DoubleVector wc = c.mul(w);
                DoubleVector squares = DoubleVector.zero(SPECIES);
                for (int j = 0; j < dims; j++) {
                    int row = base + (1 + j) * width + o;
                    DoubleVector zj = DoubleVector.fromArray(SPECIES, z, row);
                    wc.mul(zj).intoArray(a, row);
                    if ((laplacianAxes >> j & 1) != 0) {
                        squares = squares.add(zj.mul(zj));
                    }
                }
                if (laplacianAxes != 0) {
                    int row = base + (1 + dims) * width + o;
                    DoubleVector s = DoubleVector.fromArray(SPECIES, a, base + o);
                    s.mul(wNegW).mul(squares).add(wc.mul(DoubleVector.fromArray(SPECIES, z, row))).intoArray(a, row);
                }
            }
            for (int o = vectorEnd; o < width; o++) {
                SirenMath.sineForwardUnit(z, base, a, base, width, o, dims, laplacianAxes, w,
                        a[base + o], cosine[cosBase + o]);
            }
        }
    }

    /**
     * {@link SineCosine#sin} and {@link SineCosine#cos} of {@code x = z w} for one vector of z, the
     * same operations lane for lane; lanes at or beyond the reduction limit (or NaN) are redone with
     * {@link Math}. Arrays in and out, so that no vector crosses a call the compiler may not inline
     * (it would be boxed).
     */
    static void sineCosine(double[] preActivation, int zOffset, double omega, double[] sin, int sinOffset,
                                   double[] cos, int cosOffset) {
        DoubleVector x = DoubleVector.fromArray(SPECIES, preActivation, zOffset).mul(omega);
        DoubleVector shifted = x.fma(SineCosine.TWO_OVER_PI, SineCosine.ROUNDING_SHIFT);
        DoubleVector k = shifted.sub(SineCosine.ROUNDING_SHIFT);
        DoubleVector negK = k.neg();
        DoubleVector r = negK.fma(constant(SineCosine.PI_OVER_2_HI), x);
        r = negK.fma(constant(SineCosine.PI_OVER_2_MID), r);
        r = negK.fma(constant(SineCosine.PI_OVER_2_LO), r);
        DoubleVector z = r.mul(r);

        DoubleVector v = z.mul(r);
        DoubleVector sinPoly = z.fma(SineCosine.S6, SineCosine.S5);
        sinPoly = z.fma(sinPoly, constant(SineCosine.S4));
        sinPoly = z.fma(sinPoly, constant(SineCosine.S3));
        sinPoly = z.fma(sinPoly, constant(SineCosine.S2));
        DoubleVector sinR = v.fma(z.fma(sinPoly, constant(SineCosine.S1)), r);

        DoubleVector cosPoly = z.fma(SineCosine.C6, SineCosine.C5);
        cosPoly = z.fma(cosPoly, constant(SineCosine.C4));
        cosPoly = z.fma(cosPoly, constant(SineCosine.C3));
        cosPoly = z.fma(cosPoly, constant(SineCosine.C2));
        cosPoly = z.mul(z.fma(cosPoly, constant(SineCosine.C1)));
        DoubleVector half = z.mul(0.5);
        DoubleVector one = constant(1.0);
        DoubleVector w = one.sub(half);
        DoubleVector cosR = w.add(z.fma(cosPoly, one.sub(w).sub(half)));

        // The quadrant q = k mod 4 in double lanes (the scalar code reads it from the low bits of
        // shifted), so no lanes are viewed as integers and no mask is cast between lane types:
        // fewer operations for C2 to intrinsify. (The boxed stores once seen here on JDK 17 were
        // later traced to C2's per-compile trap budget, which bin/hermite-ngp raises; whether the
        // integral form alone also failed was not measured apart from it.) floor(k/4) =
        // round((k - 1.5)/4) has no ties for integral k, and for |k| < 2^20 every step below is
        // exact.
        DoubleVector quarters = k.sub(1.5).mul(0.25).add(SineCosine.ROUNDING_SHIFT).sub(SineCosine.ROUNDING_SHIFT);
        DoubleVector quadrant = k.sub(quarters.mul(4.0));
        VectorMask<Double> q1 = quadrant.compare(VectorOperators.EQ, 1.0);
        VectorMask<Double> q2 = quadrant.compare(VectorOperators.EQ, 2.0);
        VectorMask<Double> q3 = quadrant.compare(VectorOperators.EQ, 3.0);
        VectorMask<Double> odd = q1.or(q3);
        DoubleVector s = sinR.blend(cosR, odd);
        DoubleVector c = cosR.blend(sinR, odd);
        // the signs by negation, a sign-bit flip as the scalar code's
        s.blend(s.neg(), q2.or(q3)).intoArray(sin, sinOffset);
        c.blend(c.neg(), q1.or(q2)).intoArray(cos, cosOffset);

        VectorMask<Double> reduced = x.abs().compare(VectorOperators.LT, SineCosine.REDUCTION_LIMIT);
        if (!reduced.allTrue()) {
            for (int lane = 0; lane < LANES; lane++) {
                if (!reduced.laneIsSet(lane)) {
                    double xl = preActivation[zOffset + lane] * omega;
                    sin[sinOffset + lane] = Math.sin(xl);
                    cos[cosOffset + lane] = Math.cos(xl);
                }
            }
        }
    }

    private static DoubleVector constant(double value) {
        return DoubleVector.broadcast(SPECIES, value);
    }

    @Override
    public void sineBackward(double[] z, double[] a, double[] cosine, double[] abar, double[] zbar, int points,
                             Channels channels, int width, double w) {
        int rowsPerPoint = channels.count();
        int dims = channels.dims();
        int laplacianAxes = channels.laplacianAxes();
        double w2 = w * w;
        double w3 = w2 * w;
        int vectorEnd = width - width % LANES;
        for (int p = 0; p < points; p++) {
            int base = p * rowsPerPoint * width;
            int cosBase = p * width;
            for (int o = 0; o < vectorEnd; o += LANES) {
                DoubleVector s = DoubleVector.fromArray(SPECIES, a, base + o);
                DoubleVector c = DoubleVector.fromArray(SPECIES, cosine, cosBase + o);
                int lapRow = base + (1 + dims) * width + o;
                DoubleVector abarL = laplacianAxes != 0 ? DoubleVector.fromArray(SPECIES, abar, lapRow)
                        : DoubleVector.zero(SPECIES);
                DoubleVector value = DoubleVector.fromArray(SPECIES, abar, base + o).mul(w).mul(c);
                DoubleVector squares = DoubleVector.zero(SPECIES);
                for (int j = 0; j < dims; j++) {
                    int row = base + (1 + j) * width + o;
                    DoubleVector zj = DoubleVector.fromArray(SPECIES, z, row);
                    DoubleVector abarJ = DoubleVector.fromArray(SPECIES, abar, row);
                    value = value.sub(s.mul(w2).mul(abarJ).mul(zj));
                    DoubleVector zbarJ = abarJ.mul(w).mul(c);
                    if ((laplacianAxes >> j & 1) != 0) {
                        zbarJ = zbarJ.sub(abarL.mul(2.0).mul(w2).mul(s).mul(zj));
                        squares = squares.add(zj.mul(zj));
                    }
                    zbarJ.intoArray(zbar, row);
                }
                if (laplacianAxes != 0) {
                    DoubleVector inner = c.mul(w3).mul(squares)
                            .add(s.mul(w2).mul(DoubleVector.fromArray(SPECIES, z, lapRow)));
                    value = value.sub(abarL.mul(inner));
                    abarL.mul(w).mul(c).intoArray(zbar, lapRow);
                }
                value.intoArray(zbar, base + o);
            }
            for (int o = vectorEnd; o < width; o++) {
                SirenMath.sineBackwardUnit(z, base, abar, base, zbar, base, width, o, dims,
                        laplacianAxes, w, a[base + o], cosine[cosBase + o]);
            }
        }
    }

    @Override
    public void columnProduct(double first, double[] x, int r0, int r1, int r2, int factors, double[] out,
                              int outOffset, int count) {
        int p = 0;
        for (; p + LANES <= count; p += LANES) {
            DoubleVector product = DoubleVector.fromArray(SPECIES, x, r0 + p).mul(first);
            if (factors > 1) {
                product = product.mul(DoubleVector.fromArray(SPECIES, x, r1 + p));
            }
            if (factors > 2) {
                product = product.mul(DoubleVector.fromArray(SPECIES, x, r2 + p));
            }
            product.intoArray(out, outOffset + p);
        }
        for (; p < count; p++) {
            double product = first * x[r0 + p];
            if (factors > 1) {
                product *= x[r1 + p];
            }
            if (factors > 2) {
                product *= x[r2 + p];
            }
            out[outOffset + p] = product;
        }
    }

    @Override
    public void columnMultiply(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset,
                               int count) {
        int p = 0;
        for (; p + LANES <= count; p += LANES) {
            DoubleVector.fromArray(SPECIES, x, xOffset + p).mul(DoubleVector.fromArray(SPECIES, y, yOffset + p))
                    .intoArray(out, outOffset + p);
        }
        for (; p < count; p++) {
            out[outOffset + p] = x[xOffset + p] * y[yOffset + p];
        }
    }

    @Override
    public void columnMultiplyAdd(double[] x, int xOffset, double[] y, int yOffset, double[] out, int outOffset,
                                  int count) {
        int p = 0;
        for (; p + LANES <= count; p += LANES) {
            DoubleVector product = DoubleVector.fromArray(SPECIES, x, xOffset + p)
                    .mul(DoubleVector.fromArray(SPECIES, y, yOffset + p));
            DoubleVector.fromArray(SPECIES, out, outOffset + p).add(product).intoArray(out, outOffset + p);
        }
        for (; p < count; p++) {
            out[outOffset + p] += x[xOffset + p] * y[yOffset + p];
        }
    }

    @Override
    public void columnAdd(double[] x, int xOffset, double[] out, int outOffset, int count) {
        int p = 0;
        for (; p + LANES <= count; p += LANES) {
            DoubleVector.fromArray(SPECIES, out, outOffset + p).add(DoubleVector.fromArray(SPECIES, x, xOffset + p))
                    .intoArray(out, outOffset + p);
        }
        for (; p < count; p++) {
            out[outOffset + p] += x[xOffset + p];
        }
    }

    @Override
    public void columnScale(double s, double[] out, int outOffset, int count) {
        int p = 0;
        for (; p + LANES <= count; p += LANES) {
            DoubleVector.fromArray(SPECIES, out, outOffset + p).mul(s).intoArray(out, outOffset + p);
        }
        for (; p < count; p++) {
            out[outOffset + p] = s * out[outOffset + p];
        }
    }
}
