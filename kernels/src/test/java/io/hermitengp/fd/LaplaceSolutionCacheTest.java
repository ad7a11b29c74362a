package io.hermitengp.fd;

import io.hermitengp.geometry.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-disk cache: loads what it stored bit for bit, solves again when a file is damaged or foreign. */
class LaplaceSolutionCacheTest {
    private static final Lattice LATTICE = new Lattice(Box.cube(3, 0, 1), 17);

    /** A real solution: the ball of radius 0.3 held at 1 in the unit cube held at 0. */
    private static LaplaceSolution solveSphere() {
        LaplaceSystem system = LaplaceSystem.assemble(LATTICE, new SphereObstacle(new double[]{0.5, 0.5, 0.5}, 0.3),
                BoundaryTreatment.SHORTLEY_WELLER, DirichletData.constant(1), DirichletData.constant(0), 2);
        return LaplaceFiniteDifference.solve(system, new LaplaceFiniteDifference.Settings(1e-10, 100,
                LaplaceFiniteDifference.Preconditioner.MULTIGRID), 2, LaplaceFiniteDifference.Listener.NONE);
    }

    private static byte[] key(String description) {
        return LaplaceSolutionCache.key(description.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSecondSolveLoadsTheSameBits(@TempDir Path directory) throws IOException {
        LaplaceSolutionCache cache = new LaplaceSolutionCache(directory.resolve("nested/laplace"));
        AtomicInteger solves = new AtomicInteger();
        LaplaceSolution first = cache.getOrSolve(key("sphere"), LATTICE, () -> {
            solves.incrementAndGet();
            return solveSphere();
        });
        LaplaceSolution second = cache.getOrSolve(key("sphere"), LATTICE, () -> {
            solves.incrementAndGet();
            return solveSphere();
        });
        assertEquals(1, solves.get(), "the second call loads");
        assertNotSame(first.values(), second.values());
        assertArrayEquals(first.values(), second.values(), "values, NaN boundary nodes included, bit for bit");
        assertEquals(first.iterations(), second.iterations());
        assertEquals(first.relativeResidual(), second.relativeResidual());
        assertTrue(second.converged());
        try (Stream<Path> files = Files.list(directory.resolve("nested/laplace"))) {
            assertEquals(1, files.count(), "one file, no temporary left behind");
        }
    }

    @Test
    void theFileIsLaidOutAsDocumented(@TempDir Path directory) throws IOException {
        LaplaceSolutionCache cache = new LaplaceSolutionCache(directory);
        LaplaceSolution solution = solveSphere();
        cache.store(key("layout"), solution);
        byte[] bytes = Files.readAllBytes(cache.fileFor(key("layout")));
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(LaplaceSolutionCache.HEADER_BYTES + 8L * LATTICE.nodes() + 8, bytes.length);
        assertEquals("HNGPLAP", new String(bytes, 0, 7, StandardCharsets.US_ASCII));
        assertEquals(1, file.getInt(8));
        assertEquals(17, file.getInt(12));
        assertEquals(LATTICE.nodes(), file.getLong(112));
        int centreOfAFace = LATTICE.index(8, 8, 0);
        int outside = LATTICE.index(8, 8, 2);
        assertTrue(Double.isNaN(file.getDouble(128 + 8 * centreOfAFace)));
        assertEquals(solution.values()[outside], file.getDouble(128 + 8 * outside));
        assertTrue(cache.fileFor(key("layout")).getFileName().toString().matches("[0-9a-f]{64}\\.lap"));
    }

    @Test
    void aDamagedFileIsSolvedAgainAndReplaced(@TempDir Path directory) throws IOException {
        LaplaceSolutionCache cache = new LaplaceSolutionCache(directory);
        LaplaceSolution solution = solveSphere();
        cache.store(key("sphere"), solution);
        Path file = cache.fileFor(key("sphere"));
        AtomicInteger solves = new AtomicInteger();

        // one flipped bit in a value
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            long at = LaplaceSolutionCache.HEADER_BYTES + 8L * LATTICE.index(8, 8, 2) + 3;
            raw.seek(at);
            int b = raw.read();
            raw.seek(at);
            raw.write(b ^ 0x10);
        }
        LaplaceSolution again = cache.getOrSolve(key("sphere"), LATTICE, () -> {
            solves.incrementAndGet();
            return solveSphere();
        });
        assertEquals(1, solves.get(), "a checksum mismatch is solved again");
        assertArrayEquals(solution.values(), again.values());
        assertArrayEquals(solution.values(), cache.load(key("sphere"), LATTICE).orElseThrow().values(),
                "and the file is whole again");

        // cut short
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() - 100);
        }
        assertEquals(Optional.empty(), cache.load(key("sphere"), LATTICE).map(LaplaceSolution::iterations));
        cache.getOrSolve(key("sphere"), LATTICE, () -> {
            solves.incrementAndGet();
            return solveSphere();
        });
        assertEquals(2, solves.get(), "a short file is solved again");
    }

    @Test
    void aFileUnderAnotherNameOrLatticeIsNotTaken(@TempDir Path directory) throws IOException {
        LaplaceSolutionCache cache = new LaplaceSolutionCache(directory);
        cache.store(key("one"), solveSphere());
        Files.copy(cache.fileFor(key("one")), cache.fileFor(key("two")));
        assertFalse(cache.load(key("two"), LATTICE).isPresent(), "the header's key must match the name's");
        assertFalse(cache.load(key("one"), new Lattice(Box.cube(3, 0, 2), 17)).isPresent(), "another box");
        assertTrue(cache.load(key("one"), LATTICE).isPresent());
    }

    @Test
    void anUnfinishedSolutionIsNotStoredAndAnUnwritableCacheOnlyWarns(@TempDir Path directory) throws IOException {
        LaplaceSolutionCache cache = new LaplaceSolutionCache(directory);
        LaplaceSolution solution = solveSphere();
        LaplaceSolution unfinished = new LaplaceSolution(LATTICE, solution.values(), 1, 0.5, false);
        assertEquals(unfinished, cache.getOrSolve(key("unfinished"), LATTICE, () -> unfinished));
        assertFalse(Files.exists(cache.fileFor(key("unfinished"))));

        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
        LaplaceSolutionCache broken = new LaplaceSolutionCache(notADirectory.resolve("cache"));
        LaplaceSolution returned = broken.getOrSolve(key("sphere"), LATTICE, () -> solution);
        assertArrayEquals(solution.values(), returned.values(), "the solution is still returned");
    }
}
