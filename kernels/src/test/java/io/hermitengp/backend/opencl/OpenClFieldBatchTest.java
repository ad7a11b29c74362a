package io.hermitengp.backend.opencl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.backend.Backends;
import io.hermitengp.backend.FieldBatchBackend;
import io.hermitengp.backend.FieldBatchBackend.AdamRequest;
import io.hermitengp.backend.FieldBatchBackend.GradientRequest;
import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.ShrunkConfigs;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.network.Precision;
import io.hermitengp.optim.Adam;
import io.hermitengp.optim.AdamSegment;
import io.hermitengp.problem.Problem;
import io.hermitengp.problem.UniformBoxSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fields trained as one {@link OpenClFieldBatch} against the same fields each trained alone
 * ({@link OpenClBackend}, a batch of one) with the same batches, bit for bit: every step's term
 * losses, and at the end the parameters, both Adam moments, the running average, the gradient's
 * norm and an evaluation spanning several slots. The fields differ in their problems' constants
 * (Helmholtz's a and k, Taylor-Green's viscosity), seeds, points per term (and so weight-gradient
 * tiles), active levels, learning rates and average decays, and each step requests them in reverse
 * order (slot s is not field s), so a slot that read another slot's or field's numbers would show.
 * A field left out of the steps keeps its numbers while the others train. Fields the batch cannot
 * share are refused with the reason.
 */
class OpenClFieldBatchTest {
    private static final int POINTS_PER_TERM = 40;
    /**
     * Points per term of the Helmholtz fields: 200 points per step fill two weight-gradient tiles,
     * and the field given 80 fewer fills one, so slots of a launch end their tiles apart.
     */
    private static final int HELMHOLTZ_POINTS_PER_TERM = 100;

    /**
     * One field of a test batch and how it trains: its own problem and initial parameters, points
     * per term (at most the config's), active levels growing from {@code firstLevels} by one every
     * five steps, table learning rate and average decay.
     */
    private record Instance(TrainConfig config, NeuralField field, Problem problem, double[] initial, long seed,
                            int[] counts, int firstLevels, double tableRate, double decay) {
        /** The batch of step {@code step}, the same in a batch and alone. */
        CollocationBatch batch(int step) {
            return CollocationBatch.sample(problem, counts, new SplittableRandom(seed * 1000 + step));
        }

        int activeLevels(int step) {
            return Math.min(field.encoding().layout().levels(), firstLevels + step / 5);
        }

        double[] weights() {
            double[] weights = new double[counts.length];
            for (int k = 0; k < weights.length; k++) {
                weights[k] = 0.5 + k;
            }
            return weights;
        }

        /** The step at which level {@code l} joins the trained levels. */
        int firstStep(int l) {
            return Math.max(0, 5 * (l - firstLevels + 1));
        }

        /** Each trained level's tables at the instance's rate with its own step count, then the network. */
        List<AdamSegment> segments(int step) {
            HermiteGridLayout layout = field.encoding().layout();
            List<AdamSegment> segments = new ArrayList<>();
            for (int l = 0; l < activeLevels(step); l++) {
                segments.add(new AdamSegment(field.encodingOffset() + layout.levelStart(l),
                        field.encodingOffset() + layout.levelEnd(l), tableRate, step + 1 - firstStep(l)));
            }
            segments.add(new AdamSegment(field.networkOffset(), field.parameterCount(), 0.001, step + 1));
            return segments;
        }
    }

    /** What a run leaves of each field: term losses per step, and the end state. */
    private record Run(double[][][] losses, double[][] params, double[][] firstMoment, double[][] secondMoment,
                       double[][] average, double[] gradientNorm, double[][] evaluation, double[][] paramsAtStop) {
    }

    private static TrainConfig config(String name, Consumer<ObjectNode> problem, long seed) {
        return config(name, POINTS_PER_TERM, problem, seed);
    }

    private static TrainConfig config(String name, int pointsPerTerm, Consumer<ObjectNode> problem, long seed) {
        ObjectNode tree = ShrunkConfigs.shrunk("/configs/" + name, pointsPerTerm);
        problem.accept((ObjectNode) tree.get("problem"));
        ObjectNode training = (ObjectNode) tree.get("training");
        training.put("seed", seed).put("threads", 2);
        training.putObject("backend").put("type", "opencl");
        return ConfigReader.readTrainConfig(tree.toString(), name);
    }

