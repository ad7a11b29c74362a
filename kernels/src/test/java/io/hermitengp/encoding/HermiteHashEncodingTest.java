package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HermiteHashEncodingTest {

    /** Evaluates channel ch of feature f of one level at x. */
    private static double channel(HermiteHashEncoding enc, double[] params, double[] x, Channels channels, int ch,
                                  int level, int feature) {
        double[] out = new double[channels.count() * enc.outputWidth()];
        enc.forward(params, 0, x, 0, enc.layout().levels(), channels, out, 0);
        return out[ch * enc.outputWidth() + level * enc.layout().features() + feature];
    }

    private static double[] randomParams(HermiteHashEncoding enc, long seed) {
        double[] params = new double[enc.parameterCount()];
        enc.initialize(params, 0, TableInit.uniform(1.0), new SplittableRandom(seed));
        return params;
    }

    /** Stores f and its derivatives at every vertex of a dense level. */
    private static void store(HermiteHashEncoding enc, double[] params, int level,
                              ToDoubleFunction<double[]>[] derivativeByAlpha) {
        HermiteGridLayout layout = enc.layout();
        int d = layout.dims();
        int n = layout.resolution(level);
        int[] vertex = new int[d];
        double[] x = new double[d];
        int count = (int) Math.pow(n + 1, d);
        for (int v = 0; v < count; v++) {
            int rest = v;
            for (int i = 0; i < d; i++) {
                vertex[i] = rest % (n + 1);
                rest /= n + 1;
                x[i] = enc.box().lo(i) + enc.box().extent(i) * vertex[i] / n;
            }
            for (int alpha = 0; alpha < (1 << d); alpha++) {
                double value = derivativeByAlpha[alpha].applyAsDouble(x);
                if (enc.units() == CoefficientUnits.CELL) {
                    for (int i = 0; i < d; i++) {
                        if ((alpha >> i & 1) != 0) {
                            value *= enc.box().extent(i) / n;
                        }
                    }
                }
                int entry = layout.entryIndex(level, HermiteEncodingMath.popCount3(alpha), vertex);
                int offset = layout.coefficientOffset(level, alpha, entry);
                for (int f = 0; f < layout.features(); f++) {
                    params[offset + f] = value;
                }
            }
        }
    }

    @Test
    void zeroDerivativeTablesGiveSmoothstepInterpolation() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 1, 1, 5, 5, new int[]{10, 10, 10});
        Box box = new Box(new double[]{-1, 0}, new double[]{1, 3});
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, box, CoefficientUnits.CELL);
        double[] params = randomParams(enc, 3);
        for (int alpha = 1; alpha < 4; alpha++) {
            for (int e = 0; e < layout.entries(0, HermiteEncodingMath.popCount3(alpha)); e++) {
                params[layout.coefficientOffset(0, alpha, e)] = 0;
            }
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 50; trial++) {
            double[] x = {-1 + 2 * random.nextDouble(), 3 * random.nextDouble()};
            double px = (x[0] + 1) / 2 * 5;
            double py = x[1] / 3 * 5;
            int cx = Math.min((int) px, 4);
            int cy = Math.min((int) py, 4);
            double sx = smoothstep(px - cx);
            double sy = smoothstep(py - cy);
            double expected = 0;
            for (int corner = 0; corner < 4; corner++) {
                int gx = cx + (corner & 1);
                int gy = cy + (corner >> 1 & 1);
                double theta = params[layout.coefficientOffset(0, 0, layout.entryIndex(0, 0, new int[]{gx, gy}))];
                expected += theta * ((corner & 1) == 1 ? sx : 1 - sx) * ((corner >> 1 & 1) == 1 ? sy : 1 - sy);
            }
            assertEquals(expected, channel(enc, params, x, Channels.valueAndGradient(2), 0, 0, 0), 1e-14,
                    "smoothstep interpolation at (" + x[0] + ", " + x[1] + ")");
        }
    }

    private static double smoothstep(double t) {
        return t * t * (3 - 2 * t);
    }

    @ParameterizedTest
    @CsvSource({"CELL", "PHYSICAL"})
    @SuppressWarnings("unchecked")
    void separableCubicOnADenseLevelIsReproducedExactly(CoefficientUnits units) {
        HermiteGridLayout layout = new HermiteGridLayout(2, 1, 1, 6, 6, new int[]{10, 10, 10});
        Box box = new Box(new double[]{-1, -2}, new double[]{1, 1});
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, box, units);
        // f(x, y) = p(x) q(y), p(x) = 2x^3 - x + 0.5, q(y) = -y^3 + 2y^2 + 1
        ToDoubleFunction<double[]>[] f = new ToDoubleFunction[]{
                (ToDoubleFunction<double[]>) x -> p(x[0]) * q(x[1]),
                (ToDoubleFunction<double[]>) x -> dp(x[0]) * q(x[1]),
                (ToDoubleFunction<double[]>) x -> p(x[0]) * dq(x[1]),
                (ToDoubleFunction<double[]>) x -> dp(x[0]) * dq(x[1])};
        double[] params = new double[enc.parameterCount()];
        store(enc, params, 0, f);
        Channels channels = Channels.withFullLaplacian(2);
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 100; trial++) {
            double[] x = {-1 + 2 * random.nextDouble(), -2 + 3 * random.nextDouble()};
            String at = " at (" + x[0] + ", " + x[1] + ")";
            assertEquals(p(x[0]) * q(x[1]), channel(enc, params, x, channels, 0, 0, 0), 1e-12, "value" + at);
            assertEquals(dp(x[0]) * q(x[1]), channel(enc, params, x, channels, 1, 0, 0), 1e-11, "d/dx" + at);
            assertEquals(p(x[0]) * dq(x[1]), channel(enc, params, x, channels, 2, 0, 0), 1e-11, "d/dy" + at);
            assertEquals(ddp(x[0]) * q(x[1]) + p(x[0]) * ddq(x[1]), channel(enc, params, x, channels, 3, 0, 0),
                    1e-10, "laplacian" + at);
        }
    }

    private static double p(double x) {
        return 2 * x * x * x - x + 0.5;
    }

    private static double dp(double x) {
        return 6 * x * x - 1;
    }

    private static double ddp(double x) {
        return 12 * x;
    }

    private static double q(double y) {
        return -y * y * y + 2 * y * y + 1;
    }

    private static double dq(double y) {
        return -3 * y * y + 4 * y;
    }

    private static double ddq(double y) {
        return -6 * y + 4;
    }

    @ParameterizedTest
    @CsvSource({"CELL", "PHYSICAL"})
    @SuppressWarnings("unchecked")
    void identityIsReproducedAtEveryLevel(CoefficientUnits units) {
        HermiteGridLayout layout = new HermiteGridLayout(2, 5, 1, 3, 40, new int[]{12, 12, 12});
        Box box = new Box(new double[]{-1, -1}, new double[]{3, 1});
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, box, units);
        ToDoubleFunction<double[]>[] f = new ToDoubleFunction[]{
                (ToDoubleFunction<double[]>) x -> x[0],
                (ToDoubleFunction<double[]>) x -> 1.0,
                (ToDoubleFunction<double[]>) x -> 0.0,
                (ToDoubleFunction<double[]>) x -> 0.0};
        double[] params = new double[enc.parameterCount()];
        for (int l = 0; l < layout.levels(); l++) {
            store(enc, params, l, f);
        }
        Channels channels = Channels.withFullLaplacian(2);
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 40; trial++) {
            double[] x = {-1 + 4 * random.nextDouble(), -1 + 2 * random.nextDouble()};
            for (int l = 0; l < layout.levels(); l++) {
                String at = " at level " + l + " (N=" + layout.resolution(l) + "), x=" + x[0];
                assertEquals(x[0], channel(enc, params, x, channels, 0, l, 0), 1e-12, "value" + at);
                assertEquals(1.0, channel(enc, params, x, channels, 1, l, 0), 1e-11, "d/dx" + at);
                assertEquals(0.0, channel(enc, params, x, channels, 2, l, 0), 1e-11, "d/dy" + at);
                assertEquals(0.0, channel(enc, params, x, channels, 3, l, 0), 1e-9, "laplacian" + at);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2", "3"})
    void valueAndGradientAreContinuousAcrossCellFaces(int dims) {
        int[] sizes = dims == 2 ? new int[]{8, 8, 8} : new int[]{8, 8, 8, 8};
        HermiteGridLayout layout = new HermiteGridLayout(dims, 3, 2, 4, 40, sizes);
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, Box.cube(dims, -1, 1), CoefficientUnits.CELL);
        double[] params = randomParams(enc, 21);
        Channels channels = Channels.valueAndGradient(dims);
        SplittableRandom random = new SplittableRandom(4);
        double eps = 1e-9;
        for (int trial = 0; trial < 30; trial++) {
            for (int l = 0; l < layout.levels(); l++) {
                int n = layout.resolution(l);
                int axis = random.nextInt(dims);
                double[] x = new double[dims];
                for (int i = 0; i < dims; i++) {
                    x[i] = -1 + 2 * random.nextDouble();
                }
                x[axis] = -1 + 2.0 * (1 + random.nextInt(n - 1)) / n;   // on an interior face
                double[] left = x.clone();
                double[] right = x.clone();
                left[axis] -= eps;
                right[axis] += eps;
                for (int ch = 0; ch < channels.count(); ch++) {
                    for (int f = 0; f < 2; f++) {
                        double a = channel(enc, params, left, channels, ch, l, f);
                        double b = channel(enc, params, right, channels, ch, l, f);
                        double scale = 1 + Math.abs(a) * (ch == 0 ? 1 : n);
                        assertEquals(a, b, 1e-6 * scale, "channel " + ch + " jumps across face of axis " + axis
                                + " at level " + l);
                    }
                }
            }
        }
    }

    /** Gradient channel = central difference of the value; Laplacian = sum of differences of the gradient. */
    @ParameterizedTest
    @CsvSource({"2, CELL", "3, CELL", "2, PHYSICAL", "3, PHYSICAL"})
    void derivativeChannelsMatchFiniteDifferencesOnDenseAndHashedLevels(int dims, CoefficientUnits units) {
        int[] sizes = dims == 2 ? new int[]{9, 9, 7} : new int[]{10, 10, 9, 8};
        // levels from 4 (dense everywhere) to 64 (hashed everywhere)
        HermiteGridLayout layout = new HermiteGridLayout(dims, 4, 2, 4, 64, sizes);
        assertEquals(true, layout.isDense(0, 0));
        assertEquals(false, layout.isDense(3, 0));
        Box box = dims == 2 ? new Box(new double[]{-1, 0}, new double[]{1, 0.5}) : Box.cube(3, -1, 2);
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, box, units);
        double[] params = randomParams(enc, 13);
        int lapAxes = dims == 2 ? 3 : 5;   // in 3D: x and z only
        Channels channels = new Channels(dims, lapAxes);
        int c = channels.count();
        int width = enc.outputWidth();
        SplittableRandom random = new SplittableRandom(17);
        double h = 1e-6;
        for (int trial = 0; trial < 25; trial++) {
            double[] x = new double[dims];
            for (int i = 0; i < dims; i++) {
                x[i] = box.lo(i) + box.extent(i) * (0.05 + 0.9 * random.nextDouble());
            }
            double[] out = new double[c * width];
            enc.forward(params, 0, x, 0, layout.levels(), channels, out, 0);
            double[] laplacianFd = new double[width];
            for (int j = 0; j < dims; j++) {
                double[] plus = new double[c * width];
                double[] minus = new double[c * width];
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[j] += h;
                xm[j] -= h;
                enc.forward(params, 0, xp, 0, layout.levels(), channels, plus, 0);
                enc.forward(params, 0, xm, 0, layout.levels(), channels, minus, 0);
                for (int e = 0; e < width; e++) {
                    double fd = (plus[e] - minus[e]) / (2 * h);
                    double analytic = out[Channels.gradient(j) * width + e];
                    assertEquals(fd, analytic, 1e-6 * (1 + Math.abs(analytic)),
                            "d/dx" + j + " of output " + e + " at trial " + trial);
                    if (channels.inLaplacian(j)) {
                        int g = Channels.gradient(j) * width + e;
                        laplacianFd[e] += (plus[g] - minus[g]) / (2 * h);
                    }
                }
            }
            for (int e = 0; e < width; e++) {
                double analytic = out[channels.laplacian() * width + e];
                assertEquals(laplacianFd[e], analytic, 1e-5 * (1 + Math.abs(analytic)),
                        "laplacian of output " + e + " at trial " + trial);
            }
        }
    }

    @Test
    void inactiveLevelsOutputZeros() {
        HermiteGridLayout layout = new HermiteGridLayout(2, 4, 2, 4, 32, new int[]{10, 10, 8});
        HermiteHashEncoding enc = new HermiteHashEncoding(layout, Box.cube(2, -1, 1), CoefficientUnits.CELL);
        double[] params = randomParams(enc, 1);
        Channels channels = Channels.withFullLaplacian(2);
        double[] out = new double[channels.count() * enc.outputWidth()];
        java.util.Arrays.fill(out, 7.0);
        enc.forward(params, 0, new double[]{0.3, -0.2}, 0, 2, channels, out, 0);
        for (int ch = 0; ch < channels.count(); ch++) {
            for (int e = 2 * 2; e < enc.outputWidth(); e++) {
                assertEquals(0.0, out[ch * enc.outputWidth() + e], "channel " + ch + " output " + e);
            }
        }
    }

    /**
     * Every request whose gradient axes differ from the encoding's: fewer would overrun a buffer
     * sized for the request, more would read the Laplacian as a gradient. Each is refused with a
     * message naming both, before a single number is written.
     */
    @Test
    void channelsWithOtherGradientAxesThanTheEncodingAreRefusedBeforeAnythingIsWritten() {
        int[][] sizes = {null, {8, 8}, {10, 10, 10}, {9, 9, 8, 7}};
        for (int d = 1; d <= 3; d++) {
            HermiteHashEncoding enc = new HermiteHashEncoding(new HermiteGridLayout(d, 2, 2, 4, 8, sizes[d]),
                    Box.cube(d, -1, 1), CoefficientUnits.CELL);
            double[] params = randomParams(enc, d);
            double[] x = new double[d];
            Arrays.fill(x, 0.3);
            int room = 6 * enc.outputWidth();   // more than any request's (C, L*F)
            for (int asked = 0; asked <= 3; asked++) {
                for (int mask : new int[]{0, (1 << asked) - 1}) {
                    Channels channels = new Channels(asked, mask);
                    String label = d + "D encoding, asked " + channels;
                    if (asked == d) {
                        enc.requireChannels(channels);   // the one accepted shape
                        continue;
                    }
                    double[] out = new double[room];
                    Arrays.fill(out, 7.0);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> enc.forward(params, 0, x, 0, 2, channels, out, 0), label);
                    assertTrue(e.getMessage().contains("asked for " + channels), label + ": " + e.getMessage());
                    assertTrue(e.getMessage().contains("(" + HermiteEncodingMath.channelCount(d, mask) + " channels)"),
                            label + ": the message must say what the encoding writes: " + e.getMessage());
                    for (int i = 0; i < room; i++) {
                        assertEquals(7.0, out[i], 0.0, label + ": out[" + i + "] written before the refusal");
                    }
                    double[] dLdOut = new double[room];
                    Arrays.fill(dLdOut, 1.0);
                    double[] dLdParams = new double[enc.parameterCount()];
                    assertThrows(IllegalArgumentException.class,
                            () -> enc.backwardLevel(0, x, 1, channels, dLdOut, dLdParams, 0), label + ": backward");
                    for (int i = 0; i < dLdParams.length; i++) {
                        assertEquals(0.0, dLdParams[i], 0.0,
                                label + ": dLdParams[" + i + "] written before the refusal");
                    }
                }
            }
        }
    }
}
