package io.hermitengp.encoding;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.SplittableRandom;

/**
 * A multiresolution grid encoding: maps a point of the box to {@code L*F} features per channel,
 * from tables laid out by a {@link HermiteGridLayout} (levels contiguous, so the curriculum and
 * the optimizer can treat each level as a unit).
 */
public interface Encoding {
    int dims();

    HermiteGridLayout layout();

    Box box();

    default int outputWidth() {
        return layout().outputWidth();
    }

    default int parameterCount() {
        return layout().parameterCount();
    }

    /**
     * Whether {@link #forward} yields derivative channels analytically; an encoding that does not
     * yields the value alone and its field takes derivatives by finite differences.
     */
    boolean analyticDerivatives();

    /**
     * Fills the tables by the rule, drawing in buffer order from {@code rng}: {@code U(-scale, scale)}
     * for every coefficient, or {@code N(0, scale^2)} for the value tables (order 0) and zero for
     * the derivative tables.
     */
    default void initialize(double[] params, int offset, TableInit init, SplittableRandom rng) {
        HermiteGridLayout layout = layout();
        for (int l = 0; l < layout.levels(); l++) {
            for (int k = 0; k < layout.orders(); k++) {
                int from = layout.tableOffset(l, k);
                int to = k + 1 < layout.orders() ? layout.tableOffset(l, k + 1) : layout.levelEnd(l);
                for (int i = from; i < to; i++) {
                    params[offset + i] = !init.normalValues() ? (2 * rng.nextDouble() - 1) * init.scale()
                            : k == 0 ? rng.nextGaussian() * init.scale() : 0.0;
                }
            }
        }
    }

    /**
     * Checks that {@link #forward} writes, and {@link #backwardLevel} reads, exactly these
     * channels: {@code channels.count()} per point, at the indices {@link Channels} gives them.
     *
     * @throws IllegalArgumentException naming the channels asked and those the encoding writes
     */
    void requireChannels(Channels channels);

    /**
     * Encodes one point into {@code out (C, L*F)}; levels at or above {@code activeLevels} are zero.
     *
     * @throws IllegalArgumentException unless {@link #requireChannels} accepts the channels
     */
    void forward(double[] params, int paramOffset, double[] x, int xOffset, int activeLevels, Channels channels,
                 double[] out, int outOffset);

    /**
     * Accumulates one level's table gradients over points {@code 0..n-1} in order.
     *
     * @param dLdOut adjoint of the encoding output, (n, C, L*F)
     */
    void backwardLevel(int level, double[] x, int n, Channels channels, double[] dLdOut, double[] dLdParams,
                       int paramOffset);
}
