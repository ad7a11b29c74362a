package io.hermitengp.backend;

import io.hermitengp.backend.opencl.OpenClBackend;
import io.hermitengp.backend.opencl.OpenClFieldBatch;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.problem.Problem;

import java.util.ArrayList;
import java.util.List;

/** Opens the backend a config asks for. */
public final class Backends {
    private Backends() {
    }

    /**
     * {@code java}: the CPU backend on {@code training.threads} threads (0 = all cores) in
     * {@code training.precision}; {@code opencl}: the OpenCL backend on {@code training.backend.device},
     * sized for one step's points, in {@code training.precision}. An OpenCL request that cannot be
     * met fails; it never turns into a CPU run. {@code auto} is resolved to one of the two before
     * this ({@link io.hermitengp.fit.BackendChoice}).
     */
    public static TrainingBackend open(TrainConfig config, NeuralField field, Problem problem) {
        TrainConfig.Training t = config.training();
        switch (t.backend().type()) {
            case TrainConfig.Backend.OPENCL -> {
                return new OpenClBackend(field, problem, t.backend().device(), t.pointsPerStep(), t.precision());
            }
            case TrainConfig.Backend.JAVA -> {
                int threads = t.threads() > 0 ? t.threads() : Runtime.getRuntime().availableProcessors();
                return new JavaBackend(field, problem, threads, t.precision());
            }
            default -> throw new IllegalArgumentException("training.backend.type '" + t.backend().type()
                    + "' must be resolved to java or opencl before a backend opens");
        }
    }

    /**
     * Opens a batch of fields of one architecture ({@link FieldBatchBackend}) as {@link #open}
     * opens one: {@code java} on {@code training.threads} threads shared by the batch, {@code opencl}
     * on the device, sized for one step's points per field, every pass one launch for the batch (the
     * fields must qualify: {@link OpenClFieldBatch#incompatible}). A batch of one is the single backend.
     *
     * @param config   the batch's backend settings (every field's config names the same backend)
     * @param problems each field's problem, in the order of {@code fields}
     */
    public static FieldBatchBackend openBatch(TrainConfig config, List<NeuralField> fields, List<Problem> problems) {
        if (fields.size() == 1) {
            return FieldBatchBackend.of(open(config, fields.get(0), problems.get(0)));
        }
        TrainConfig.Training t = config.training();
        switch (t.backend().type()) {
            case TrainConfig.Backend.OPENCL -> {
                return new OpenClFieldBatch(fields, problems, t.backend().device(), t.pointsPerStep(),
                        t.precision());
            }
            case TrainConfig.Backend.JAVA -> {
                int threads = t.threads() > 0 ? t.threads() : Runtime.getRuntime().availableProcessors();
                return new JavaFieldBatch(fields, problems, threads, t.precision());
            }
            default -> throw new IllegalArgumentException("training.backend.type '" + t.backend().type()
                    + "' must be resolved to java or opencl before a backend opens");
        }
    }

    /**
     * The fields cut into groups that {@link #openBatch} can each open as one batch, in the order
     * given: on the CPU all of them; on OpenCL those that share the geometry and term layout one
     * launch needs ({@link OpenClFieldBatch#compatibleGroups}).
     *
     * @return each group's field indices, ascending
     */
    public static List<List<Integer>> batchGroups(TrainConfig config, List<NeuralField> fields, List<Problem> problems) {
        if (config.training().backend().type().equals(TrainConfig.Backend.OPENCL)) {
            return OpenClFieldBatch.compatibleGroups(fields, problems);
        }
        List<Integer> all = new ArrayList<>(fields.size());
        for (int f = 0; f < fields.size(); f++) {
            all.add(f);
        }
        return List.of(all);
    }
}
