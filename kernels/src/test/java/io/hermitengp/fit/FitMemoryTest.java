package io.hermitengp.fit;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.shape.FieldSurface;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fit is sized before it allocates, and one too large for the heap is a failed outcome saying both numbers. */
class FitMemoryTest {
    private static final String SMALL = "{\"problem\": {\"type\": \"helmholtz2d\"},"
            + "\"encoding\": {\"levels\": 4, \"n_min\": 4, \"n_max\": 16, \"log2_table_sizes\": [10, 10, 8]},"
            + "\"network\": {\"hidden\": [32]}, \"training\": {\"points\": {\"residual\": 1000, \"boundary\": 24}}}";

    /** Tables of 2^24 entries on 16 levels: over a billion parameters, about 60 GB with optimizer state. */
    private static final String HUGE = "{\"problem\": {\"type\": \"helmholtz2d\"},"
            + "\"encoding\": {\"levels\": 16, \"n_min\": 16, \"n_max\": 1048576, \"log2_table_sizes\": [24, 24, 24]},"
            + "\"training\": {\"steps\": 3}}";

    @Test
    void theEstimateCountsParametersStepBuffersAndTheBatchByItsStatedFormula() {
        TrainConfig config = ConfigReader.readTrainConfig(SMALL, "small");
        NeuralField field = FieldArchitecture.of(config);
        FitMemory memory = FitMemory.estimate(config);
        assertEquals(8L * 6 * field.parameterCount(), memory.parameterBytes());
        // n = 1024 points, d = 2, C = 4 channels, E = 4 levels x 2 features, outputs 1, widths 32 + 1
        long perPoint = 2 + 2L * 4 * 8 + 4 + (3L * 4 + 1) * 33;
        assertEquals(8L * 1024 * perPoint, memory.stepBytes());
        assertEquals(8L * 2 * 1024 * (2 + 8), memory.batchBytes());
        assertEquals(0, memory.problemBytes());
        assertEquals(memory.parameterBytes() + memory.stepBytes() + memory.batchBytes(), memory.total());
    }

    @Test
    void meshProblemsCountTheirSamplePoolsAndTheFinalSurface() {
        TrainConfig sdf = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"sdf\", \"mesh\": \"any.obj\","
                + "\"pool_size\": 1000, \"evaluation_points\": 100, \"surface_resolution\": 64}}", "sdf");
        assertEquals(8L * (1000 * (3 + 3 + 2 * (3 + 4)) + 100 * (3 + 4)) + FieldSurface.estimatedBytes(64),
                FitMemory.estimate(sdf).problemBytes(), "pools, evaluation points and the 64^3 surface extraction");
    }

    @Test
    void aFitBeyondTheAvailableMemoryFailsNamingBothNumbers() {
        FitMemory memory = FitMemory.estimate(ConfigReader.readTrainConfig(SMALL, "small"));
        assertDoesNotThrow(() -> memory.requireAtMost(memory.total()));
        FitMemory.InsufficientMemoryException e = assertThrows(FitMemory.InsufficientMemoryException.class,
                () -> memory.requireAtMost(memory.total() - 1));
        assertTrue(e.getMessage().contains("needs about"), e.getMessage());
        assertTrue(e.getMessage().contains("is available"), e.getMessage());
    }

    @Test
    void fitsRunningTogetherEachReserveTheirShareAndGiveItBackWhenClosed() {
        FitMemory memory = FitMemory.estimate(ConfigReader.readTrainConfig(SMALL, "small"));
        FitMemory half = new FitMemory(FitMemory.available() * 3 / 5, 0, 0, 0);   // two do not fit
        try (FitMemory.Reservation first = half.reserve()) {
            assertThrows(FitMemory.InsufficientMemoryException.class, half::reserve,
                    "the second such fit does not fit beside the first");
            assertDoesNotThrow(() -> memory.reserve().close(), "a small one still does");
        }
        assertDoesNotThrow(() -> half.reserve().close(), "the first gave its share back");
    }

    @Test
    void anInstanceTooLargeForTheHeapIsAFailedRowBeforeItAllocates() {
        long before = FitMemory.available();
        FitOutcome outcome = FieldFit.fitInstance("huge", HUGE, DeviceChoice.cpu(1));
        assertEquals(FitOutcome.FAILED, outcome.status());
        assertTrue(outcome.message().startsWith("InsufficientMemoryException: this fit needs about"), outcome.message());
        assertNull(outcome.result());
        assertTrue(FitMemory.estimate(ConfigReader.readTrainConfig(HUGE, "huge")).total() > before,
                "the estimate exceeds what this JVM has");
    }
}
