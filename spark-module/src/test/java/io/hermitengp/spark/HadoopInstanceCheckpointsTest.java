package io.hermitengp.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a run's checkpoints ({@link HadoopInstanceCheckpoints#tidy}): what ended fits left
 * (a second attempt's late save) goes, a failed fit's stays for {@code --mode resume}, and the
 * directory goes with the last one.
 */
class HadoopInstanceCheckpointsTest {

    private static Path checkpoint(Path dir, String id, String suffix) throws Exception {
        return Files.write(dir.resolve(SurfaceExtraction.fileName(id) + suffix), new byte[]{1, 2, 3});
    }

    /** The pipeline's answer: of the ended ids, those holding one of the names. */
    private static Function<Set<String>, Collection<String>> ended(String... ids) {
        return names -> Stream.of(ids).filter(id -> HadoopInstanceCheckpoints.holdsOneOf(names, id)).toList();
    }

    @Test
    void tidyRemovesWhatEndedFitsLeftAndKeepsTheFailedOnes(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(HadoopInstanceCheckpoints.DIRECTORY));
        HadoopInstanceCheckpoints store = new HadoopInstanceCheckpoints(dir.toUri().toString(), 10);
        Path ended = checkpoint(dir, "mesh/7", ".ckpt");
        Path endedPart = checkpoint(dir, "mesh/8", ".ckpt.part");
        Path failed = checkpoint(dir, "mesh/9", ".ckpt");

        assertEquals(1, store.tidy(ended("mesh/7", "mesh/8", "mesh/", "never-saved")));
        assertFalse(Files.exists(ended), "a fit that ended needs no checkpoint");
        assertFalse(Files.exists(endedPart), "nor a part of one");
        assertTrue(Files.exists(failed), "a failed fit's checkpoint stays for the next run");

        assertEquals(0, store.tidy(ended("mesh/9")));
        assertFalse(Files.exists(dir), "no checkpoint left: the directory goes");

        Files.createDirectories(dir);
        AtomicInteger asked = new AtomicInteger();
        assertEquals(0, store.tidy(names -> {
            asked.incrementAndGet();
            return List.of();
        }));
        assertEquals(0, asked.get(), "with no checkpoint, the run's ended fits are not listed");
        assertFalse(Files.exists(dir));
    }
}
