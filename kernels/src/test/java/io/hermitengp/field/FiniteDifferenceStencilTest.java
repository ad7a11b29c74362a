package io.hermitengp.field;

import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FiniteDifferenceStencilTest {
    private final Box box = new Box(new double[]{-1, 0, 2}, new double[]{1, 0.5, 5});
    private final HermiteGridLayout layout = HermiteGridLayout.valuesOnly(3, 4, 2, 4, 32, 12);
    private final FiniteDifferenceStencil stencil = new FiniteDifferenceStencil(box, layout);

    /** A quadratic: central differences are exact for it. */
    private static double quadratic(double[] x, int o) {
        return 1.5 * x[o] * x[o] - 0.5 * x[o] * x[o + 1] + 2 * x[o + 2] * x[o + 2] + x[o + 1] - 3;
    }

    @Test
    void jetOfAQuadraticIsExact() {
        double[] x = {0.3, 0.2, 3.1};
        Channels channels = new Channels(3, 0b101);   // Laplacian over x and z only
        int active = 3;
        assertEquals(box.extent(2) / layout.resolution(2), stencil.step(2, active), 1e-15);
        double[] points = new double[stencil.size() * 3];
        stencil.points(x, 0, active, points, 0);
        double[] values = new double[stencil.size()];
        for (int s = 0; s < stencil.size(); s++) {
            values[s] = quadratic(points, 3 * s);
        }
        double[] jet = new double[channels.count()];
        stencil.jet(values, 0, 1, channels, active, jet, 0);
        assertEquals(quadratic(x, 0), jet[0], 1e-12, "value");
        assertEquals(3 * x[0] - 0.5 * x[1], jet[1], 1e-10, "d/dx");
        assertEquals(-0.5 * x[0] + 1, jet[2], 1e-10, "d/dy");
        assertEquals(4 * x[2], jet[3], 1e-10, "d/dz");
        assertEquals(3 + 4, jet[4], 1e-8, "Laplacian over x and z");
    }

    @Test
    void seedsAreTheAdjointOfTheJet() {
        Channels channels = Channels.withFullLaplacian(3);
        int outputs = 2;
        SplittableRandom random = new SplittableRandom(5);
        double[] values = new double[stencil.size() * outputs];
        double[] jetSeed = new double[channels.count() * outputs];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() - 0.5;
        }
        for (int i = 0; i < jetSeed.length; i++) {
            jetSeed[i] = random.nextDouble() - 0.5;
        }
        double[] jet = new double[jetSeed.length];
        double[] seeds = new double[values.length];
        stencil.jet(values, 0, outputs, channels, 4, jet, 0);
        stencil.seeds(jetSeed, 0, outputs, channels, 4, seeds, 0);
        double left = 0;
        double right = 0;
        for (int i = 0; i < jet.length; i++) {
            left += jetSeed[i] * jet[i];
        }
        for (int i = 0; i < values.length; i++) {
            right += seeds[i] * values[i];
        }
        assertEquals(left, right, 1e-9 * Math.abs(left), "<g, J v> must equal <J^T g, v>");
    }
}
