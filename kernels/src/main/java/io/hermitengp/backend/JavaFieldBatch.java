package io.hermitengp.backend;

import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.backend.cpu.TiledStep;
import io.hermitengp.field.NeuralField;
import io.hermitengp.network.Precision;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of fields on the CPU: one {@link JavaBackend} per field, all on one {@link WorkerPool}.
 * A step's chunk tasks of every field go to the threads as one round and their reductions as a
 * second, so the threads wait twice per step of the batch rather than twice per field, and a
 * thread that finishes one field's tiles takes the next field's. Each task is the one the field
 * runs when it trains alone and writes only that field's buffers, so every field's numbers are
 * bit-identical to training it alone, for any thread count. The fields take turns on each
 * thread's tile buffers ({@link TiledStep.Workspaces}), one set per thread for the batch rather
 * than per field, so they stay in cache. Adam updates and averages run one task per field. The
 * fields must share one architecture.
 */
public final class JavaFieldBatch implements FieldBatchBackend {
    private final WorkerPool pool;
    private final List<JavaBackend> fields;

    /**
     * @param fields   the fields, one architecture
     * @param problems each field's problem, in the same order
     * @param path      the CPU path for every field (see {@link JavaBackend})
     * @param precision the tile arithmetic of every field ({@link Precision#FLOAT32}: tiled paths only)
     */
    public JavaFieldBatch(List<NeuralField> fields, List<Problem> problems, int threads, CpuPath path,
                          Precision precision) {
        if (fields.isEmpty() || fields.size() != problems.size()) {
            throw new IllegalArgumentException("a batch needs one problem per field and at least one field, got "
                    + fields.size() + " fields and " + problems.size() + " problems");
        }
        if (precision == Precision.FLOAT32 && path == CpuPath.REFERENCE) {
            throw new IllegalArgumentException("training.precision float32 runs on the tiled CPU path only; the "
                    + "reference path computes in double");
        }
        this.pool = new WorkerPool(threads);
        this.fields = new ArrayList<>(fields.size());
        // one set of tile buffers per thread for all fields of a jet size, so it stays in cache
        Map<Integer, TiledStep.Workspaces> workspaces = new HashMap<>();
        if (path != CpuPath.REFERENCE) {
            Map<Integer, List<Problem>> byJet = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                byJet.computeIfAbsent(TiledStep.Workspaces.jetSize(fields.get(i), problems.get(i)),
                        k -> new ArrayList<>()).add(problems.get(i));
            }
            byJet.forEach((jet, sharing) -> workspaces.put(jet, new TiledStep.Workspaces(fields.get(0), path.kernels(),
                    precision == Precision.FLOAT32 ? path.floatKernels() : null, sharing)));
        }
        for (int i = 0; i < fields.size(); i++) {
            this.fields.add(new JavaBackend(fields.get(i), problems.get(i), pool, path, precision,
                    workspaces.get(TiledStep.Workspaces.jetSize(fields.get(i), problems.get(i)))));
        }
    }

    /** The fastest path each field allows, as {@link JavaBackend}'s own constructor chooses it. */
    public JavaFieldBatch(List<NeuralField> fields, List<Problem> problems, int threads, Precision precision) {
        this(fields, problems, threads, TiledStep.supports(fields.get(0)) ? CpuPath.fastestTiled() : CpuPath.REFERENCE,
                precision);
    }

    @Override
    public String description() {
        return fields.get(0).description() + ",fields=" + fields.size();
    }

    @Override
    public int size() {
        return fields.size();
    }

    @Override
    public JavaBackend field(int index) {
        return fields.get(index);
    }

    @Override
    public void computeGradients(List<GradientRequest> requests) {
        List<TiledStep.Work> works = new ArrayList<>(requests.size());
        List<Runnable> chunks = new ArrayList<>();
        for (GradientRequest r : requests) {
            JavaBackend backend = fields.get(r.field());
            TiledStep.Work work = backend.gradientWork(r.batch(), r.termWeights(), r.activeLevels(), r.termLosses());
            if (work == null) {   // the reference path runs its own two phases
                backend.computeGradient(r.batch(), r.termWeights(), r.activeLevels(), r.termLosses());
                continue;
            }
            works.add(work);
            chunks.addAll(work.chunkTasks());
        }
        pool.runAll(chunks);
        List<Runnable> reductions = new ArrayList<>();
        for (TiledStep.Work work : works) {
            reductions.addAll(work.reductionTasks());
        }
        pool.runAll(reductions);
    }

    @Override
    public void adamUpdates(List<AdamRequest> requests) {
        List<Runnable> updates = new ArrayList<>(requests.size());
        for (AdamRequest r : requests) {
            JavaBackend backend = fields.get(r.field());
            updates.add(() -> backend.adamUpdate(r.adam(), r.segments()));
        }
        pool.runAll(updates);
    }

    @Override
    public void updateAverages(int[] indices) {
        List<Runnable> updates = new ArrayList<>(indices.length);
        for (int f : indices) {
            JavaBackend backend = fields.get(f);
            updates.add(backend::updateAverage);
        }
        pool.runAll(updates);
    }

    @Override
    public void close() {
        pool.close();
    }
}
