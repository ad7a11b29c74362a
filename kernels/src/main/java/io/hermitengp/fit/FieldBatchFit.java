package io.hermitengp.fit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.backend.Backends;
import io.hermitengp.backend.FieldBatchBackend;
import io.hermitengp.backend.opencl.OpenClDevices;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.train.Cancellation;
import io.hermitengp.train.CheckpointException;
import io.hermitengp.train.FitCancelledException;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.Trainer;
import io.hermitengp.train.TrainingResult;
import io.hermitengp.train.TrainingStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fits many instances, training those of one architecture together in batches of up to
 * {@code batchFields} fields ({@link FieldBatchBackend}), so that one device launch (or one round
 * of CPU tasks) serves many fields. Every instance keeps what it has when fitted alone
 * ({@link FieldFit#fitInstance}): its seed from its id, its own problem, loss weights, schedule,
 * stopping rule and checkpoint; its field is bit-identical to fitting it alone. And one bad
 * instance is one failed outcome: a spec that does not parse or a problem that cannot be built
 * fails before its batch forms, a field that diverges stops while the others go on, and a saved
 * state that cannot be resumed sends only its own instance back to step 0, alone.
 *
 * <p>Grouping: instances are grouped by what the spec says of the architecture (problem type,
 * {@code encoding}, {@code network}, {@code training.backend}, threads and precision) in the order given,
 * cut into batches of {@code batchFields}; a batch's problems are then built, and its fields
 * grouped again by the exact field and the backend that the policy chose ({@link BackendChoice}),
 * and cut by what one launch of that backend allows ({@link Backends#batchGroups}: on OpenCL, one
 * domain box and term layout), so a batch only ever holds fields one backend can train together. A member the heap cannot hold
 * beside its batch ({@link FitMemory}) waits and trains alone after the batch; on an OpenCL
 * device a batch is cut further to what the device's memory holds ({@link #fieldsPerLaunch}).
 *
 * <p>A fit called off from outside ({@link Cancellation}) is not an instance's failure: it stops
 * within a step with {@link FitCancelledException}, which goes through to the caller, and the
 * instances keep their checkpoints.
 */
public final class FieldBatchFit {
    private FieldBatchFit() {
    }

    /** An instance to fit: its id (unique) and its spec, a training config as JSON text. */
    public record InstanceSpec(String id, String spec) {
    }

    /**
     * Fits the instances; never throws for a bad one.
     *
     * @param batchFields the most fields trained together, >= 1 (1 fits each alone)
     * @param done        told each outcome as soon as its batch ends
     * @return one outcome per instance, in the order given
     */
    public static List<FitOutcome> fitAll(List<InstanceSpec> instances, DeviceChoice device,
                                          InstanceCheckpoints checkpoints, int batchFields,
                                          Consumer<FitOutcome> done) {
        return fitAll(instances, device, checkpoints, batchFields, Cancellation.NEVER, done);
    }

    /**
     * The same, asking {@code cancellation} before every batch and every step.
     *
     * @throws FitCancelledException once {@code cancellation} gives a reason: the outcomes told to
     *                               {@code done} before then stand, the rest are not fitted
     */
    public static List<FitOutcome> fitAll(List<InstanceSpec> instances, DeviceChoice device,
                                          InstanceCheckpoints checkpoints, int batchFields,
                                          Cancellation cancellation, Consumer<FitOutcome> done) {
        if (batchFields < 1) {
            throw new IllegalArgumentException("batch_fields must be >= 1, got " + batchFields);
        }
        Map<String, FitOutcome> outcomes = new LinkedHashMap<>();
        Map<String, List<InstanceSpec>> groups = new LinkedHashMap<>();
        for (InstanceSpec instance : instances) {
            outcomes.put(instance.id(), null);
            groups.computeIfAbsent(specKey(instance.spec()), k -> new ArrayList<>()).add(instance);
        }
        for (List<InstanceSpec> group : groups.values()) {
            for (int from = 0; from < group.size(); from += batchFields) {
                List<InstanceSpec> members = group.subList(from, Math.min(group.size(), from + batchFields));
                cancellation.check();
                for (FitOutcome outcome : fitBatch(members, device, checkpoints, cancellation)) {
                    outcomes.put(outcome.id(), outcome);
                    done.accept(outcome);
                }
            }
        }
        return new ArrayList<>(outcomes.values());
    }

    /**
     * What a spec says of its field's architecture and backend: instances with different keys
     * never share a batch. A spec that does not parse gets a key of its own kind; it fails when
     * its batch prepares it.
     */
    public static String specKey(String spec) {
        try {
            ObjectNode json = (ObjectNode) ConfigReader.parseTree(spec, "spec");
            return json.path("problem").path("type").toString() + json.path("encoding") + json.path("network")
                    + json.path("training").path("backend") + json.path("training").path("threads")
                    + json.path("training").path("precision");
        } catch (RuntimeException notJson) {
            return "unparsed";
        }
    }

    /** One prepared member: its fit (problem, field, config, memory) and what its outcome needs. */
    private record Member(InstanceSpec instance, String kind, FieldFit fit, String resolved) {
        /** The exact architecture and backend: members with the same key train on one batch backend. */
        String key() {
            NeuralField field = fit.field();
            ObjectNode json = fit.config().toJson();
            return field.dims() + "/" + field.outputs() + "/" + field.parameterCount() + json.path("encoding")
                    + json.path("network") + json.path("training").path("backend")
                    + fit.config().training().threads() + fit.config().training().precision();
        }
    }

    private static List<FitOutcome> fitBatch(List<InstanceSpec> instances, DeviceChoice device,
                                             InstanceCheckpoints checkpoints, Cancellation cancellation) {
        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        List<FitOutcome> outcomes = new ArrayList<>();
        List<InstanceSpec> alone = new ArrayList<>();
        Map<String, List<Member>> byArchitecture = new LinkedHashMap<>();
        try {
            for (InstanceSpec instance : instances) {
                String kind = FieldFit.kindOf(instance.spec());
                try {
                    TrainConfig config = FieldFit.withInstanceSeed(
                            ConfigReader.readTrainConfig(instance.spec(), "instance " + instance.id()), instance.id());
                    FieldFit fit = FieldFit.prepare(config, device, System.nanoTime());
                    Member member = new Member(instance, kind, fit, fit.config().toJson().toString());
                    byArchitecture.computeIfAbsent(member.key(), k -> new ArrayList<>()).add(member);
                } catch (FitMemory.InsufficientMemoryException tooLarge) {
                    if (byArchitecture.isEmpty()) {
                        outcomes.add(failed(instance, kind, null, "", tooLarge, device, startedAt, started));
                    } else {
                        alone.add(instance);   // after the batch gives its memory back
                    }
                } catch (RuntimeException | StackOverflowError | LinkageError e) {
                    outcomes.add(failed(instance, kind, null, "", e, device, startedAt, started));
                }
            }
            for (List<Member> architecture : byArchitecture.values()) {
                for (List<Member> members : launchable(architecture)) {
                    int most = fieldsPerLaunch(members.get(0).fit());
                    for (int from = 0; from < members.size(); from += most) {
                        outcomes.addAll(train(members.subList(from, Math.min(members.size(), from + most)), device,
                                checkpoints, cancellation, startedAt, started));
                    }
                }
            }
        } finally {
            for (List<Member> members : byArchitecture.values()) {
                for (Member m : members) {
                    m.fit().close();
                }
            }
        }
        for (InstanceSpec instance : alone) {
            outcomes.addAll(fitAll(List.of(instance), device, checkpoints, 1, cancellation, outcome -> { }));
        }
        return outcomes;
    }

    /** Members of one architecture cut into the groups their backend can train in one batch ({@link Backends#batchGroups}). */
    private static List<List<Member>> launchable(List<Member> members) {
        List<List<Member>> groups = new ArrayList<>();
        for (List<Integer> group : Backends.batchGroups(members.get(0).fit().config(),
                members.stream().map(m -> m.fit().field()).toList(),
                members.stream().map(m -> m.fit().problem()).toList())) {
            groups.add(group.stream().map(members::get).toList());
        }
        return groups;
    }

    /** The share of a device's global memory a batch may fill: the rest is the runtime's and the kernels'. */
    static final double DEVICE_MEMORY_SHARE = 0.8;

    /**
     * The most fields of this fit's kind that one device batch holds: on an OpenCL device,
     * {@link #DEVICE_MEMORY_SHARE} of its global memory over the fit's estimate
     * ({@link FitMemory}: parameters, optimizer state, step and batch buffers; the device holds a
     * copy of each); unbounded on the CPU, whose heap each member reserved already.
     */
    static int fieldsPerLaunch(FieldFit fit) {
        TrainConfig.Backend backend = fit.config().training().backend();
        if (!backend.type().equals(TrainConfig.Backend.OPENCL)) {
            return Integer.MAX_VALUE;
        }
        FitMemory estimate = FitMemory.estimate(fit.config());
        long perField = estimate.parameterBytes() + estimate.stepBytes() + estimate.batchBytes();
        long memory;
        try {
            memory = OpenClDevices.select(backend.device()).getGlobalMemSize();
        } catch (RuntimeException | LinkageError noDevice) {
            return Integer.MAX_VALUE;   // the batch's backend fails to open next, naming the device
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) (DEVICE_MEMORY_SHARE * memory) / perField));
    }

    /** Trains members of one architecture and backend on one batch backend. */
    private static List<FitOutcome> train(List<Member> members, DeviceChoice device, InstanceCheckpoints checkpoints,
                                          Cancellation cancellation, long startedAt, long started) {
        List<FitOutcome> outcomes = new ArrayList<>();
        FieldBatchBackend batch;
        try {
            batch = Backends.openBatch(members.get(0).fit().config(),
                    members.stream().map(m -> m.fit().field()).toList(),
                    members.stream().map(m -> m.fit().problem()).toList());
        } catch (RuntimeException | LinkageError e) {
            for (Member m : members) {
                outcomes.add(failed(m.instance(), m.kind(), m.resolved(), m.fit().backendNote(), e, device, startedAt,
                        started));
            }
            return outcomes;
        }
        try {
            List<Trainer> trainers = new ArrayList<>();
            List<Trainer.Checkpoints> policies = new ArrayList<>();
            for (int f = 0; f < members.size(); f++) {
                FieldFit fit = members.get(f).fit();
                Trainer.Checkpoints policy = checkpoints.open(members.get(f).instance().id());
                policies.add(policy);
                trainers.add(new Trainer(fit.config(), fit.problem(), fit.field(), batch.field(f), ProgressListener.NONE)
                        .withCheckpoints(policy));
            }
            List<Trainer.Outcome> trained = Trainer.trainTogether(batch, trainers, cancellation);
            for (int f = 0; f < members.size(); f++) {
                Member m = members.get(f);
                String id = m.instance().id();
                String note = m.fit().backendNote();
                try {
                    TrainingResult result;
                    if (trained.get(f).failure() instanceof CheckpointException stale) {
                        checkpoints.discard(id);
                        note = join(note, "its checkpoint was not resumed (" + stale.getMessage()
                                + "); trained from step 0");
                        result = new Trainer(m.fit().config(), m.fit().problem(), m.fit().field(), batch.field(f),
                                ProgressListener.NONE).withCheckpoints(checkpoints.open(id)).train(cancellation);
                    } else {
                        result = trained.get(f).orThrow();
                        if (policies.get(f).resumeFrom() != null) {
                            note = join(note, "resumed from its checkpoint");
                        }
                    }
                    checkpoints.finished(id);
                    String status = result.status() == TrainingStatus.OK ? FitOutcome.OK : FitOutcome.DIVERGED;
                    outcomes.add(new FitOutcome(id, m.kind(), status, result.message(), m.resolved(), result,
                            m.fit().field().parameterCount(), device.gpuAddress(), note, startedAt, seconds(started),
                            batch.size()));
                } catch (FitCancelledException cancelled) {
                    throw cancelled;
                } catch (RuntimeException | StackOverflowError | LinkageError e) {
                    outcomes.add(failed(m.instance(), m.kind(), m.resolved(), note, e, device, startedAt, started));
                }
            }
        } catch (FitCancelledException cancelled) {
            throw cancelled;   // not the members' failure: the caller called the work off
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // the batch's own work failed (a device error): every member without an outcome fails with it
            for (Member m : members.subList(outcomes.size(), members.size())) {
                outcomes.add(failed(m.instance(), m.kind(), m.resolved(), m.fit().backendNote(), e, device, startedAt,
                        started));
            }
        } finally {
            batch.close();
            for (Member m : members) {
                checkpoints.release(m.instance().id());
            }
        }
        return outcomes;
    }

    private static FitOutcome failed(InstanceSpec instance, String kind, String resolved, String note, Throwable e,
                                     DeviceChoice device, long startedAt, long started) {
        return new FitOutcome(instance.id(), kind, FitOutcome.FAILED, FitOutcome.describe(e), resolved, null, 0,
                device.gpuAddress(), note, startedAt, seconds(started), 1);
    }

    private static String join(String note, String more) {
        return note.isEmpty() ? more : note + "; " + more;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
