package io.hermitengp.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a run's checkpoints ({@link HadoopInstanceCheckpoints#tidy}): what an ended fit left
 * (a slower second attempt's save) goes, a failed fit's checkpoint stays for {@code --mode resume},
 * and the directory goes with the last one.
 */
class HadoopInstanceCheckpointsTest {

    private static Path checkpoint(Path dir, String id, String suffix) throws Exception {
        return Files.write(dir.resolve(SurfaceExtraction.fileName(id) + suffix), new byte[]{1, 2, 3});
    }

    @Test
    void tidyRemovesWhatEndedFitsLeftAndKeepsTheFailedOnes(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(HadoopInstanceCheckpoints.DIRECTORY));
        HadoopInstanceCheckpoints store = new HadoopInstanceCheckpoints(dir.toUri().toString(), 10);
        Path ended = checkpoint(dir, "mesh/7", ".ckpt");
        Path endedPart = checkpoint(dir, "mesh/8", ".ckpt.part");
        Path failed = checkpoint(dir, "mesh/9", ".ckpt");

        assertEquals(1, store.tidy(() -> List.of("mesh/7", "mesh/8", "never-saved")));
        assertFalse(Files.exists(ended), "a fit that ended needs no checkpoint");
        assertFalse(Files.exists(endedPart), "nor a part of one");
        assertTrue(Files.exists(failed), "a failed fit's checkpoint stays for the next run");

        assertEquals(0, store.tidy(() -> List.of("mesh/9")));
        assertFalse(Files.exists(dir), "no checkpoint left: the directory goes");

        AtomicInteger asked = new AtomicInteger();
        assertEquals(0, store.tidy(() -> {
            asked.incrementAndGet();
            return List.of();
        }));
        assertEquals(0, asked.get(), "with nothing left, the run's ended fits are not listed");
    }
}
