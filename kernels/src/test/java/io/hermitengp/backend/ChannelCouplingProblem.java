package io.hermitengp.backend;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.BoxBoundarySampler;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;

import java.util.Arrays;
import java.util.List;

/**
 * A test problem whose residual reads every channel nonlinearly, so that a gradient check through
 * it seeds the value, each gradient and the Laplacian channel:
 * {@code r = Lap_S u + sum_j (j+1) u_j u + u^2 - sin(x_0)} inside, {@code r = u - 0.1} on the faces.
 */
final class ChannelCouplingProblem implements Problem {
    private final Box domain;
    private final Channels channels;

    ChannelCouplingProblem(Box domain, int laplacianAxes) {
        this.domain = domain;
        this.channels = new Channels(domain.dims(), laplacianAxes);
    }

    @Override
    public String type() {
        return "channel-coupling-test";
    }

    @Override
    public Box domain() {
        return domain;
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public Channels channels() {
        return channels;
    }

    @Override
    public List<LossTerm> terms() {
        return List.of(
                new LossTerm("interior", new UniformBoxSampler(domain), this::interior, 16),
                new LossTerm("faces", new BoxBoundarySampler(domain), (x, xo, attributes, ao, u, uo, r, drdu) -> {
                    r[0] = u[uo] - 0.1;
                    Arrays.fill(drdu, 0, channels.count(), 0.0);
                    drdu[0] = 1;
                }, 8));
    }

    private void interior(double[] x, int xo, double[] attributes, int ao, double[] u, int uo, double[] r,
                          double[] drdu) {
        double value = u[uo];
        double sum = value * value - Math.sin(x[xo]);
        double dValue = 2 * value;
        for (int j = 0; j < domain.dims(); j++) {
            double uj = u[uo + Channels.gradient(j)];
            sum += (j + 1) * uj * value;
            dValue += (j + 1) * uj;
            drdu[Channels.gradient(j)] = (j + 1) * value;
        }
        if (channels.hasLaplacian()) {
            sum += u[uo + channels.laplacian()];
            drdu[channels.laplacian()] = 1;
        }
        drdu[0] = dValue;
        r[0] = sum;
    }

    @Override
    public void exact(double[] x, int xOffset, double[] out) {
        Arrays.fill(out, 0, 1 + domain.dims(), 0.0);
    }

    @Override
    public int[] evaluationGrid() {
        int[] grid = new int[domain.dims()];
        Arrays.fill(grid, 5);
        return grid;
    }
}
