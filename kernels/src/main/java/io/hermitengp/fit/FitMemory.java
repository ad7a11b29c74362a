package io.hermitengp.fit;

import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap a fit needs, estimated from its config before anything is read, sampled or allocated,
 * so that an instance too large for the memory there is fails with both numbers instead of
 * running into an {@link OutOfMemoryError} (after which a JVM, a Spark executor above all, is in
 * an unknown state). With P parameters, n points per step, d input axes, C <= d + 2 channels,
 * E encoding outputs, s = 1 (analytic derivatives) or 2d + 1 (finite-difference stencil) field
 * evaluations per point, and hidden widths w_k, in doubles:
 *
 * <pre>
 *   parameters = 6 P                    parameters, gradient, two Adam moments, initial and returned copies
 *   step       = n s (d + 2 C E + C outputs + sum_k (3 C + 1) w_k)   the backend's per-point work buffers
 *   batch      = 2 n (d + 8)            a batch's points and per-point data, and the sorted copy
 *   problem    = {@link io.hermitengp.config.ProblemConfig#problemBytes()}   pools, reference points
 * </pre>
 *
 * The OpenCL backend mirrors its buffers in the heap (Aparapi), so the estimate holds for it too.
 *
 * @param parameterBytes tables, network and optimizer state
 * @param stepBytes      work buffers of one training step
 * @param batchBytes     one batch of collocation points
 * @param problemBytes   the problem's own samples and lattices
 */
public record FitMemory(long parameterBytes, long stepBytes, long batchBytes, long problemBytes) {

    public static FitMemory estimate(TrainConfig config) {
        NeuralField field = FieldArchitecture.of(config);
        int d = field.dims();
        boolean analytic = field.stencil() == null;
        long evaluations = config.training().pointsPerStep() * (analytic ? 1L : 2L * d + 1);
        int channels = analytic ? d + 2 : 1;
        long widths = 0;
        for (int w : config.network().hidden()) {
            widths += w;
        }
        widths += field.outputs();
        long perEvaluation = d + 2L * channels * field.encoding().outputWidth() + (long) channels * field.outputs()
                + (3L * channels + 1) * widths;
        long points = config.training().pointsPerStep();
        return new FitMemory(Double.BYTES * 6L * field.parameterCount(), Double.BYTES * evaluations * perEvaluation,
                Double.BYTES * 2L * points * (d + 8), config.problem().problemBytes());
    }

    public long total() {
        return parameterBytes + stepBytes + batchBytes + problemBytes;
    }

    /** Bytes reserved by the fits of this JVM that are running now ({@link #reserve}). */
    private static final AtomicLong RESERVED = new AtomicLong();

    /** The bytes the running fits of this JVM hold now. */
    static long reserved() {
        return RESERVED.get();
    }

    /**
     * Claims this fit's bytes for as long as it runs, so fits that start at the same time in one
     * JVM (the tasks of an executor, every task under {@code local[*]}) do not each count the same
     * free heap: what is available to one is the free heap less what the others have reserved.
     * (A running fit's allocations also leave the free heap, so it is counted twice while it
     * runs: the check errs on the side of refusing.)
     *
     * @throws InsufficientMemoryException when it does not fit beside the fits reserved now
     */
    public Reservation reserve() {
        long need = total();
        while (true) {
            long held = RESERVED.get();
            requireAtMost(available() - held);
            if (RESERVED.compareAndSet(held, held + need)) {
                return new Reservation(need);
            }
        }
    }

    /** A fit's claim on the heap; closing it (once) gives the bytes back. */
    public static final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean released;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                RESERVED.addAndGet(-bytes);
            }
        }
    }

    /** Bytes this JVM can still allocate: its maximum heap less what is in use now. */
    public static long available() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /**
     * Fails with the estimate and what is available when the fit would not fit.
     *
     * @throws InsufficientMemoryException when {@link #total()} exceeds {@code available}
     */
    public void requireAtMost(long available) {
        if (total() > available) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "this fit needs about %s (parameters and optimizer state %s, step buffers %s, batch %s, "
                            + "problem samples %s) and %s of heap is available; lower training.points, the table "
                            + "sizes or the pool sizes, or give the JVM more memory (-Xmx, spark.executor.memory)",
                    mib(total()), mib(parameterBytes), mib(stepBytes), mib(batchBytes), mib(problemBytes),
                    mib(available)));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** A fit that would need more memory than there is. */
    public static final class InsufficientMemoryException extends RuntimeException {
        public InsufficientMemoryException(String message) {
            super(message);
        }
    }
}
