package io.hermitengp.backend.opencl;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on the OpenCL device against the Java backend: 200 steps of the small config follow
 * the same loss curve (within 1e-6 relative at every step: the backends differ only in sin/cos
 * rounding, which Adam carries along slowly) and reach the same accuracy (within 5%); two OpenCL
 * runs give the same bits.
 */
class OpenClTrainingTest {

    @BeforeEach
    void device() {
        OpenClRequirement.requireDevice();
    }

    private static TrainConfig smallConfig(String backend, long steps) throws IOException {
        try (InputStream in = OpenClTrainingTest.class.getResourceAsStream("/configs/helmholtz2d-small.json")) {
            TrainConfig c = ConfigReader.readTrainConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8), "small");
            TrainConfig.Training t = c.training().withSteps(steps).withThreads(2)
                    .withBackend(new TrainConfig.Backend(backend, ""));
            return c.withTraining(t);
        }
    }

    private static TrainingResult train(TrainConfig config) {
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.localCpu(config.training().threads()))) {
            return fit.train(ProgressListener.NONE);
        }
    }

    @Test
    void twoHundredStepsFollowTheJavaLossCurveAndReachTheSameAccuracy() throws IOException {
        TrainingResult java = train(smallConfig("java", 200));
        TrainingResult cl = train(smallConfig("opencl", 200));
        assertEquals(TrainingStatus.OK, cl.status(), cl.message());
        assertTrue(cl.backend().startsWith("opencl:"), cl.backend());
        assertEquals(200, cl.lossCurve().length);
        for (int step = 0; step < 200; step++) {
            double expected = java.lossCurve()[step];
            assertEquals(expected, cl.lossCurve()[step], 1e-6 * expected, "loss at step " + step);
        }
        assertEquals(java.relL2(), cl.relL2(), 0.05 * java.relL2(), "relative L2 after 200 steps");
        assertTrue(cl.lossCurve()[199] < 0.01 * cl.lossCurve()[0], "training must reduce the loss: "
                + cl.lossCurve()[0] + " -> " + cl.lossCurve()[199]);
        assertTrue(cl.bytesPerStep() > 0, "an OpenCL step moves the batch to the device");
    }

    @Test
    void twoOpenClRunsGiveIdenticalBits() throws IOException {
        TrainConfig config = smallConfig("opencl", 30);
        TrainingResult first = train(config);
        TrainingResult second = train(config);
        assertArrayEquals(first.parameters(), second.parameters(), "parameters after 30 OpenCL steps");
        assertArrayEquals(first.lossCurve(), second.lossCurve(), "loss curve");
    }
}
