package io.hermitengp.network;

import io.hermitengp.field.Channels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernels} on the {@code jdk.incubator.vector} API (the JVM needs
 * {@code --add-modules jdk.incubator.vector}; {@link io.hermitengp.backend.cpu.CpuPath} loads this class only then).
 *
 * <p>Products are register-tiled: a block of 4 output rows by 2 vectors of output columns stays in
 * registers while the summed index runs, each step one broadcast of a left-hand element per row
 * and one fused multiply-add per accumulator, so the left-hand rows and right-hand columns are
 * read once per block instead of once per output element. Vectors always run across independent
 * output columns (never across the summed index), which is why the bits equal
 * {@link ScalarTileKernels}' for any vector width; edges narrower than a block fall back to one
 * vector, then to scalar columns. Sine and cosine are {@link SineCosine} lane by lane.
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
        int r = 0;
        for (; r + BLOCK_ROWS <= rows; r += BLOCK_ROWS) {
            int a0 = aOffset + r * inner;
            int c0 = cOffset + r * cols;
            int j = 0;
            for (; j + 2 * LANES <= cols; j += 2 * LANES) {
                multiplyAddBlock(a, a0, inner, b, bOffset + j, cols, c, c0 + j);
            }
            for (; j + LANES <= cols; j += LANES) {
                for (int q = 0; q < BLOCK_ROWS; q++) {
                    multiplyAddVector(a, a0 + q * inner, inner, b, bOffset + j, cols, c, c0 + q * cols + j);
                }
            }
            for (; j < cols; j++) {
                for (int q = 0; q < BLOCK_ROWS; q++) {
                    c[c0 + q * cols + j] = dot(a, a0 + q * inner, 1, b, bOffset + j, cols, inner, c[c0 + q * cols + j]);
                }
            }
        }
        for (; r < rows; r++) {
            int ar = aOffset + r * inner;
            int cr = cOffset + r * cols;
            int j = 0;
            for (; j + LANES <= cols; j += LANES) {
                multiplyAddVector(a, ar, inner, b, bOffset + j, cols, c, cr + j);
            }
            for (; j < cols; j++) {
                c[cr + j] = dot(a, ar, 1, b, bOffset + j, cols, inner, c[cr + j]);
            }
        }
    }

    /**
     * Four rows by two vectors of c: {@code c[q, :] += sum_k a[q, k] b[k, :]}, the a rows
     * {@code aStride} apart, b and c rows {@code cols} apart.
     */
    private static void multiplyAddBlock(double[] a, int a0, int aStride, double[] b, int b0, int cols, double[] c,
                                         int c0) {
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
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int k = 0; k < aStride; k++) {
            int bk = b0 + k * cols;
            DoubleVector b0v = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1v = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
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

    /** One row by one vector: {@code c[0, :] += sum_k a[k] b[k, :]}. */
    private static void multiplyAddVector(double[] a, int a0, int inner, double[] b, int b0, int cols, double[] c,
                                          int c0) {
        DoubleVector acc = DoubleVector.fromArray(SPECIES, c, c0);
        for (int k = 0; k < inner; k++) {
            acc = DoubleVector.broadcast(SPECIES, a[a0 + k]).fma(DoubleVector.fromArray(SPECIES, b, b0 + k * cols), acc);
        }
        acc.intoArray(c, c0);
    }

    /** {@code acc + sum_k a[a0 + k aStep] b[b0 + k bStep]}, k ascending, fused steps. */
    private static double dot(double[] a, int a0, int aStep, double[] b, int b0, int bStep, int count, double acc) {
        for (int k = 0; k < count; k++) {
            acc = Math.fma(a[a0 + k * aStep], b[b0 + k * bStep], acc);
        }
        return acc;
    }

    @Override
    public void multiplyAddTransposed(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                                      int rows, int m, int cols) {
        int i = 0;
        for (; i + BLOCK_ROWS <= m; i += BLOCK_ROWS) {
            int c0 = cOffset + i * cols;
            int j = 0;
            // a's column i + q is the left-hand "row" q of the block: elements m apart
            for (; j + 2 * LANES <= cols; j += 2 * LANES) {
                multiplyAddTransposedBlock(a, aOffset + i, m, rows, b, bOffset + j, cols, c, c0 + j);
            }
            for (; j + LANES <= cols; j += LANES) {
                for (int q = 0; q < BLOCK_ROWS; q++) {
                    multiplyAddTransposedVector(a, aOffset + i + q, m, rows, b, bOffset + j, cols, c,
                            c0 + q * cols + j);
                }
            }
            for (; j < cols; j++) {
                for (int q = 0; q < BLOCK_ROWS; q++) {
                    c[c0 + q * cols + j] = dot(a, aOffset + i + q, m, b, bOffset + j, cols, rows, c[c0 + q * cols + j]);
                }
            }
        }
        for (; i < m; i++) {
            int ci = cOffset + i * cols;
            int j = 0;
            for (; j + LANES <= cols; j += LANES) {
                multiplyAddTransposedVector(a, aOffset + i, m, rows, b, bOffset + j, cols, c, ci + j);
            }
            for (; j < cols; j++) {
                c[ci + j] = dot(a, aOffset + i, m, b, bOffset + j, cols, rows, c[ci + j]);
            }
        }
    }

    /** Four rows of c by two vectors: {@code c[q, :] += sum_r a[r, q] b[r, :]}, a's rows {@code m} apart. */
    private static void multiplyAddTransposedBlock(double[] a, int a0, int m, int rows, double[] b, int b0, int cols,
                                                   double[] c, int c0) {
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
        for (int r = 0; r < rows; r++) {
            int br = b0 + r * cols;
            int ar = a0 + r * m;
            DoubleVector b0v = DoubleVector.fromArray(SPECIES, b, br);
            DoubleVector b1v = DoubleVector.fromArray(SPECIES, b, br + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[ar]);
            acc00 = x.fma(b0v, acc00);
            acc01 = x.fma(b1v, acc01);
            x = DoubleVector.broadcast(SPECIES, a[ar + 1]);
            acc10 = x.fma(b0v, acc10);
            acc11 = x.fma(b1v, acc11);
            x = DoubleVector.broadcast(SPECIES, a[ar + 2]);
            acc20 = x.fma(b0v, acc20);
            acc21 = x.fma(b1v, acc21);
            x = DoubleVector.broadcast(SPECIES, a[ar + 3]);
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

    /** One row of c by one vector: {@code c[0, :] += sum_r a[r m] b[r, :]}. */
    private static void multiplyAddTransposedVector(double[] a, int a0, int m, int rows, double[] b, int b0, int cols,
                                                    double[] c, int c0) {
        DoubleVector acc = DoubleVector.fromArray(SPECIES, c, c0);
        for (int r = 0; r < rows; r++) {
            acc = DoubleVector.broadcast(SPECIES, a[a0 + r * m]).fma(DoubleVector.fromArray(SPECIES, b, b0 + r * cols),
                    acc);
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
                DoubleVector x = DoubleVector.fromArray(SPECIES, z, base + o).mul(w);
                sineCosine(x, a, base + o, cosine, cosBase + o);
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
     * {@link SineCosine#sin} and {@link SineCosine#cos} of every lane of x, the same operations lane
     * for lane; lanes at or beyond the reduction limit (or NaN) are redone with {@link Math}.
     */
    private static void sineCosine(DoubleVector x, double[] sin, int sinOffset, double[] cos, int cosOffset) {
        DoubleVector shifted = x.fma(SineCosine.TWO_OVER_PI, SineCosine.ROUNDING_SHIFT);
        DoubleVector negK = shifted.sub(SineCosine.ROUNDING_SHIFT).neg();
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

        LongVector quadrant = (LongVector) shifted.viewAsIntegralLanes();
        VectorMask<Double> odd = quadrant.and(1L).compare(VectorOperators.NE, 0L).cast(SPECIES);
        LongVector sinSign = quadrant.and(2L).lanewise(VectorOperators.LSHL, 62);
        LongVector cosSign = quadrant.add(1L).and(2L).lanewise(VectorOperators.LSHL, 62);
        DoubleVector s = sinR.blend(cosR, odd);
        DoubleVector c = cosR.blend(sinR, odd);
        ((LongVector) s.viewAsIntegralLanes()).lanewise(VectorOperators.XOR, sinSign).viewAsFloatingLanes()
                .intoArray(sin, sinOffset);
        ((LongVector) c.viewAsIntegralLanes()).lanewise(VectorOperators.XOR, cosSign).viewAsFloatingLanes()
                .intoArray(cos, cosOffset);

        VectorMask<Double> reduced = x.abs().compare(VectorOperators.LT, SineCosine.REDUCTION_LIMIT);
        if (!reduced.allTrue()) {
            for (int lane = 0; lane < LANES; lane++) {
                if (!reduced.laneIsSet(lane)) {
                    double xl = x.lane(lane);
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
}
