package io.hermitengp.backend.opencl;

import com.aparapi.Kernel;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.network.Precision;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
     * A kernel adds 1 to an array from {@link ImmovableArrays} per launch, with a young collection
     * (and every fourth time a full one) between launches: the array ends at the launch count. A
     * plain array of this size is moved by the first of them and its buffer remade from the
     * host's zeros (the fit below shows what that does to training).
     */
    @Test
    void aBufferTheKernelWritesKeepsItsNumbersThroughCollectionsBetweenLaunches() {
        OpenClRequirement.requireDevice();
        CountingKernel kernel = new CountingKernel();
        kernel.setExplicit(true);
        int launches = 12;
        try {
            OpenClLauncher launcher = new OpenClLauncher(kernel, OpenClDevices.select(""));
            kernel.counts = ImmovableArrays.forThisJvm().doubles(CountingKernel.ITEMS);
            for (int i = 0; i < launches; i++) {
                launcher.launch(CountingKernel.ITEMS);
                OpenClLauncherTest.allocateUntilACollectionRan();
                if (i % 4 == 3) {
                    System.gc();
                }
            }
            kernel.get(kernel.counts);
            for (int i = 0; i < CountingKernel.ITEMS; i++) {
                assertEquals(launches, kernel.counts[i], "item " + i);
            }
        } finally {
            kernel.dispose();
        }
    }

    /**
     * A field trained on OpenCL with a young collection after every step (which moves whatever
     * young arrays there are) equals the same field trained in a quiet JVM, bit for bit.
     */
    @Test
    void aFieldTrainedWithACollectionAfterEveryStepEqualsOneTrainedWithout() throws Exception {
        OpenClRequirement.requireDevice();
        TrainConfig config = ConfigReader.readTrainConfig("""
                {"problem": {"type": "helmholtz2d", "a": 2, "k": 1.5},
                 "encoding": {"levels": 4, "features": 2, "n_min": 4, "n_max": 16, "log2_table_sizes": [8, 8, 6]},
                 "network": {"hidden": [16], "omega_0": 30, "omega": 30},
                 "training": {"steps": 40, "seed": 3, "threads": 2, "backend": {"type": "opencl"},
                   "points": {"residual": 200, "boundary": 64},
                   "optimizer": {"lr_tables": 0.01, "lr_network": 1e-3},
                   "loss_weights": {"mode": "grad_norm", "weights": {"residual": 0.01, "boundary": 1}, "update_every": 7},
                   "ema": {"decay": 0.9, "report": "best"},
                   "eval_every": 10}}""", "busy");
        TrainingResult quiet = fit(config, ProgressListener.NONE);
        long before = OpenClLauncherTest.collections();
        TrainingResult busy = fit(config, (progress, evaluated) -> OpenClLauncherTest.allocateUntilACollectionRan());
        assertTrue(OpenClLauncherTest.collections() - before >= 40, "a collection after each of the 40 steps");
        assertArrayEquals(quiet.parameters(), busy.parameters(), "parameters");
        assertArrayEquals(quiet.lossCurve(), busy.lossCurve(), "loss curve");
        assertArrayEquals(quiet.termWeights(), busy.termWeights(), "balanced weights");
        assertEquals(quiet.errorCurve().stream().map(p -> p.relL2()).toList(),
                busy.errorCurve().stream().map(p -> p.relL2()).toList(), "error curve");
        assertEquals(quiet.relL2(), busy.relL2());
    }

    private static TrainingResult fit(TrainConfig config, ProgressListener listener) {
        try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(2))) {
            assertTrue(fit.backend().description().startsWith("opencl:"), fit.backend().description());
            return fit.train(listener);
        }
    }

    private static HermiteTrainingKernel kernel(Precision precision) throws Exception {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"},"
                + "\"encoding\": {\"levels\": 3, \"n_max\": 64}, \"network\": {\"hidden\": [8]}}", "test");
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        return OpenClBackend.createKernel(field, problem, 32, precision);
    }

    /** Adds 1 to the first {@link #ITEMS} numbers of {@link #counts}. */
    static final class CountingKernel extends Kernel {
        static final int ITEMS = 4096;
        double[] counts;

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < ITEMS) {
                counts[i] += 1.0;
            }
        }
    }
}
