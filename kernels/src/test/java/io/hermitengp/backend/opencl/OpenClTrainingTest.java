package io.hermitengp.backend.opencl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.train.AverageReport;
import io.hermitengp.train.ErrorPoint;
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
 * runs give the same bits; the parameters' running average, kept on the device, follows the Java
 * one and adds nothing to what a step moves.
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

    /** The small config with an EMA (reported at the end) and an error measured every 20 steps. */
    private static TrainConfig withAverage(String backend, long steps) throws IOException {
        ObjectNode tree = (ObjectNode) smallConfig(backend, steps).toJson();
        ObjectNode training = (ObjectNode) tree.get("training");
        training.put("eval_every", 20);
        training.putObject("ema").put("decay", 0.95).put("report", "final");
        return ConfigReader.readTrainConfig(tree.toString(), "small with an average");
    }

    @Test
    void theAverageStaysOnTheDeviceAndFollowsTheJavaAverage() throws IOException {
        TrainingResult java = train(withAverage("java", 60));
        TrainingResult cl = train(withAverage("opencl", 60));
        TrainingResult plain = train(smallConfig("opencl", 60));
        assertEquals(TrainingStatus.OK, cl.status(), cl.message());
        assertEquals(AverageReport.EMA_FINAL, cl.average().weights());
        assertEquals(java.errorCurve().size(), cl.errorCurve().size());
        for (int i = 0; i < java.errorCurve().size(); i++) {
            ErrorPoint expected = java.errorCurve().get(i);
            ErrorPoint actual = cl.errorCurve().get(i);
            assertEquals(expected.relL2(), actual.relL2(), 1e-6 * expected.relL2(), "average's rel_l2 at " + expected.step());
            assertEquals(expected.rawRelL2(), actual.rawRelL2(), 1e-6 * expected.rawRelL2(), "raw rel_l2 at " + expected.step());
        }
        double[] expectedParams = java.parameters();
        double[] actualParams = cl.parameters();
        for (int i = 0; i < expectedParams.length; i++) {
            assertEquals(expectedParams[i], actualParams[i], 1e-9 + 1e-6 * Math.abs(expectedParams[i]), "average " + i);
        }
        // folding the step into the average moves nothing: an averaged step moves what a plain one does
        // (the error measurements, which fetch the average, are not part of a step)
        assertEquals(plain.bytesPerStep(), cl.bytesPerStep(), "host-device bytes per step");
    }
}
