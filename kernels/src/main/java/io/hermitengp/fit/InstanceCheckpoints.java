package io.hermitengp.fit;

import io.hermitengp.train.Trainer;

import java.io.Serializable;

/**
 * Where a batch fit keeps each instance's checkpoint, so that an instance whose task died (a lost
 * executor, a killed driver, a preempted node) continues from its last save when it is fitted
 * again instead of from step 0. The store decides where the files live (a shared file system);
 * {@link FieldFit#fitInstance(String, String, DeviceChoice, InstanceCheckpoints)} asks it for
 * each instance's policy and tells it how the fit ended. Serializable: a batch job sends the store
 * to the tasks that fit.
 */
public interface InstanceCheckpoints extends Serializable {
    /** No checkpoints: every fit starts at step 0. */
    InstanceCheckpoints NONE = NoCheckpoints.INSTANCE;

    /** The instance's policy: the file to save to, how often, and the saved state to resume from (null for none). */
    Trainer.Checkpoints open(String id);

    /** The instance's fit ended (trained or diverged): its checkpoint is no longer needed. */
    void finished(String id);

    /** The saved state could not be resumed (another config, damaged): it is removed, and the fit starts over. */
    void discard(String id);

    /** The fit of the instance is over, whichever way: local working files can go (the stored state stays). */
    default void release(String id) {
    }

    /** {@link #NONE}. */
    enum NoCheckpoints implements InstanceCheckpoints {
        INSTANCE;

        @Override
        public Trainer.Checkpoints open(String id) {
            return Trainer.Checkpoints.NONE;
        }

        @Override
        public void finished(String id) {
        }

        @Override
        public void discard(String id) {
        }
    }
}
