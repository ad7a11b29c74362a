package io.hermitengp.problem;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A problem a field is trained on: its domain, the channels its residuals need, its named loss
 * terms, and the exact solution and evaluation grid its error is measured against.
 */
public interface Problem {
    /** Config name of the problem type, e.g. {@code helmholtz2d}. */
    String type();

    Box domain();

    default int dims() {
        return domain().dims();
    }

    /** Number of field outputs (1 for a scalar PDE). */
    int outputs();

    /** The channels the residuals read; the Laplacian channel only over the axes they need. */
    Channels channels();

    List<LossTerm> terms();

    /**
     * The exact solution's value and gradient at a point.
     *
     * @param out receives {@code (1 + d, outputs)}: values, then the gradient along each axis
     */
    void exact(double[] x, int xOffset, double[] out);

    /**
     * Bit mask of axes along which the solution is periodic over the domain; the field is then
     * built periodic along them (see {@link io.hermitengp.encoding.HermiteHashEncoding}), so the
     * condition holds exactly and needs no loss term.
     */
    default int periodicAxes() {
        return 0;
    }

    /** Points per axis of the uniform evaluation grid (endpoints included). */
    int[] evaluationGrid();

    /**
     * Where the error is measured, when not on the evaluation grid: precomputed points with the
     * exact solution there. Empty for problems measured on {@link #evaluationGrid()}.
     */
    default Optional<ReferenceSamples> referenceSamples() {
        return Optional.empty();
    }

    /**
     * Problem-specific metrics of the trained field, measured once at the end of training (for a
     * signed distance field: its gradient error near the surface and the extracted surface's
     * Chamfer distance, and how many points and triangles those were measured on). None by default.
     */
    default FinalMetrics finalMetrics(FieldProbe field) {
        return FinalMetrics.NONE;
    }

    /**
     * The benchmark's own evaluation metric of the field, measured as the benchmark's authors
     * measured it (their lattice, their formula; see {@link PaperMetric}), to be reported beside
     * this project's errors. Each problem states its formula; empty for a problem the authors did
     * not pose, and when the value is not finite (a diverged field).
     */
    default Optional<PaperMetric> paperMetric(FieldProbe field) {
        return Optional.empty();
    }
}
