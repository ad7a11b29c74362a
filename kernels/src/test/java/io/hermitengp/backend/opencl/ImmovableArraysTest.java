package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.network.Precision;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.TrainingResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffers a kernel writes keep their numbers whatever the garbage collector does between
 * launches: their arrays are ones it never moves ({@link ImmovableArrays}), or the host reads them
 * back right after the launch that writes them.
 */
class ImmovableArraysTest {
    /** The training kernel's arrays that only the host writes: these may move. */
    private static final Set<String> HOST_WRITTEN = Set.of("encLayout", "encGeometry", "net", "omegas",
            "tableEntryStart", "termKind", "termComponents", "termConstantStart", "termConstants", "averageDecay",
            "slotTable", "pointCoordinates", "pointData", "pointTerm", "termStart", "termSeedScale", "segmentRange",
            "adamFactors");
    /** The training kernel's arrays that the host reads back right after the launch that writes them: these may move. */
    private static final Set<String> READ_BACK_AT_ONCE = Set.of("staging", "termLoss", "norm");

    @Test
    void everyArrayTheTrainingKernelWritesIsOneTheCollectorLeavesInPlace() throws Exception {
        for (Precision precision : Precision.values()) {
            HermiteTrainingKernel kernel = kernel(precision);
            ImmovableArrays immovable = ImmovableArrays.forThisJvm();
            try {
                int checked = 0;
                for (Field field : HermiteTrainingKernel.class.getDeclaredFields()) {
                    if (!field.getType().isArray() || Modifier.isStatic(field.getModifiers())
                            || HOST_WRITTEN.contains(field.getName()) || READ_BACK_AT_ONCE.contains(field.getName())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object array = field.get(kernel);
                    int length = Array.getLength(array);
                    boolean unusedFloatCopy = precision == Precision.FLOAT64 && array instanceof float[] && length == 1;
                    if (unusedFloatCopy) {
                        continue;
                    }
                    int bytes = array instanceof int[] || array instanceof float[] ? 4 : 8;
                    assertTrue(length >= immovable.length(1, bytes), precision + ": " + field.getName() + " has "
                            + length + " numbers, too few for the collector to leave it in place");
                    checked++;
                }
                assertTrue(checked >= 22, precision + ": only " + checked + " written arrays found");
            } finally {
                kernel.dispose();
            }
        }
    }

    @Test
    void anArrayFromHereHoldsTheNumbersAskedForAndMore() {
        ImmovableArrays immovable = ImmovableArrays.forThisJvm();
        assertEquals(10_000_000, immovable.doubles(10_000_000).length, "a large array is not padded");
        int small = immovable.doubles(3).length;
        assertTrue(small > 3 && (long) small * Double.BYTES > 512 * 1024, "more than half of the smallest region: " + small);
        assertEquals(immovable.length(1, Integer.BYTES), immovable.ints(3).length);
        assertEquals(immovable.length(1, Float.BYTES), immovable.floats(3).length);
    }

    /**
     * A kernel adds 1 to two arrays per launch, and young and full collections run between the
     * launches. The array from {@link ImmovableArrays} ends at the launch count. The plain array,
     * moved by the first collection, got a new buffer made from the host's zeros: that is what
     * this class prevents, and it shows that the collections did move arrays.
     */
    @Test
    void aBufferTheKernelWritesKeepsItsNumbersThroughCollectionsBetweenLaunches() {
        OpenClRequirement.requireDevice();
        CountingKernel kernel = new CountingKernel();
        kernel.immovable = ImmovableArrays.forThisJvm().doubles(CountingKernel.ITEMS);
        kernel.plain = new double[CountingKernel.ITEMS];
        kernel.setExplicit(true);
        OpenClLauncher launcher = new OpenClLauncher(kernel, OpenClDevices.select(""));
        int launches = 12;
        try {
            for (int i = 0; i < launches; i++) {
                launcher.launch(CountingKernel.ITEMS);
                OpenClLauncherTest.allocateUntilACollectionRan();
                if (i % 4 == 3) {
                    System.gc();
                }
            }
            kernel.get(kernel.immovable).get(kernel.plain);
            for (int i = 0; i < CountingKernel.ITEMS; i++) {
                assertEquals(launches, kernel.immovable[i], "item " + i);
            }
            assertNotEquals(launches, kernel.plain[0], "the collections moved the plain array and reset its buffer");
        } finally {
            kernel.dispose();
        }
    }

    /**
     * Fields trained on OpenCL while another thread allocates without pause, so that young
     * collections come during the steps, equal the same fields trained in a quiet JVM, bit for bit.
     */
    @Test
    void fieldsTrainedWhileTheCollectorRunsEqualFieldsTrainedWithout() throws InterruptedException {
        OpenClRequirement.requireDevice();
        String spec = String.format(Locale.ROOT, """
                {"problem": {"type": "helmholtz2d", "a": 2, "k": 1.5},
                 "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [8, 8, 6]},
                 "network": {"hidden": [16], "omega_0": 30, "omega": 30},
                 "training": {"steps": 40, "seed": 3, "threads": 2, "backend": {"type": "opencl"},
                   "points": {"residual": 200, "boundary": 64},
                   "optimizer": {"lr_tables": 0.01, "lr_network": 1e-3},
                   "loss_weights": {"mode": "grad_norm", "weights": {"residual": 0.01, "boundary": 1}, "update_every": 7},
                   "ema": {"decay": 0.9, "report": "best"},
                   "eval_every": 10}}""");
        TrainingResult quiet = fit(spec);
        AtomicBoolean stop = new AtomicBoolean();
        long[] collections = new long[1];
        Thread allocator = new Thread(() -> {
            long before = OpenClLauncherTest.collections();
            while (!stop.get()) {
                OpenClLauncherTest.allocateUntilACollectionRan();
            }
            collections[0] = OpenClLauncherTest.collections() - before;
        });
        allocator.start();
        TrainingResult busy;
        try {
            busy = fit(spec);
        } finally {
            stop.set(true);
            allocator.join();
        }
        assertTrue(collections[0] >= 3, "only " + collections[0] + " collections ran during the busy fit");
        assertArrayEquals(quiet.parameters(), busy.parameters(), "parameters");
        assertArrayEquals(quiet.lossCurve(), busy.lossCurve(), "loss curve");
        assertArrayEquals(quiet.termWeights(), busy.termWeights(), "balanced weights");
        assertEquals(quiet.errorCurve().stream().map(p -> p.relL2()).toList(),
                busy.errorCurve().stream().map(p -> p.relL2()).toList(), "error curve");
        assertEquals(quiet.relL2(), busy.relL2());
    }

    private static TrainingResult fit(String spec) {
        FitOutcome outcome = FieldFit.fitInstance("busy", spec, DeviceChoice.cpu(2));
        assertEquals(FitOutcome.OK, outcome.status(), outcome.message());
        return outcome.result();
    }

    private static HermiteTrainingKernel kernel(Precision precision) throws Exception {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"},"
                + "\"encoding\": {\"levels\": 3, \"n_max\": 64}, \"network\": {\"hidden\": [8]}}", "test");
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        return OpenClBackend.createKernel(field, problem, 32, precision);
    }

    /** Adds 1 to both arrays' first {@link #ITEMS} numbers. */
    static final class CountingKernel extends Kernel {
        static final int ITEMS = 4096;
        double[] immovable;
        double[] plain;

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < ITEMS) {
                immovable[i] += 1.0;
                plain[i] += 1.0;
            }
        }
    }
}
