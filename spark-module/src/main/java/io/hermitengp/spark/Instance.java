package io.hermitengp.spark;

import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.fit.InstanceCheckpoints;

import java.io.Serializable;

/**
 * One field to fit: an id, unique in its batch, and its spec, a complete training config as JSON
 * (problem, encoding, network, training). The spec is kept as text so that a malformed one still
 * travels to a task and comes back as a {@code failed} row naming its defect.
 *
 * @param defect what made the instance unusable before any parsing (a duplicate id, an unreadable
 *               line of an instance list), or empty
 */
public record Instance(String id, String spec, String defect) implements Serializable {
    public Instance(String id, String spec) {
        this(id, spec, "");
    }

    /** Fits the instance on the given device ({@link FieldFit#fitInstance}); never throws. */
    public FitOutcome fit(DeviceChoice device) {
        return fit(device, InstanceCheckpoints.NONE);
    }

    /** The same, saving and resuming the fit's state through the store. */
    public FitOutcome fit(DeviceChoice device, InstanceCheckpoints checkpoints) {
        return defect.isEmpty() ? FieldFit.fitInstance(id, spec, device, checkpoints)
                : FitOutcome.rejected(id, defect, device);
    }
}