    private static Instance instance(TrainConfig config, int pointsLess, int firstLevels, double tableRate,
                                     double decay) {
        Problem problem = config.problem().create(2);
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        int[] counts = problem.terms().stream().mapToInt(t -> config.training().points().get(t.name())).toArray();
        counts[0] -= pointsLess;
        return new Instance(config, field, problem, FieldArchitecture.initialParameters(config, field),
                config.training().seed(), counts, firstLevels, tableRate, decay);
    }

    /** Four Helmholtz 2D fields of one architecture, each its own a, k, seed, batch size, levels and rates. */
    private static List<Instance> helmholtz() {
        String name = "helmholtz2d-small.json";
        int points = HELMHOLTZ_POINTS_PER_TERM;
        return List.of(
                instance(config(name, points, p -> p.put("a", 1).put("k", 1), 1), 0, 2, 0.01, 0.9),
                instance(config(name, points, p -> p.put("a", 2).put("k", 1.5), 2), 0, 3, 0.02, 0.95),
                instance(config(name, points, p -> p.put("a", 1).put("k", 4), 3), 80, 1, 0.01, 0.8),
                instance(config(name, points, p -> p.put("a", 3).put("k", 2), 4), 0, 4, 0.005, 0.99));
    }

    /**
     * Trains each instance {@code steps[f]} steps on the batch, every step one call of each kind
     * for the fields still training, then reads every field's state.
     */
    private static Run train(FieldBatchBackend batch, List<Instance> instances, int[] steps) {
        int fields = instances.size();
        Adam adam = new Adam(0.9, 0.99, 1e-15);
        double[][][] losses = new double[fields][][];
        double[][] paramsAtStop = new double[fields][];
        for (int f = 0; f < fields; f++) {
            Instance in = instances.get(f);
            batch.field(f).setParameters(in.initial());
            batch.field(f).startAverage(in.decay(), in.initial());
            losses[f] = new double[steps[f]][in.counts().length];
        }
        int longest = Arrays.stream(steps).max().orElse(0);
        for (int step = 0; step < longest; step++) {
            List<GradientRequest> gradients = new ArrayList<>();
            List<AdamRequest> updates = new ArrayList<>();
            List<Integer> training = new ArrayList<>();
            // requests in reverse field order: a field's slot need not be its index
            for (int f = fields - 1; f >= 0; f--) {
                if (step < steps[f]) {
                    Instance in = instances.get(f);
                    gradients.add(new GradientRequest(f, in.batch(step), in.weights(), in.activeLevels(step),
                            losses[f][step]));
                    updates.add(new AdamRequest(f, adam, in.segments(step)));
                    training.add(f);
                }
            }
            batch.computeGradients(gradients);
            batch.adamUpdates(updates);
            batch.updateAverages(training.stream().mapToInt(Integer::intValue).toArray());
            for (int f = 0; f < fields; f++) {
                if (step == steps[f] - 1) {
                    paramsAtStop[f] = batch.field(f).parameters();
                }
            }
        }
        double[][] params = new double[fields][];
        double[][] first = new double[fields][];
        double[][] second = new double[fields][];
        double[][] average = new double[fields][];
        double[] norm = new double[fields];
        double[][] evaluation = new double[fields][];
        for (int f = 0; f < fields; f++) {
            TrainingBackend field = batch.field(f);
            params[f] = field.parameters();
            double[][] moments = field.optimizerMoments();
            first[f] = moments[0];
            second[f] = moments[1];
            average[f] = field.average();
            norm[f] = field.gradientNorm();
            evaluation[f] = evaluate(field, instances.get(f));
        }
        return new Run(losses, params, first, second, average, norm, evaluation, paramsAtStop);
    }

    /** Value and gradient at more points than one batch of four holds, so the evaluation spans slots and chunks. */
    private static double[] evaluate(TrainingBackend backend, Instance in) {
        int dims = in.field().dims();
        int n = 9 * in.config().training().pointsPerStep() + 7;
        double[] points = new double[n * dims];
        new UniformBoxSampler(in.problem().domain()).sample(new SplittableRandom(5), n, points, 0);
        Channels channels = Channels.valueAndGradient(dims);
        double[] out = new double[n * channels.count() * in.field().outputs()];
        backend.evaluate(points, n, channels, in.field().encoding().layout().levels(), out);
        return out;
    }

