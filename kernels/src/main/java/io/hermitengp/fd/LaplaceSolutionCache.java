package io.hermitengp.fd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Solutions kept on local disk, one file per key (a SHA-256 of everything that determines the
 * solution's bits, chosen by the caller: see {@link #key}). A solution is written once, to a
 * temporary file in the same directory that is then renamed over the final name, so a reader sees
 * a whole file or none, and concurrent writers of the same key leave one whole file. A file that
 * is short, fails its checksum, or holds another key or lattice is reported and solved again.
 * Files that cannot be written (a read-only directory) leave the solution uncached, with a
 * warning: the cache saves time, it never decides a result.
 *
 * <p>File {@code <key in hex>.lap}, little-endian, 128-byte header then the values:
 * <pre>
 *   offset  bytes  field
 *        0      8  magic "HNGPLAP\0"
 *        8      4  format version (1)
 *       12      4  n, nodes per axis
 *       16     32  key
 *       48     48  box lo x, y, z, hi x, y, z (f64)
 *       96      4  CG iterations
 *      100      4  converged (1)
 *      104      8  relative residual (f64)
 *      112      8  n^3 (i64)
 *      120      8  zero
 *      128  8 n^3  values (f64), node index i + n (j + n k) (x fastest), NaN at boundary nodes
 *   end-8       4  CRC32C of every byte before it
 *   end-4       4  zero
 * </pre>
 * In numpy: {@code np.fromfile(path, '<f8', count=n**3, offset=128).reshape(n, n, n).transpose(2, 1, 0)}
 * gives {@code u[i, j, k]}.
 */
public final class LaplaceSolutionCache {
    private static final System.Logger LOG = System.getLogger(LaplaceSolutionCache.class.getName());
    private static final byte[] MAGIC = "HNGPLAP\0".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 128;
    private static final int TRAILER_BYTES = 8;
    private static final int CHUNK_DOUBLES = 1 << 17;

    private final Path directory;

    /** A cache in {@code directory}, created when first written. */
    public LaplaceSolutionCache(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The SHA-256 of the given bytes: what a caller hashes its description of a solution into. */
    public static byte[] key(byte[] description) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(description);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Where the solution of {@code key} lives. */
    public Path fileFor(byte[] key) {
        return directory.resolve(HexFormat.of().formatHex(key) + ".lap");
    }

    /**
     * The cached solution of {@code key} on {@code lattice}, or the one {@code solve} computes,
     * stored before it is returned when it converged.
     */
    public LaplaceSolution getOrSolve(byte[] key, Lattice lattice, Supplier<LaplaceSolution> solve) {
        Optional<LaplaceSolution> cached = load(key, lattice);
        if (cached.isPresent()) {
            return cached.get();
        }
        LaplaceSolution solution = solve.get();
        if (solution.converged()) {
            store(key, solution);
        }
        return solution;
    }

    /**
     * The solution stored under {@code key}, if a whole, matching file is there. A damaged file is
     * reported (and left for {@link #store} to replace).
     */
    public Optional<LaplaceSolution> load(byte[] key, Lattice lattice) {
        Path file = fileFor(key);
        try {
            return Optional.of(read(file, key, lattice));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cached solution " + file + " is unusable (" + e.getMessage()
                    + "); solving again");
            return Optional.empty();
        }
    }

    /** Writes the solution under {@code key}: a temporary file renamed over the final name. */
    public void store(byte[] key, LaplaceSolution solution) {
        Path file = fileFor(key);
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            write(temporary, key, solution);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cache the solution in " + file + " (" + e + ")");
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the warning above already says the cache was not written
                }
            }
        }
    }

    private static void write(Path file, byte[] key, LaplaceSolution solution) throws IOException {
        Lattice lattice = solution.lattice();
        CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(FORMAT_VERSION).putInt(lattice.n()).put(key);
            for (int a = 0; a < 3; a++) {
                header.putDouble(lattice.box().lo(a));
            }
            for (int a = 0; a < 3; a++) {
                header.putDouble(lattice.box().hi(a));
            }
            header.putInt(solution.iterations()).putInt(solution.converged() ? 1 : 0)
                    .putDouble(solution.relativeResidual()).putLong(lattice.nodes()).putLong(0L);
            header.flip();
            crc.update(header.duplicate());
            writeFully(channel, header);
            double[] values = solution.values();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_DOUBLES * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < values.length; from += CHUNK_DOUBLES) {
                int to = Math.min(values.length, from + CHUNK_DOUBLES);
                chunk.clear();
                chunk.asDoubleBuffer().put(values, from, to - from);
                chunk.limit((to - from) * Double.BYTES);
                crc.update(chunk.duplicate());
                writeFully(channel, chunk);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue()).putInt(0).flip();
            writeFully(channel, trailer);
            channel.force(true);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static LaplaceSolution read(Path file, byte[] key, Lattice lattice) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = HEADER_BYTES + (long) lattice.nodes() * Double.BYTES + TRAILER_BYTES;
            if (channel.size() != expected) {
                throw new CorruptFileException(channel.size() + " bytes where a " + lattice.n() + "^3 solution has "
                        + expected);
            }
            CRC32C crc = new CRC32C();
            ByteBuffer header = readFully(channel, HEADER_BYTES);
            crc.update(header.duplicate());
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptFileException("not a cached Laplace solution (bad magic)");
            }
            int version = header.getInt();
            if (version != FORMAT_VERSION) {
                throw new CorruptFileException("format version " + version + ", this build reads " + FORMAT_VERSION);
            }
            int n = header.getInt();
            byte[] storedKey = new byte[key.length];
            header.get(storedKey);
            double[] lo = {header.getDouble(), header.getDouble(), header.getDouble()};
            double[] hi = {header.getDouble(), header.getDouble(), header.getDouble()};
            if (n != lattice.n() || !Arrays.equals(storedKey, key) || !Arrays.equals(lo, lattice.box().lo())
                    || !Arrays.equals(hi, lattice.box().hi())) {
                throw new CorruptFileException("it holds another key or lattice");
            }
            int iterations = header.getInt();
            boolean converged = header.getInt() == 1;
            double residual = header.getDouble();
            double[] values = new double[lattice.nodes()];
            for (int from = 0; from < values.length; from += CHUNK_DOUBLES) {
                int to = Math.min(values.length, from + CHUNK_DOUBLES);
                ByteBuffer chunk = readFully(channel, (to - from) * Double.BYTES);
                crc.update(chunk.duplicate());
                chunk.asDoubleBuffer().get(values, from, to - from);
            }
            ByteBuffer trailer = readFully(channel, TRAILER_BYTES);
            int stored = trailer.getInt();
            if (stored != (int) crc.getValue()) {
                throw new CorruptFileException("checksum mismatch");
            }
            return new LaplaceSolution(lattice, values, iterations, residual, converged);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new CorruptFileException("ends early");
            }
        }
        return buffer.flip();
    }

    /** A cache file that is not a whole, matching solution. */
    private static final class CorruptFileException extends IOException {
        CorruptFileException(String message) {
            super(message);
        }
    }
}
