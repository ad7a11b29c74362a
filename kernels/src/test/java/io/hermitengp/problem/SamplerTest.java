package io.hermitengp.problem;

import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.MortonOrder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private final Box box = new Box(new double[]{-1, 0, 2}, new double[]{1, 0.5, 3});

    @Test
    void boundaryPointsLieOnTheFacesInEqualShares() {
        double[] points = new double[602 * 3];
        new BoxBoundarySampler(box).sample(new SplittableRandom(1), 602, points, 0);
        int[] perFace = new int[6];
        for (int p = 0; p < 602; p++) {
            int onFaces = 0;
            for (int i = 0; i < 3; i++) {
                double x = points[p * 3 + i];
                assertTrue(x >= box.lo(i) && x <= box.hi(i), "point " + p + " outside the box");
                if (x == box.lo(i)) {
                    perFace[2 * i]++;
                    onFaces++;
                } else if (x == box.hi(i)) {
                    perFace[2 * i + 1]++;
                    onFaces++;
                }
            }
            assertEquals(1, onFaces, "point " + p + " must lie on exactly one face");
        }
        assertArrayEquals(new int[]{101, 101, 100, 100, 100, 100}, perFace);
    }

    @Test
    void interiorPointsFillTheBox() {
        double[] points = new double[4000 * 3];
        new UniformBoxSampler(box).sample(new SplittableRandom(2), 4000, points, 0);
        for (int i = 0; i < 3; i++) {
            double mean = 0;
            for (int p = 0; p < 4000; p++) {
                double x = points[p * 3 + i];
                assertTrue(x >= box.lo(i) && x < box.hi(i));
                mean += x / 4000;
            }
            assertEquals((box.lo(i) + box.hi(i)) / 2, mean, 0.05 * box.extent(i), "mean along axis " + i);
        }
    }

    @Test
    void mortonOrderPermutesPointsAndKeepsEachPointWhole() {
        double[] points = new double[500 * 3];
        new UniformBoxSampler(box).sample(new SplittableRandom(3), 500, points, 0);
        double[] sorted = points.clone();
        MortonOrder.sort(box, sorted, 0, 500);
        assertArrayEquals(rows(points), rows(sorted));
        double before = pathLength(points);
        double after = pathLength(sorted);
        assertTrue(after < before / 3, "Z-order should shorten the path through the points: " + before + " -> " + after);
    }

    private static String[] rows(double[] points) {
        String[] rows = new String[points.length / 3];
        for (int p = 0; p < rows.length; p++) {
            rows[p] = Arrays.toString(Arrays.copyOfRange(points, 3 * p, 3 * p + 3));
        }
        Arrays.sort(rows);
        return rows;
    }

    private static double pathLength(double[] points) {
        double length = 0;
        for (int p = 1; p < points.length / 3; p++) {
            double s = 0;
            for (int i = 0; i < 3; i++) {
                double d = points[3 * p + i] - points[3 * p - 3 + i];
                s += d * d;
            }
            length += Math.sqrt(s);
        }
        return length;
    }
}