    /** Each instance alone on its own {@link OpenClBackend}, with the batch's capacity, in float64. */
    private static Run[] alone(List<Instance> instances, int[] steps, int capacity) {
        return alone(instances, steps, capacity, Precision.FLOAT64);
    }

    /** Each instance alone on its own {@link OpenClBackend}, with the batch's capacity and precision. */
    private static Run[] alone(List<Instance> instances, int[] steps, int capacity, Precision precision) {
        Run[] runs = new Run[instances.size()];
        for (int f = 0; f < instances.size(); f++) {
            Instance in = instances.get(f);
            try (FieldBatchBackend one = FieldBatchBackend.of(new OpenClBackend(in.field(), in.problem(), "", capacity,
                    precision))) {
                runs[f] = train(one, List.of(in), new int[]{steps[f]});
            }
        }
        return runs;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "]: alone " + expected[i] + ", in the batch " + actual[i]);
            }
        }
    }

    /** Every field of the batch run against its run alone, bit for bit. */
    private static void assertSameAsAlone(Run batch, Run[] alone, String name) {
        for (int f = 0; f < alone.length; f++) {
            Run one = alone[f];
            String field = name + " field " + f;
            assertEquals(one.losses()[0].length, batch.losses()[f].length, field + ": steps");
            for (int step = 0; step < one.losses()[0].length; step++) {
                assertBits(one.losses()[0][step], batch.losses()[f][step], field + ": term losses at step " + step);
            }
            assertBits(one.params()[0], batch.params()[f], field + ": parameters");
            assertBits(one.firstMoment()[0], batch.firstMoment()[f], field + ": first moment");
            assertBits(one.secondMoment()[0], batch.secondMoment()[f], field + ": second moment");
            assertBits(one.average()[0], batch.average()[f], field + ": average");
            assertBits(new double[]{one.gradientNorm()[0]}, new double[]{batch.gradientNorm()[f]},
                    field + ": gradient norm");
            assertBits(one.evaluation()[0], batch.evaluation()[f], field + ": evaluation");
        }
    }

    /** Fields that differ must train differently, or the comparison proves nothing. */
    private static void assertFieldsDiffer(Run batch) {
        for (int f = 1; f < batch.params().length; f++) {
            assertNotEquals(batch.losses()[0][0][0], batch.losses()[f][0][0], "fields 0 and " + f + " start alike");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Precision.class)
    void fourHelmholtzFieldsInOneBatchEqualEachTrainedAloneBitForBit(Precision precision) {
        OpenClRequirement.requireDevice();
        List<Instance> instances = helmholtz();
        int[] steps = {20, 20, 20, 20};
        TrainConfig first = instances.get(0).config();
        TrainConfig config = first.withTraining(first.training().withPrecision(precision));
        String suffix = precision == Precision.FLOAT32 ? ",float32,fields=4" : ",fields=4";
        Run batch;
        int capacity;
        try (FieldBatchBackend opened = Backends.openBatch(config,
                instances.stream().map(Instance::field).toList(), instances.stream().map(Instance::problem).toList())) {
            OpenClFieldBatch cl = assertInstanceOf(OpenClFieldBatch.class, opened, "Backends.openBatch for opencl");
            assertTrue(cl.description().startsWith("opencl:") && cl.description().endsWith(suffix),
                    cl.description());
            assertEquals(precision, cl.precision());
            capacity = cl.capacity();
            assertEquals(config.training().pointsPerStep(), capacity);
            batch = train(cl, instances, steps);
        }
        assertFieldsDiffer(batch);
        assertSameAsAlone(batch, alone(instances, steps, capacity, precision), "helmholtz " + precision.configName());
    }

    @Test
    void aFieldLeftOutOfTheStepsKeepsItsNumbersWhileTheOthersTrain() {
        OpenClRequirement.requireDevice();
        List<Instance> instances = helmholtz().subList(0, 3);
        int[] steps = {12, 4, 12};
        int capacity = instances.get(0).config().training().pointsPerStep();
        Run batch;
        try (OpenClFieldBatch cl = new OpenClFieldBatch(instances.stream().map(Instance::field).toList(),
                instances.stream().map(Instance::problem).toList(), "", capacity)) {
            batch = train(cl, instances, steps);
        }
        assertBits(batch.paramsAtStop()[1], batch.params()[1], "the stopped field's parameters after its last step");
        assertTrue(!Arrays.equals(instances.get(1).initial(), batch.params()[1]), "the stopped field trained first");
        assertSameAsAlone(batch, alone(instances, steps, capacity), "stopped after 4");
    }

    /** The other residual forms: Navier-Stokes 2D with each field's viscosity, and the SDF's eikonal term. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"taylor-green-nu0.01.json, nu, 0.01, 0.05", "sdf-small.json, , , "})
    void otherResidualFormsInOneBatchEqualEachTrainedAlone(String name, String key, Double first, Double second) {
        OpenClRequirement.requireDevice();
        List<Instance> instances = List.of(
                instance(config(name, p -> setIf(p, key, first), 1), 0, 4, 0.01, 0.9),
                instance(config(name, p -> setIf(p, key, second), 2), 3, 3, 0.02, 0.95));
        int[] steps = {6, 6};
        int capacity = instances.get(0).config().training().pointsPerStep();
        Run batch;
        try (OpenClFieldBatch cl = new OpenClFieldBatch(instances.stream().map(Instance::field).toList(),
                instances.stream().map(Instance::problem).toList(), "", capacity)) {
            batch = train(cl, instances, steps);
        }
        assertFieldsDiffer(batch);
        assertSameAsAlone(batch, alone(instances, steps, capacity), name);
    }

    private static void setIf(ObjectNode problem, String key, Double value) {
        if (key != null) {
            problem.put(key, value);
        }
    }

    /**
     * The caller groups fields by these rules ({@link OpenClFieldBatch#compatibleGroups}); the batch
     * refuses what breaks them before any device is asked.
     */
    @Test
    void fieldsOfAnotherEncodingNetworkOrChannelsAreRefusedWithTheReason() {
        TrainConfig base = config("helmholtz2d-small.json", p -> { }, 1);
        Instance helmholtz = instance(base, 0, 4, 0.01, 0.9);
        TrainConfig finer = config("helmholtz2d-small.json", p -> { }, 1);
        ObjectNode tree = (ObjectNode) finer.toJson();
        ((ObjectNode) tree.get("encoding")).put("n_max", 32);
        Instance otherGrid = instance(ConfigReader.readTrainConfig(tree.toString(), "finer"), 0, 4, 0.01, 0.9);
        tree = (ObjectNode) base.toJson();
        ((ObjectNode) tree.get("network")).putArray("hidden").add(16);
        Instance otherNetwork = instance(ConfigReader.readTrainConfig(tree.toString(), "narrower"), 0, 4, 0.01, 0.9);
        Problem convection = new io.hermitengp.problem.ConvectionProblem(3.0, helmholtz.problem().domain());

        assertRefused(List.of(helmholtz.field(), otherGrid.field()), List.of(helmholtz.problem(), otherGrid.problem()),
                "field 1's encoding differs");
        assertRefused(List.of(helmholtz.field(), otherNetwork.field()),
                List.of(helmholtz.problem(), otherNetwork.problem()), "field 1's network differs");
        assertRefused(List.of(helmholtz.field(), helmholtz.field()), List.of(helmholtz.problem(), convection),
                "uses channels");
        assertRefused(List.of(helmholtz.field()), List.of(), "one problem per field");
        assertEquals(Optional.empty(), OpenClFieldBatch.incompatible(List.of(helmholtz.field(), helmholtz.field()),
                List.of(helmholtz.problem(), helmholtz.problem())));

        Instance otherK = instance(config("helmholtz2d-small.json", p -> p.put("k", 3), 2), 0, 4, 0.01, 0.9);
        assertEquals(List.of(List.of(0, 2, 4), List.of(1), List.of(3)), OpenClFieldBatch.compatibleGroups(
                List.of(helmholtz.field(), otherGrid.field(), otherK.field(), otherNetwork.field(), helmholtz.field()),
                List.of(helmholtz.problem(), otherGrid.problem(), otherK.problem(), otherNetwork.problem(),
                        helmholtz.problem())), "fields of another grid or network start groups of their own");
    }

    private static void assertRefused(List<NeuralField> fields, List<Problem> problems, String reason) {
        Optional<String> why = OpenClFieldBatch.incompatible(fields, problems);
        assertTrue(why.isPresent() && why.get().contains(reason), reason + ": " + why);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpenClFieldBatch(fields, problems, "", 16).close());
        assertEquals(why.get(), e.getMessage());
    }
}
