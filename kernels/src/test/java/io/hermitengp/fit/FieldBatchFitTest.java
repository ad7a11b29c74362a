package io.hermitengp.fit;

import io.hermitengp.backend.opencl.OpenClRequirement;
import io.hermitengp.train.TrainingResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fields trained together in a batch on the CPU against the same instances fitted alone: the
 * same bits, whatever else the batch holds (a field that stops early, one that diverges, one
 * whose spec is bad).
 */
class FieldBatchFitTest {
    /**
     * A small Helmholtz 2D instance. The members differ in their problem, step budget and recipe:
     * one has a running average and grad-norm balancing (its balancer computes extra gradients
     * through its own view between the batch's steps).
     */
    static String spec(double a, double k, int steps, boolean averaged, double networkRate) {
        return spec("java", a, k, steps, averaged, networkRate);
    }

    private static String spec(String backend, double a, double k, int steps, boolean averaged, double networkRate) {
        return String.format(Locale.ROOT, """
                {"problem": {"type": "helmholtz2d", "a": %s, "k": %s},
                 "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [8, 8, 6]},
                 "network": {"hidden": [16], "omega_0": 30, "omega": 30},
                 "training": {"steps": %d, "seed": 3, "threads": 2, "backend": {"type": "%s"},
                   "points": {"residual": 200, "boundary": 64},
                   "optimizer": {"lr_tables": 0.01, "lr_network": %s},
                   "loss_weights": {"mode": "%s", "weights": {"residual": 0.01, "boundary": 1}, "update_every": 7},
                   %s
                   "eval_every": 10}}""", a, k, steps, backend, networkRate, averaged ? "grad_norm" : "fixed",
                averaged ? "\"ema\": {\"decay\": 0.9, \"report\": \"best\"}," : "");
    }

    private static List<FieldBatchFit.InstanceSpec> instances(String backend) {
        return List.of(
                new FieldBatchFit.InstanceSpec("a1-k1", spec(backend, 1, 1, 30, false, 1e-3)),
                new FieldBatchFit.InstanceSpec("a2-k1.5", spec(backend, 2, 1.5, 30, true, 1e-3)),
                new FieldBatchFit.InstanceSpec("short", spec(backend, 1.5, 0.5, 12, false, 1e-3)),
                new FieldBatchFit.InstanceSpec("bad-key", spec(backend, 1, 1, 30, false, 1e-3)
                        .replace("\"seed\"", "\"sed\"")),
                new FieldBatchFit.InstanceSpec("diverges", spec(backend, 1, 2, 30, false, 1e-3)
                        .replace("\"k\": 2.0}", "\"k\": 2.0, \"domain\": {\"lo\": [-1e308, -1], \"hi\": [1e308, 1]}}")),
                new FieldBatchFit.InstanceSpec("a3-k2", spec(backend, 3, 2, 30, false, 1e-3)));
    }

    @Test
    void fieldsTrainedInABatchEqualTheSameFieldsTrainedAloneBitForBit() {
        assertBatchEqualsAlone("java", ",fields=5", ",fields=5");
    }

    /**
     * The same on OpenCL, where one launch needs one domain box: the field with the huge domain
     * trains in a batch of its own, the other four in one.
     */
    @Test
    void onOpenClFieldsTrainedInABatchEqualTheSameFieldsTrainedAloneBitForBit() {
        OpenClRequirement.requireDevice();
        assertBatchEqualsAlone("opencl", ",fields=4", "");
    }

    private static void assertBatchEqualsAlone(String backend, String batchSuffix, String divergingSuffix) {
        List<FieldBatchFit.InstanceSpec> instances = instances(backend);
        List<FitOutcome> told = new ArrayList<>();
        List<FitOutcome> batched = FieldBatchFit.fitAll(instances, DeviceChoice.cpu(2), InstanceCheckpoints.NONE, 8,
                told::add);
        assertEquals(instances.size(), batched.size());
        assertEquals(instances.size(), told.size(), "each outcome is told once");
        for (int i = 0; i < instances.size(); i++) {
            FieldBatchFit.InstanceSpec instance = instances.get(i);
            FitOutcome inBatch = batched.get(i);
            FitOutcome alone = FieldFit.fitInstance(instance.id(), instance.spec(), DeviceChoice.cpu(2));
            assertEquals(instance.id(), inBatch.id(), "outcomes keep the order given");
            assertEquals(alone.status(), inBatch.status(), instance.id() + ": " + inBatch.message());
            if (alone.result() == null) {
                assertNull(inBatch.result());
                assertEquals(alone.message(), inBatch.message());
                continue;
            }
            TrainingResult a = alone.result();
            TrainingResult b = inBatch.result();
            assertEquals(a.steps(), b.steps(), instance.id());
            assertArrayEquals(a.parameters(), b.parameters(), instance.id() + ": parameters");
            assertArrayEquals(a.lossCurve(), b.lossCurve(), instance.id() + ": loss curve");
            assertArrayEquals(a.termLosses(), b.termLosses(), instance.id() + ": term losses");
            assertArrayEquals(a.termWeights(), b.termWeights(), instance.id() + ": balanced weights");
            assertEquals(a.relL2(), b.relL2(), instance.id());
            assertEquals(a.errorCurve().stream().map(p -> p.relL2()).toList(),
                    b.errorCurve().stream().map(p -> p.relL2()).toList(), instance.id() + ": error curve");
            assertEquals(a.message(), b.message(), instance.id());
            String suffix = instance.id().equals("diverges") ? divergingSuffix : batchSuffix;
            assertTrue(b.backend().startsWith(backend + ":") && b.backend().endsWith(suffix)
                            && b.backend().contains(",fields=") == !suffix.isEmpty(),
                    "the row names the batch that ran: " + b.backend());
        }
        assertEquals(FitOutcome.FAILED, batched.get(3).status(), "the bad spec is a failed row");
        assertTrue(batched.get(3).message().contains("sed"), batched.get(3).message());
        assertEquals(FitOutcome.DIVERGED, batched.get(4).status(), batched.get(4).message());
        assertEquals(12, batched.get(2).result().steps(), "the short run stopped at its own budget");
        assertEquals(30, batched.get(5).result().steps(), "the others went on past the stops");
    }

