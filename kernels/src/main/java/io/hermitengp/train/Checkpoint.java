package io.hermitengp.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A run's complete state on disk, so a long run survives interruption: the resolved config, the
 * backend's parameters and Adam moments, and the {@link TrainingState} (step counts, loss weights,
 * parameter average and best snapshot, curves, clocks). Nothing random is stored: every batch
 * follows from the seed and the step, so a resumed run is bit-identical to an uninterrupted one.
 *
 * <p>Format (big-endian): the magic {@code HNGPCKPT}, a format version, the config as UTF-8 JSON,
 * then the arrays and counters in the order {@link #write} lists them, then a CRC-32 of everything
 * before it. A file is written to a temporary sibling and moved into place, so a crash while
 * saving leaves the previous checkpoint whole.
 *
 * <p>A checkpoint resumes only under the config that wrote it; the step budget, the time budget,
 * the thread count and the backend may differ (the Java backend's bits do not depend on the
 * thread count; another backend continues the run but not its bits).
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "HNGPCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private Checkpoint() {
    }

    static void write(Path file, TrainConfig config, TrainingState s, TrainingBackend backend) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
        try {
            CRC32 crc = new CRC32();
            try (OutputStream raw = Files.newOutputStream(temp);
                 CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20), crc);
                 DataOutputStream out = new DataOutputStream(checked)) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                writeBytes(out, ConfigReader.mapper().writeValueAsBytes(comparable(config)));
                writeDoubles(out, backend.parameters());
                double[][] moments = backend.optimizerMoments();
                writeDoubles(out, moments[0]);
                writeDoubles(out, moments[1]);
                out.writeLong(s.iteration);
                writeLongs(out, s.levelSteps);
                out.writeLong(s.networkSteps);
                writeDoubles(out, s.weights);
                writeDoubles(out, s.termLosses);
                writeOptional(out, s.averaging ? backend.average() : null);
                writeOptional(out, s.best);
                out.writeDouble(s.bestRelL2);
                out.writeDouble(s.bestGradRelL2);
                out.writeLong(s.bestStep);
                out.writeDouble(s.finalAverageRelL2);
                out.writeDouble(s.finalRawRelL2);
                out.writeInt(s.errorCurve.size());
                for (ErrorPoint p : s.errorCurve) {
                    out.writeLong(p.step());
                    out.writeDouble(p.seconds());
                    out.writeDouble(p.relL2());
                    out.writeDouble(p.gradRelL2());
                    out.writeDouble(p.rawRelL2());
                }
                writeDoubles(out, s.lossCurve.toArray());
                out.writeLong(s.trainNanos);
                out.writeLong(s.stepBytes);
                out.writeDouble(s.lastLoss);
                out.writeDouble(s.lastRelL2);
                out.flush();
                long sum = crc.getValue();
                out.writeLong(sum);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads a checkpoint into the backend and a state.
     *
     * @throws CheckpointException if the file is not a checkpoint, is damaged, or was written
     *                                  under another config (naming what differs)
     */
    static TrainingState resume(Path file, TrainConfig config, TrainingBackend backend) {
        CRC32 crc = new CRC32();
        try (InputStream raw = Files.newInputStream(file);
             CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 20), crc);
             DataInputStream in = new DataInputStream(checked)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(file + " is not a training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CheckpointException(file + " is a checkpoint of format " + version + ", this build reads "
                        + VERSION);
            }
            String saved = normalized(new String(readBytes(in), StandardCharsets.UTF_8));
            String current = ConfigReader.mapper().writeValueAsString(comparable(config));
            if (!saved.equals(current)) {
                throw new CheckpointException(file + " was written under another config; it resumes only the run "
                        + "it saved (budgets, threads and backend may change). Saved: " + saved + "; now: " + current);
            }
            double[] params = readDoubles(in);
            double[] m = readDoubles(in);
            double[] v = readDoubles(in);
            TrainingState s = new TrainingState();
            s.iteration = in.readLong();
            s.levelSteps = readLongs(in);
            s.networkSteps = in.readLong();
            s.weights = readDoubles(in);
            s.termLosses = readDoubles(in);
            double[] average = readOptional(in);
            s.best = readOptional(in);
            s.bestRelL2 = in.readDouble();
            s.bestGradRelL2 = in.readDouble();
            s.bestStep = in.readLong();
            s.finalAverageRelL2 = in.readDouble();
            s.finalRawRelL2 = in.readDouble();
            int points = in.readInt();
            for (int i = 0; i < points; i++) {
                s.errorCurve.add(new ErrorPoint(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            for (double loss : readDoubles(in)) {
                s.lossCurve.add(loss);
            }
            s.trainNanos = in.readLong();
            s.stepBytes = in.readLong();
            s.lastLoss = in.readDouble();
            s.lastRelL2 = in.readDouble();
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new CheckpointException(file + " is damaged (checksum mismatch)");
            }
            backend.restore(params, m, v);
            if (average != null) {
                backend.startAverage(config.training().ema().decay(), average);
                s.averaging = true;
            }
            return s;
        } catch (EOFException e) {
            throw new CheckpointException(file + " is truncated", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The saved config as this build resolves it: read again, so that a key this build added
     * since the checkpoint was written takes its default (which is what the run had) instead of
     * making the configs differ. A saved config this build cannot read stays as it was saved.
     */
    private static String normalized(String saved) {
        try {
            return ConfigReader.mapper().writeValueAsString(comparable(ConfigReader.readTrainConfig(saved,
                    "the checkpoint's config")));
        } catch (RuntimeException | IOException unreadable) {
            return saved;
        }
    }

    /** The config with the keys a resumed run may change removed. */
    private static ObjectNode comparable(TrainConfig config) {
        ObjectNode json = config.toJson();
        ObjectNode training = (ObjectNode) json.get("training");
        training.remove("steps");
        training.remove("max_seconds");
        training.remove("threads");
        training.remove("backend");
        return json;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 26) {
            throw new IOException("bad length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad length " + n);
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad length " + n);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeOptional(DataOutputStream out, double[] values) throws IOException {
        out.writeBoolean(values != null);
        if (values != null) {
            writeDoubles(out, values);
        }
    }

    private static double[] readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? readDoubles(in) : null;
    }
}
