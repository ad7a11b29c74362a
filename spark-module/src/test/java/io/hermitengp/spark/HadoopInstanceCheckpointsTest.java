package io.hermitengp.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a run's checkpoints: a fit that ends keeps its checkpoint until the run commits
 * ({@link HadoopInstanceCheckpoints#finished}); then those of ended fits go, a failed fit's stays for
 * {@code --mode resume}, and the directory goes with the last one ({@link HadoopInstanceCheckpoints#tidy}).
 */
class HadoopInstanceCheckpointsTest {

    private static Path checkpoint(Path dir, String id, String suffix) throws Exception {
        return Files.write(dir.resolve(SurfaceExtraction.fileName(id) + suffix), new byte[]{1, 2, 3});
    }

    @Test
    void tidyRemovesTheDirectoryWithTheLastCheckpointAndCountsThoseLeft(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(HadoopInstanceCheckpoints.DIRECTORY));
        HadoopInstanceCheckpoints store = new HadoopInstanceCheckpoints(dir.toUri().toString(), 10);
        Path whole = checkpoint(dir, "mesh/7", ".ckpt");
        checkpoint(dir, "mesh/8", ".ckpt.part");
        assertEquals(2, store.tidy(), "a whole checkpoint and a part count");
        store.discard("mesh/8");
        assertEquals(1, store.tidy());
        assertTrue(Files.exists(whole), "a failed fit's checkpoint stays for the next run");
        store.discard("mesh/7");
        assertEquals(0, store.tidy());
        assertFalse(Files.exists(dir), "no checkpoint left: the directory goes");

        checkpoint(Files.createDirectories(dir), "a", ".ckpt");
        store.removeAll();
        assertFalse(Files.exists(dir), "every fit ended: everything goes in one call");
    }

    @Test
    void finishedKeepsTheCheckpointUntilTheRunCommits(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(HadoopInstanceCheckpoints.DIRECTORY));
        HadoopInstanceCheckpoints store = new HadoopInstanceCheckpoints(dir.toUri().toString(), 10);
        Path saved = checkpoint(dir, "h-0", ".ckpt");
        store.finished("h-0");
        assertTrue(Files.exists(saved), "a task killed after this would drop the row: the state must stay");
        store.discard("h-0");
        assertFalse(Files.exists(saved), "a state that cannot be resumed goes at once");
    }
}
