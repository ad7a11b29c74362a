package io.hermitengp.train;

import io.hermitengp.backend.JavaBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.Problem;

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
        Problem problem = config.problem().create();
        NeuralField field = Trainer.buildField(config, problem);
        try (JavaBackend backend = new JavaBackend(field, problem, threads)) {
            return new Trainer(config, problem, field, backend, ProgressListener.NONE).train();
        }
    }
}
