package io.hermitengp.fit;

import io.hermitengp.train.Cancellation;
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch fit called off from outside ({@link Cancellation}): it stops before the next step or
 * batch, saving each running field's state where it stopped; the reason reaches the caller as
 * {@link FitCancelledException} (not as failed outcomes), the instances keep their checkpoints, and
 * a later fit continues from them to the field of an uninterrupted fit, bit for bit.
 */
class FitCancellationTest {
    /** Saves every 5 steps to {@code <folder>/<id>.ckpt}, resumes from it when it is there, records what it is told. */
    private static final class RecordingCheckpoints implements InstanceCheckpoints {
        private final Path folder;
        final List<String> events = new ArrayList<>();

        RecordingCheckpoints(Path folder) {
            this.folder = folder;
        }

        Path file(String id) {
            return folder.resolve(id + ".ckpt");
        }

        @Override
        public Trainer.Checkpoints open(String id) {
            events.add("open " + id);
            Path file = file(id);
            return new Trainer.Checkpoints(file, 5, Files.exists(file) ? file : null,
                    saved -> events.add("saved " + id));
        }

        @Override
        public void finished(String id) {
            events.add("finished " + id);
        }

        @Override
        public void discard(String id) {
            events.add("discard " + id);
        }

        @Override
        public void release(String id) {
            events.add("release " + id);
        }
    }

    private static final List<FieldBatchFit.InstanceSpec> INSTANCES = List.of(
            new FieldBatchFit.InstanceSpec("a", FieldBatchFitTest.spec(1, 1, 30, false, 1e-3)),
            new FieldBatchFit.InstanceSpec("b", FieldBatchFitTest.spec(2, 1.5, 30, true, 1e-3)));

    @Test
    void aBatchCancelledMidwayStopsBeforeTheNextStepAndResumesToTheUninterruptedField(@TempDir Path dir) {
        RecordingCheckpoints store = new RecordingCheckpoints(dir);
        long reservedBefore = FitMemory.reserved();
        // asked once before the batch, then before every step: the 14th ask, before step 13, calls it off
        AtomicInteger asks = new AtomicInteger();
        Cancellation afterTwelveSteps = () -> asks.incrementAndGet() > 13 ? "the job was cancelled" : null;
        List<FitOutcome> told = new ArrayList<>();
        FitCancelledException cancelled = assertThrows(FitCancelledException.class,
                () -> FieldBatchFit.fitAll(INSTANCES, DeviceChoice.cpu(2), store, 2, afterTwelveSteps, told::add));
        assertTrue(cancelled.getMessage().contains("the job was cancelled"), cancelled.getMessage());
        assertEquals(14, asks.get(), "no step after the cancellation");
        assertEquals(List.of(), told, "a cancelled batch tells no outcome");
        assertEquals(List.of("open a", "open b", "saved a", "saved b", "saved a", "saved b", "saved a", "saved b",
                        "release a", "release b"), store.events,
                "saved at steps 5 and 10 and where it stopped (12), not finished nor discarded, local files released");
        assertEquals(reservedBefore, FitMemory.reserved(), "the cancelled fits gave their memory back");

        store.events.clear();
        List<FitOutcome> resumed = FieldBatchFit.fitAll(INSTANCES, DeviceChoice.cpu(2), store, 2, Cancellation.NEVER,
                o -> { });
        for (int i = 0; i < INSTANCES.size(); i++) {
            FieldBatchFit.InstanceSpec instance = INSTANCES.get(i);
            FitOutcome through = FieldFit.fitInstance(instance.id(), instance.spec(), DeviceChoice.cpu(2));
            assertEquals(FitOutcome.OK, resumed.get(i).status(), resumed.get(i).message());
            assertTrue(resumed.get(i).backendNote().contains("resumed from its checkpoint"),
                    resumed.get(i).backendNote());
            assertArrayEquals(through.result().parameters(), resumed.get(i).result().parameters(), 0.0,
                    instance.id() + ": 12 steps, cancelled, then 18 more give the field of 30 steps");
        }
        assertTrue(store.events.contains("finished a") && store.events.contains("finished b"), store.events.toString());
    }

    @Test
    void aCancellationBetweenBatchesStartsNoFurtherBatch(@TempDir Path dir) {
        RecordingCheckpoints store = new RecordingCheckpoints(dir);
        List<FitOutcome> told = new ArrayList<>();
        Cancellation afterTheFirstOutcome = () -> told.isEmpty() ? null : "the stage ended";
        assertThrows(FitCancelledException.class,
                () -> FieldBatchFit.fitAll(INSTANCES, DeviceChoice.cpu(2), store, 1, afterTheFirstOutcome, told::add));
        assertEquals(List.of("a"), told.stream().map(FitOutcome::id).toList());
        assertEquals(FitOutcome.OK, told.get(0).status(), told.get(0).message());
        assertTrue(store.events.stream().noneMatch(e -> e.endsWith(" b")), "b was never opened: " + store.events);
    }
}
