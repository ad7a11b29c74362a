package io.hermitengp.fit;

import io.hermitengp.backend.opencl.OpenClUnavailableException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.network.Precision;
import io.hermitengp.problem.Problem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend policy, one rule for every caller: an explicit {@code java} or {@code opencl} is
 * honoured or fails with the reason; {@code auto} takes the GPU a fit is given where the OpenCL
 * backend can train the field and says why when it cannot. The OpenCL backend runs every built-in
 * problem (Helmholtz, Taylor-Green's Navier-Stokes residual) on the Hermite encoding, and no
 * problem on the INGP-FD encoding.
 */
class BackendChoiceTest {
    private static final DeviceChoice GPU_0 = new DeviceChoice("0", 4);
    private static final DeviceChoice CPU_4 = DeviceChoice.cpu(4);

    private static TrainConfig config(String problem, String backend, String device, int threads) {
        return config(problem, "hermite", backend, device, threads);
    }

    /** A config on the INGP-FD encoding, which the OpenCL backend does not run. */
    private static TrainConfig fdConfig(String problem, String backend) {
        return config(problem, "ingp_fd", backend, "", 0);
    }

    private static TrainConfig config(String problem, String encoding, String backend, String device, int threads) {
        return ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"" + problem + "\"},"
                + "\"encoding\": {\"type\": \"" + encoding + "\", \"levels\": 2, \"n_min\": 4, \"n_max\": 8},"
                + "\"network\": {\"hidden\": [4]},"
                + "\"training\": {\"threads\": " + threads + ", \"backend\": {\"type\": \"" + backend + "\""
                + (device.isEmpty() ? "" : ", \"device\": \"" + device + "\"") + "}}}", "test");
    }

    private static BackendChoice choose(TrainConfig config, DeviceChoice device) {
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        return BackendChoice.choose(config, field, problem, device);
    }

    @Test
    void autoIsTheDefaultAndRunsOnTheCpuWithTheGivenThreadsWhenNoGpuIsGiven() {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"}}", "test");
        assertEquals(TrainConfig.Backend.AUTO, config.training().backend().type());
        BackendChoice choice = choose(config, CPU_4);
        assertEquals(TrainConfig.Backend.JAVA, choice.backend().type());
        assertEquals(4, choice.threads());
        assertEquals("", choice.note());
    }

    @Test
    void autoTakesTheAssignedGpuWhenTheProblemRunsThere() {
        BackendChoice choice = choose(config("helmholtz2d", "auto", "", 0), GPU_0);
        assertEquals(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, "gpu:0"), choice.backend());
        assertEquals("", choice.note());
    }

    @Test
    void autoTakesTheAssignedGpuForANonlinearProblemToo() {
        BackendChoice choice = choose(config("taylor_green", "auto", "", 0), GPU_0);
        assertEquals(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, "gpu:0"), choice.backend());
        assertEquals("", choice.note());
    }

    @Test
    void autoTrainsOnTheCpuAndSaysWhyWhenTheGpuCannotRunTheField() {
        BackendChoice choice = choose(fdConfig("taylor_green", "auto"), GPU_0);
        assertEquals(TrainConfig.Backend.JAVA, choice.backend().type());
        assertEquals(4, choice.threads());
        assertTrue(choice.note().startsWith("GPU 0 assigned, trained on the CPU: "), choice.note());
        assertTrue(choice.note().contains("Hermite encodings only"), choice.note());
    }

    @Test
    void anExplicitJavaRequestIsHonouredAndTheUnusedGpuIsNamed() {
        BackendChoice choice = choose(config("helmholtz2d", "java", "", 0), GPU_0);
        assertEquals(TrainConfig.Backend.JAVA, choice.backend().type());
        assertTrue(choice.note().contains("GPU 0 is not used"), choice.note());
    }

    @Test
    void anExplicitOpenClRequestTheBackendCannotMeetFailsInsteadOfFallingBack() {
        TrainConfig config = fdConfig("taylor_green", "opencl");
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class, () -> choose(config, GPU_0));
        assertTrue(e.getMessage().contains("training.backend.type is opencl"), e.getMessage());
        assertTrue(e.getMessage().contains("Hermite encodings only"), e.getMessage());
    }

    @Test
    void float32TrainsOnTheAssignedGpuAsFloat64Does() {
        TrainConfig auto = config("helmholtz2d", "auto", "", 0);
        auto = auto.withTraining(auto.training().withPrecision(Precision.FLOAT32));
        BackendChoice choice = choose(auto, GPU_0);
        assertEquals(TrainConfig.Backend.OPENCL, choice.backend().type(), "auto with float32 takes the GPU");
        assertEquals("gpu:0", choice.backend().device());
        assertEquals("", choice.note());
        assertEquals(Precision.FLOAT32, choice.applyTo(auto).training().precision(), "the precision is kept");

        TrainConfig opencl = config("helmholtz2d", "opencl", "", 0);
        TrainConfig single = opencl.withTraining(opencl.training().withPrecision(Precision.FLOAT32));
        assertEquals(TrainConfig.Backend.OPENCL, choose(single, GPU_0).backend().type());
    }

    @Test
    void anExplicitOpenClRequestUsesTheConfigsDeviceElseTheAssignedGpuElseTheFirstDevice() {
        BackendChoice named = choose(config("helmholtz2d", "opencl", "2", 0), GPU_0);
        assertEquals("2", named.backend().device());
        assertEquals("training.backend.device 2 used instead of the assigned GPU 0", named.note(),
                "a config's device that is not the assigned GPU is said");
        assertEquals("gpu:0", choose(config("helmholtz2d", "opencl", "", 0), GPU_0).backend().device(),
                "the assigned GPU is opened by its GPU address, which counts GPU devices only");
        assertEquals("", choose(config("helmholtz2d", "opencl", "", 0), CPU_4).backend().device());
    }

    @Test
    void aDeviceNamedInTheConfigCountsAsTheGpuForAuto() {
        assertEquals(new TrainConfig.Backend(TrainConfig.Backend.OPENCL, "1"),
                choose(config("helmholtz2d", "auto", "1", 0), CPU_4).backend());
    }

    @Test
    void threadsAboveTheFitsShareAreCutToItAndTheNoteSaysSo() {
        BackendChoice choice = choose(config("helmholtz2d", "java", "", 16), CPU_4);
        assertEquals(4, choice.threads());
        assertTrue(choice.note().contains("training.threads 16 cut to the 4 CPU threads"), choice.note());
        assertEquals(2, choose(config("helmholtz2d", "java", "", 2), CPU_4).threads());
    }

    @Test
    void theConfigAsItRunsNamesTheConcreteBackendAndThreads() {
        TrainConfig requested = config("helmholtz2d", "auto", "", 0);
        TrainConfig ran = choose(requested, CPU_4).applyTo(requested);
        assertEquals(TrainConfig.Backend.JAVA, ran.training().backend().type());
        assertEquals(4, ran.training().threads());
    }

    @Test
    void aBatchInstanceWhoseExplicitBackendCannotBeMetIsAFailedOutcomeNamingTheReason() {
        String spec = fdConfig("taylor_green", "opencl").toJson().toString();
        FitOutcome outcome = FieldFit.fitInstance("tg-1", spec, GPU_0);
        assertEquals(FitOutcome.FAILED, outcome.status());
        assertTrue(outcome.message().contains("training.backend.type is opencl"), outcome.message());
        assertEquals("taylor_green", outcome.kind());
        assertNull(outcome.result());
    }
}
