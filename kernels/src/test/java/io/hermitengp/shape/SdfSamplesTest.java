package io.hermitengp.shape;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.MeshDefects;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.TriangleMesh;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact SDF samples against the analytic distance of a box, their mix and reproducibility, and
 * the sign statistics of an open and an inside-out mesh.
 */
class SdfSamplesTest {
    private static final Box BOX = Box.cube(3, -1, 1);
    /** Half extents of the test box in its own units; placed with margin 0.1 its longest side (2) spans 1.6. */
    private static final double[] HALF = {1.0, 0.5, 0.25};
    private static final double SCALE = 0.8;

    private static MeshDomain boxDomain(int threads) {
        TriangleMesh box = ShapeMeshes.box(new double[]{-HALF[0], -HALF[1], -HALF[2]}, HALF);
        return new MeshDomain(box, BOX, 0.1, threads);
    }

    /** The exact signed distance of the placed box (half extents HALF x SCALE, centred at 0). */
    private static double boxDistance(double x, double y, double z) {
        double[] p = {x, y, z};
        double outside = 0;
        double inside = -Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double d = Math.abs(p[i]) - HALF[i] * SCALE;
            outside += Math.max(d, 0) * Math.max(d, 0);
            inside = Math.max(inside, d);
        }
        return inside > 0 ? Math.sqrt(outside) : inside;
    }

    @Test
    void distancesAndGradientsAreTheBoxsOwn() {
        SdfSamples s = SdfSamples.draw(boxDomain(2), SampleMix.DEFAULT, 3000, 7);
        assertEquals(3000, s.count());
        int[] perPart = new int[SampleMix.DEFAULT.parts().size()];
        for (int k = 0; k < s.count(); k++) {
            perPart[s.part()[k]]++;
            double x = s.points()[3 * k], y = s.points()[3 * k + 1], z = s.points()[3 * k + 2];
            SampleMix.Kind kind = s.mix().parts().get(s.part()[k]).kind();
            if (kind == SampleMix.Kind.SURFACE) {
                assertEquals(0, s.distance()[k], "surface sample " + k + " distance");
                assertEquals(0, boxDistance(x, y, z), 1e-12, "surface sample " + k + " lies on the box");
                assertTrue(Double.isNaN(s.winding()[k]), "no winding number on the surface");
            } else {
                assertEquals(boxDistance(x, y, z), s.distance()[k], 1e-12, "sample " + k + " (" + kind + ") distance");
                double h = 1e-6;
                double[] fd = {
                    (boxDistance(x + h, y, z) - boxDistance(x - h, y, z)) / (2 * h),
                    (boxDistance(x, y + h, z) - boxDistance(x, y - h, z)) / (2 * h),
                    (boxDistance(x, y, z + h) - boxDistance(x, y, z - h)) / (2 * h)};
                boolean nearEdge = Math.abs(s.distance()[k]) < 1e-4;
                if (s.distance()[k] > 1e-3) {   // outside, the gradient is unique everywhere
                    for (int i = 0; i < 3; i++) {
                        assertEquals(fd[i], s.gradient()[3 * k + i], 1e-5, "sample " + k + " gradient axis " + i);
                    }
                } else if (!nearEdge) {
                    double norm = Math.sqrt(s.gradient()[3 * k] * s.gradient()[3 * k] + s.gradient()[3 * k + 1]
                            * s.gradient()[3 * k + 1] + s.gradient()[3 * k + 2] * s.gradient()[3 * k + 2]);
                    assertEquals(1, norm, 1e-9, "sample " + k + " unit gradient inside");
                }
                assertEquals(s.distance()[k] < 0 ? 1 : 0, s.winding()[k], 1e-2, "sample " + k + " winding number");
            }
        }
        assertArrayEquals(SampleMix.DEFAULT.counts(3000), perPart, "points per part of the mix");
        assertEquals(1.0, s.signConfidence(), "a closed box has no doubtful sign");
    }

    @Test
    void aSeedGivesTheSameSamplesForAnyThreadCount() {
        SdfSamples one = SdfSamples.draw(boxDomain(1), SampleMix.DEFAULT, 1000, 3);
        SdfSamples two = SdfSamples.draw(boxDomain(2), SampleMix.DEFAULT, 1000, 3);
        assertArrayEquals(one.points(), two.points());
        assertArrayEquals(one.distance(), two.distance());
        assertArrayEquals(one.gradient(), two.gradient());
        SdfSamples other = SdfSamples.draw(boxDomain(2), SampleMix.DEFAULT, 1000, 4);
        assertTrue(other.points()[0] != one.points()[0], "another seed, other points");
    }

    @Test
    void anOpenMeshHasDoubtfulSignsAndAnInsideOutOneReadsOutsideEverywhere() {
        TriangleMesh sphere = ShapeMeshes.sphere(1.0, 16, 32);
        SampleMix volume = SampleMix.parse("near:0.05:0.5,uniform:0.5");
        SdfSamples open = SdfSamples.draw(new MeshDomain(MeshDefects.cutAbove(sphere, 2, 0.0), BOX, 0.1, 2), volume,
                2000, 1);
        // across the missing cap w falls from 1 to 0: the points where it passes 1/2 are doubtful
        assertTrue(open.uncertainSigns() > 20, "a hemisphere has doubtful signs: " + open.uncertainSigns());
        assertTrue(open.signConfidence() < 0.99, "sign confidence " + open.signConfidence());

        SdfSamples insideOut = SdfSamples.draw(new MeshDomain(MeshDefects.flipped(sphere, k -> true), BOX, 0.1, 2),
                volume, 2000, 1);
        assertEquals(1.0, insideOut.signConfidence(), "w is -1 or 0: never near 1/2");
        assertTrue(insideOut.invertedSigns() > 100, "the points inside have w = -1: " + insideOut.invertedSigns());
        for (double d : insideOut.distance()) {
            assertTrue(d >= 0, "every sign of an inside-out mesh reads outside");
        }
    }

    @Test
    void theMixSplitsExactlyAndNamesItsErrors() {
        SampleMix mix = SampleMix.parse("surface:0.1,near:0.01:0.45,near:0.05:0.35,uniform:0.1");
        assertArrayEquals(new int[]{1, 5, 3, 1}, mix.counts(10));
        assertArrayEquals(new int[]{0, 1, 1, 0}, mix.counts(2), "the largest remainders get the points left over");
        assertEquals(mix, SampleMix.parse(mix.text()), "the text reads back as the same mix");
        assertThrows(IllegalArgumentException.class, () -> SampleMix.parse("surface:0.5,uniform:0.4"), "sum 0.9");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleMix.parse("surface:0.5,inside:0.5"));
        assertTrue(e.getMessage().contains("'inside:0.5'")
                && e.getMessage().contains("surface, near, near_logistic or uniform"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SampleMix.parse("near:0.5,uniform:0.5"));
        assertTrue(e.getMessage().contains("near:SIGMA:FRACTION"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SampleMix.parse("near_logistic:0.5,uniform:0.5"));
        assertTrue(e.getMessage().contains("near_logistic:SCALE:FRACTION"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SampleMix.parse("near_logistic:0:0.5,uniform:0.5"));
        assertTrue(e.getMessage().contains("scale must be in (0, 1]"), e.getMessage());
        SampleMix logistic = SampleMix.parse("near_logistic:0.04:0.6,near:0.01:0.4");
        assertEquals(logistic, SampleMix.parse(logistic.text()), "a logistic part reads back too");
        assertEquals(NearSurfaceNoise.logistic(0.04), logistic.parts().get(0).noise());
        assertEquals(NearSurfaceNoise.gaussian(0.01), logistic.parts().get(1).noise());
    }

    @Test
    void aLogisticPartMovesSurfacePointsAlongTheirNormal() {
        double scale = 0.02;
        SdfSamples s = SdfSamples.draw(boxDomain(2), SampleMix.parse("near_logistic:" + scale + ":1"), 4000, 5);
        double outwards = 0;
        int outside = 0;
        for (int k = 0; k < s.count(); k++) {
            double x = s.points()[3 * k], y = s.points()[3 * k + 1], z = s.points()[3 * k + 2];
            assertEquals(boxDistance(x, y, z), s.distance()[k], 1e-12, "sample " + k + " distance");
            if (s.distance()[k] > 1e-9) {
                outwards += s.distance()[k];
                // off a face along its normal, a point stays over that face: its closest point is on the
                // face, so the gradient is the face's normal (Gaussian noise also leaves past the edges)
                outside++;
                int axes = 0;
                for (int i = 0; i < 3; i++) {
                    axes += Math.abs(s.gradient()[3 * k + i]) > 1e-9 ? 1 : 0;
                }
                assertEquals(1, axes, "sample " + k + " outside has an axis-aligned gradient");
            }
        }
        assertTrue(outside > 1800 && outside < 2200, "about half the points leave outwards: " + outside);
        // outwards d is the offset itself: the mean of a positive logistic deviate of scale s, 2 s ln 2
        // (inwards, another face can be nearer than the offset)
        assertEquals(2 * scale * Math.log(2), outwards / outside, 0.05 * 2 * scale * Math.log(2));
    }

    @Test
    void anExactGridHoldsTheBoxDistanceAtItsLatticePoints() {
        SdfGrid grid = SdfGrid.exact(boxDomain(2), 9);
        for (int k = 0; k < 9; k++) {
            for (int j = 0; j < 9; j++) {
                for (int i = 0; i < 9; i++) {
                    double x = -1 + 2.0 * i / 8, y = -1 + 2.0 * j / 8, z = -1 + 2.0 * k / 8;
                    assertEquals((float) boxDistance(x, y, z), grid.at(i, j, k), 1e-6, "grid (" + i + ", " + j + ", "
                            + k + ")");
                }
            }
        }
        byte[] bytes = grid.littleEndianBytes();
        assertEquals(4 * 729, bytes.length);
        float second = java.nio.ByteBuffer.wrap(bytes, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(grid.at(1, 0, 0), second, "x fastest, little-endian float32");
    }
}
