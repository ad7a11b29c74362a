package io.hermitengp.encoding;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.network.ScalarTileKernels;
import io.hermitengp.network.TileKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tile encoder, with the scalar and with the vector kernels, against the reference encoding
 * ({@link HermiteEncodingMath} through {@link HermiteHashEncoding}), bit for bit: every channel
 * set, dense and hashed levels, both coefficient units, periodic axes, points on cell faces and on
 * the box's faces.
 */
class HermiteTileEncoderTest {
    private static final TileKernels[] KERNELS = {new ScalarTileKernels(), CpuPath.VECTOR.kernels()};

    private static HermiteHashEncoding encoding(int dims, CoefficientUnits units, int periodicAxes) {
        int[] sizes = dims == 1 ? new int[]{5, 4} : dims == 2 ? new int[]{8, 8, 6} : new int[]{9, 9, 8, 7};
        HermiteGridLayout layout = new HermiteGridLayout(dims, 4, 3, 2, 40, sizes);
        Box box = dims == 1 ? new Box(new double[]{-1}, new double[]{2})
                : dims == 2 ? new Box(new double[]{-1, -0.5}, new double[]{1, 1}) : Box.cube(3, -1, 1);
        return new HermiteHashEncoding(layout, box, units, periodicAxes);
    }

    /** Random points of the box, some on its faces and some on grid lines of level 1. */
    private static double[] points(HermiteHashEncoding encoding, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = encoding.dims();
        Box box = encoding.box();
        double[] x = new double[n * d];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < d; i++) {
                double s = random.nextDouble();
                if (p % 7 == 1) {
                    s = p % 2;   // on a face of the box
                } else if (p % 7 == 3) {
                    int cells = encoding.layout().resolution(1);
                    s = random.nextInt(cells + 1) / (double) cells;   // on a vertex of level 1
                }
                x[p * d + i] = box.lo(i) + s * box.extent(i);
            }
        }
        return x;
    }

    /** The channels of the reference output that a request keeps: value, then gradients, then the Laplacian. */
    private static double[] keep(double[] full, int n, Channels fullChannels, Channels kept, int width) {
        double[] out = new double[n * kept.count() * width];
        for (int p = 0; p < n; p++) {
            for (int ch = 0; ch < kept.count(); ch++) {
                System.arraycopy(full, (p * fullChannels.count() + ch) * width, out, (p * kept.count() + ch) * width,
                        width);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}D {1} periodic={2}")
    @CsvSource({"1, CELL, 0", "2, CELL, 0", "2, PHYSICAL, 1", "3, PHYSICAL, 0", "3, CELL, 6"})
    void forwardIsTheReferenceEncodingBitForBit(int dims, CoefficientUnits units, int periodicAxes) {
        HermiteHashEncoding reference = encoding(dims, units, periodicAxes);
        HermiteGridLayout layout = reference.layout();
        assertTrue(layout.isDense(0, 0) && !layout.isDense(layout.levels() - 1, 0), "dense and hashed levels");
        double[] params = new double[layout.parameterCount()];
        reference.initialize(params, 0, TableInit.uniform(1.0), new SplittableRandom(dims));
        int n = 300;   // more than one block of the column arithmetic
        double[] x = points(reference, n, 5);
        int width = layout.outputWidth();
        Channels full = Channels.withFullLaplacian(dims);
        for (int active : new int[]{layout.levels(), 2}) {
            double[] expected = new double[n * full.count() * width];
            for (int p = 0; p < n; p++) {
                reference.forward(params, 0, x, p * dims, active, full, expected, p * full.count() * width);
            }
            int lastAxis = 1 << (dims - 1);
            for (Channels channels : new Channels[]{full, new Channels(dims, lastAxis), Channels.valueAndGradient(dims),
                    Channels.valueOnly()}) {
                double[] want = keep(expected, n, full, channels, width);
                if (channels.hasLaplacian() && channels.laplacianAxes() != full.laplacianAxes()) {
                    want = new double[n * channels.count() * width];
                    for (int p = 0; p < n; p++) {
                        reference.forward(params, 0, x, p * dims, active, channels, want, p * channels.count() * width);
                    }
                }
                for (TileKernels kernels : KERNELS) {
                    // a range that does not start at point 0, written at an offset
                    double[] actual = new double[3 + (n - 4) * channels.count() * width];
                    Arrays.fill(actual, Double.NaN);
                    new HermiteTileEncoder(reference, kernels).forward(params, 0, x, 4, n, active, channels, actual, 3);
                    double[] wantRange = Arrays.copyOfRange(want, 4 * channels.count() * width, want.length);
                    assertArrayEquals(wantRange, Arrays.copyOfRange(actual, 3, actual.length),
                            kernels.name() + ": " + channels + ", " + active + " active levels");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}D {1} periodic={2}")
    @CsvSource({"1, PHYSICAL, 0", "2, CELL, 2", "3, CELL, 0", "3, PHYSICAL, 1"})
    void backwardIsTheReferenceScatterBitForBit(int dims, CoefficientUnits units, int periodicAxes) {
        HermiteHashEncoding reference = encoding(dims, units, periodicAxes);
        HermiteGridLayout layout = reference.layout();
        int n = 530;
        double[] x = points(reference, n, 9);
        int width = layout.outputWidth();
        SplittableRandom random = new SplittableRandom(13);
        Channels full = Channels.withFullLaplacian(dims);
        for (Channels channels : new Channels[]{full, Channels.valueAndGradient(dims), Channels.valueOnly()}) {
            double[] dLdOut = new double[n * channels.count() * width];
            for (int i = 0; i < dLdOut.length; i++) {
                dLdOut[i] = 2 * random.nextDouble() - 1;
            }
            // the reference reads every channel: the ones not carried have a zero adjoint
            double[] dLdFull = new double[n * full.count() * width];
            for (int p = 0; p < n; p++) {
                System.arraycopy(dLdOut, p * channels.count() * width, dLdFull, p * full.count() * width,
                        channels.count() * width);
            }
            for (int level = 0; level < layout.levels(); level++) {
                double[] expected = new double[layout.parameterCount() + 2];
                reference.backwardLevel(level, x, n, full, dLdFull, expected, 2);
                // the tile encoder reads the level's part alone, (points, C, F)
                int features = layout.features();
                double[] dLdLevel = new double[n * channels.count() * features];
                for (int p = 0; p < n; p++) {
                    for (int ch = 0; ch < channels.count(); ch++) {
                        System.arraycopy(dLdOut, (p * channels.count() + ch) * width + level * features, dLdLevel,
                                (p * channels.count() + ch) * features, features);
                    }
                }
                for (TileKernels kernels : KERNELS) {
                    HermiteTileEncoder tile = new HermiteTileEncoder(reference, kernels);
                    double[] actual = new double[layout.parameterCount() + 2];
                    // in two ranges, as the tiled step scatters term after term
                    tile.backwardLevel(level, x, 0, 30, channels, dLdLevel, 0, actual, 2);
                    tile.backwardLevel(level, x, 30, n, channels, dLdLevel, 30 * channels.count() * features, actual,
                            2);
                    assertArrayEquals(expected, actual, kernels.name() + ": " + channels + ", level " + level);
                }
            }
        }
    }

    @Test
    void refusesGradientsOverAnotherNumberOfAxes() {
        HermiteTileEncoder tile = new HermiteTileEncoder(encoding(3, CoefficientUnits.CELL, 0), new ScalarTileKernels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tile.forward(new double[0], 0, new double[3], 0, 1, 1, Channels.valueAndGradient(2),
                        new double[100], 0));
        assertTrue(e.getMessage().contains("3D") && e.getMessage().contains(Channels.valueAndGradient(2).toString()),
                e.getMessage());
    }
}