    @Test
    void float32FieldsTrainedInABatchEqualTheSameFieldsTrainedAlone() {
        List<FieldBatchFit.InstanceSpec> instances = new ArrayList<>();
        for (double a : new double[]{1, 2, 3}) {
            instances.add(new FieldBatchFit.InstanceSpec("f32-a" + a, spec(a, 1, 12, a == 2, 1e-3)
                    .replace("\"threads\": 2,", "\"threads\": 2, \"precision\": \"float32\",")));
        }
        instances.add(new FieldBatchFit.InstanceSpec("f64", spec(1, 1, 12, false, 1e-3)));
        List<FitOutcome> batched = assertEachFitInABatchEqualsItAlone(instances);
        assertTrue(batched.get(0).result().backend().endsWith(",float32,fields=3"), batched.get(0).result().backend());
        assertTrue(batched.get(3).result().backend().matches("java:threads=2,[a-z]+"),
                "a float64 field never joins a float32 batch: " + batched.get(3).result().backend());
    }

    /** INGP-FD fields (stencil rows on the tiled path) in a batch, against each alone. */
    @Test
    void finiteDifferenceFieldsTrainedInABatchEqualTheSameFieldsTrainedAlone() {
        List<FieldBatchFit.InstanceSpec> instances = new ArrayList<>();
        for (double a : new double[]{1, 2, 3}) {
            instances.add(new FieldBatchFit.InstanceSpec("fd-a" + a, spec(a, 1, 12, a == 2, 1e-3)
                    .replace("\"encoding\": {", "\"encoding\": {\"type\": \"ingp_fd\", ")
                    .replace("\"log2_table_sizes\": [8, 8, 6]", "\"log2_table_sizes\": [8]")));
        }
        List<FitOutcome> batched = assertEachFitInABatchEqualsItAlone(instances);
        assertTrue(batched.get(0).result().backend().matches("java:threads=2,vector,fields=3"),
                batched.get(0).result().backend());
    }

    /**
     * Fits the instances in batches of up to 8 and each alone; every one must train, and the
     * two must agree in parameters and loss curve bit for bit. Returns the batched outcomes.
     */
    private static List<FitOutcome> assertEachFitInABatchEqualsItAlone(List<FieldBatchFit.InstanceSpec> instances) {
        List<FitOutcome> batched = FieldBatchFit.fitAll(instances, DeviceChoice.cpu(2), InstanceCheckpoints.NONE, 8,
                o -> { });
        for (int i = 0; i < instances.size(); i++) {
            String id = instances.get(i).id();
            FitOutcome alone = FieldFit.fitInstance(id, instances.get(i).spec(), DeviceChoice.cpu(2));
            assertEquals(FitOutcome.OK, batched.get(i).status(), batched.get(i).message());
            assertArrayEquals(alone.result().parameters(), batched.get(i).result().parameters(), id + ": parameters");
            assertArrayEquals(alone.result().lossCurve(), batched.get(i).result().lossCurve(), id + ": loss curve");
        }
        return batched;
    }

    @Test
    void batchesAreCutAtTheirSizeAndByArchitecture() {
        String wider = spec(1, 1, 6, false, 1e-3).replace("\"hidden\": [16]", "\"hidden\": [24]");
        List<FieldBatchFit.InstanceSpec> instances = List.of(
                new FieldBatchFit.InstanceSpec("a", spec(1, 1, 6, false, 1e-3)),
                new FieldBatchFit.InstanceSpec("wide", wider),
                new FieldBatchFit.InstanceSpec("b", spec(2, 1, 6, false, 1e-3)),
                new FieldBatchFit.InstanceSpec("c", spec(3, 1, 6, false, 1e-3)));
        List<FitOutcome> outcomes = FieldBatchFit.fitAll(instances, DeviceChoice.cpu(2), InstanceCheckpoints.NONE, 2,
                o -> { });
        assertEquals(List.of("a", "wide", "b", "c"), outcomes.stream().map(FitOutcome::id).toList());
        assertTrue(outcomes.get(0).result().backend().endsWith(",fields=2"), outcomes.get(0).result().backend());
        assertTrue(outcomes.get(2).result().backend().endsWith(",fields=2"), "a and b share a batch of 2");
        assertTrue(outcomes.get(3).result().backend().matches("java:threads=2,[a-z]+"),
                "c is left over, a batch of one: " + outcomes.get(3).result().backend());
        assertTrue(outcomes.get(1).result().backend().matches("java:threads=2,[a-z]+"),
                "another network never joins their batch: " + outcomes.get(1).result().backend());
    }
}
