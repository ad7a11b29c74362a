package io.hermitengp.train;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Configs from {@code data/configs} (on the test classpath) and one-call training. */
final class TrainingFixtures {
    private TrainingFixtures() {
    }

    static TrainConfig config(String name) {
        try (InputStream in = TrainingFixtures.class.getResourceAsStream("/configs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("config " + name + " is not on the test classpath");
            }
            return ConfigReader.readTrainConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TrainingResult train(TrainConfig config, int threads) {
        return train(config, threads, Trainer.Checkpoints.NONE);
    }

    /** Trains on {@code threads} CPU threads, saving and resuming as the policy says. */
    static TrainingResult train(TrainConfig config, int threads, Trainer.Checkpoints checkpoints) {
        return train(config, threads, checkpoints, ProgressListener.NONE);
    }

    /** The same, telling {@code listener} of every step. */
    static TrainingResult train(TrainConfig config, int threads, Trainer.Checkpoints checkpoints,
                                ProgressListener listener) {
        TrainConfig onThreads = config.withTraining(config.training().withThreads(threads));
        try (FieldFit fit = FieldFit.open(onThreads, DeviceChoice.cpu(threads))) {
            return fit.train(listener, checkpoints);
        }
    }
}
