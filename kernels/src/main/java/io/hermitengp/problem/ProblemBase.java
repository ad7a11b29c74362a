package io.hermitengp.problem;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;

/** The parts every problem states the same way: its type name, box, outputs, channels and grid. */
public abstract class ProblemBase implements Problem {
    private final String type;
    private final Box domain;
    private final int outputs;
    private final Channels channels;
    private final int[] evaluationGrid;

    protected ProblemBase(String type, Box domain, int outputs, Channels channels, int[] evaluationGrid) {
        if (evaluationGrid.length != domain.dims()) {
            throw new IllegalArgumentException(type + ": evaluation grid needs one size per axis");
        }
        this.type = type;
        this.domain = domain;
        this.outputs = outputs;
        this.channels = channels;
        this.evaluationGrid = evaluationGrid.clone();
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Box domain() {
        return domain;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public Channels channels() {
        return channels;
    }

    @Override
    public int[] evaluationGrid() {
        return evaluationGrid.clone();
    }

    /** The domain, checked to have the given number of axes. */
    protected static Box requireAxes(Box domain, int axes, String message) {
        if (domain.dims() != axes) {
            throw new IllegalArgumentException(message + ", got " + domain.dims() + " axes");
        }
        return domain;
    }

    @Override
    public String toString() {
        return type + " on " + domain;
    }
}
