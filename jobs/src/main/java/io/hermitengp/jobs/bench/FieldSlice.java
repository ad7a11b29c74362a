package io.hermitengp.jobs.bench;

import io.hermitengp.field.Channels;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.Problem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A PNG of a 3D field on the plane through the middle of its box across one axis: the field beside
 * its absolute error against the problem's exact solution ({@link FieldPicture}).
 */
public final class FieldSlice {
    private FieldSlice() {
    }

    /**
     * @param normalAxis the axis the plane is perpendicular to (0, 1 or 2)
     * @param resolution points per side of the slice
     */
    public static void write(Path file, Problem problem, FieldProbe field, int normalAxis, int resolution)
            throws IOException {
        if (problem.dims() != 3) {
            throw new IllegalArgumentException("a slice needs a 3D problem, " + problem.type() + " has "
                    + problem.dims() + " axes");
        }
        int u = normalAxis == 0 ? 1 : 0;
        int v = normalAxis == 2 ? 1 : 2;
        int n = resolution * resolution;
        double[] points = new double[3 * n];
        double middle = (problem.domain().lo(normalAxis) + problem.domain().hi(normalAxis)) / 2;
        for (int j = 0; j < resolution; j++) {
            for (int i = 0; i < resolution; i++) {
                int p = j * resolution + i;
                points[3 * p + normalAxis] = middle;
                points[3 * p + u] = problem.domain().lo(u) + problem.domain().extent(u) * i / (resolution - 1);
                points[3 * p + v] = problem.domain().lo(v) + problem.domain().extent(v) * j / (resolution - 1);
            }
        }
        Channels channels = Channels.valueAndGradient(3);
        double[] jet = new double[n * channels.count() * problem.outputs()];
        field.evaluate(points, n, channels, jet);
        double[] predicted = new double[n];
        double[] exact = new double[n];
        int stride = channels.count() * problem.outputs();
        IntStream.range(0, n).parallel().forEach(p -> {
            double[] one = new double[4 * problem.outputs()];
            problem.exact(points, 3 * p, one);
            exact[p] = one[0];
            predicted[p] = jet[p * stride];
        });
        String[] names = {"x", "y", "z"};
        FieldPicture.write(file, String.format("%s, slice %s = %.3g (%s right, %s up)", problem.type(),
                names[normalAxis], middle, names[u], names[v]), resolution, resolution, predicted, exact);
    }
}
