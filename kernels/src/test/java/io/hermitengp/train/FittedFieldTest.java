package io.hermitengp.train;

import io.hermitengp.backend.JavaBackend;
import io.hermitengp.backend.cpu.CpuPath;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.TableInit;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.network.BiasInit;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stored field evaluated in tiles gives, bit for bit, what it gives point by point, and its value alone the same value. */
class FittedFieldTest {
    private static void assertBatchEqualsPoints(String spec, int dims, int n) {
        TrainConfig config = ConfigReader.readTrainConfig(spec, "test");
        NeuralField field = FieldArchitecture.of(config);
        double[] parameters = field.initialParameters(5, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);
        FittedField fitted = new FittedField(field, parameters, config.encoding().levels());
        SplittableRandom random = new SplittableRandom(2);
        double[] points = new double[dims * n];
        for (int k = 0; k < points.length; k++) {
            points[k] = -1 + 2 * random.nextDouble();
        }
        int width = (1 + dims) * fitted.outputs();
        double[] values = new double[n * fitted.outputs()];
        if (fitted.evaluatesValueOnly()) {   // first, so that the tile buffers are made for the value alone
            fitted.evaluate(points, n, Channels.valueOnly(), values);
        }
        double[] batch = new double[n * width];
        fitted.evaluate(points, n, Channels.valueAndGradient(dims), batch);
        double[] one = new double[width];
        double[] x = new double[dims];
        for (int p = 0; p < n; p++) {
            System.arraycopy(points, p * dims, x, 0, dims);
            fitted.evaluate(x, one);
            for (int c = 0; c < width; c++) {
                assertEquals(one[c], batch[p * width + c], 0.0, "point " + p + " channel " + c);
            }
            for (int o = 0; fitted.evaluatesValueOnly() && o < fitted.outputs(); o++) {
                assertEquals(one[o], values[p * fitted.outputs() + o], 0.0, "point " + p + " value alone, output " + o);
            }
        }
    }

    @Test
    void aHermiteFieldInTilesIsTheFieldPointByPoint() {
        // 600 points: two full tiles and a partial one
        assertBatchEqualsPoints("{\"problem\": {\"type\": \"sdf\", \"mesh\": \"x.obj\"}, \"encoding\": {\"levels\": 4, "
                + "\"n_max\": 32, \"log2_table_sizes\": [10, 10, 10, 10]}, \"network\": {\"hidden\": [16, 8]}}", 3, 600);
    }

    @Test
    void aHermiteFieldEvaluatesTheValueAloneAndAFiniteDifferenceFieldRefusesIt() {
        TrainConfig hermite = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"}}", "test");
        TrainConfig fd = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": "
                + "{\"type\": \"ingp_fd\", \"levels\": 4, \"n_max\": 32}}", "test");
        NeuralField hermiteField = FieldArchitecture.of(hermite);
        assertTrue(new FittedField(hermiteField, new double[hermiteField.parameterCount()], 1).evaluatesValueOnly());
        NeuralField fdField = FieldArchitecture.of(fd);
        FittedField fitted = new FittedField(fdField, new double[fdField.parameterCount()], 1);
        assertFalse(fitted.evaluatesValueOnly());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fitted.evaluate(new double[2], 1, Channels.valueOnly(), new double[3]));
        assertTrue(e.getMessage().contains("asked for " + Channels.valueOnly()), e.getMessage());
    }

    /**
     * A stored INGP-FD field gives the value and the stencil's central differences that training's
     * backend gives: the same bits as the tiled path's evaluation of a batch.
     */
    @Test
    void aFiniteDifferenceFieldEvaluatesAsItsBackendDoes() {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": "
                + "{\"type\": \"ingp_fd\", \"levels\": 4, \"n_max\": 32}, \"network\": {\"hidden\": [16]}}", "test");
        NeuralField field = FieldArchitecture.of(config);
        double[] parameters = field.initialParameters(5, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);
        int active = 3;
        FittedField fitted = new FittedField(field, parameters, active);
        int n = 300;
        double[] points = new double[2 * n];
        SplittableRandom random = new SplittableRandom(4);
        for (int k = 0; k < points.length; k++) {
            points[k] = -1 + 2 * random.nextDouble();
        }
        Channels channels = Channels.valueAndGradient(2);
        double[] byBackend = new double[n * channels.count()];
        try (JavaBackend backend = new JavaBackend(field, config.problem().create(1), 2)) {
            assertEquals(CpuPath.VECTOR, backend.path());
            backend.evaluate(parameters, points, n, channels, active, byBackend);
        }
        double[] one = new double[channels.count()];
        for (int p = 0; p < n; p++) {
            fitted.evaluate(new double[]{points[2 * p], points[2 * p + 1]}, one);
            for (int c = 0; c < channels.count(); c++) {
                assertEquals(byBackend[p * channels.count() + c], one[c], 0.0, "point " + p + " channel " + c);
            }
        }
    }

    @Test
    void aFiniteDifferenceFieldIsStillEvaluatedPointByPoint() {
        assertBatchEqualsPoints("{\"problem\": {\"type\": \"helmholtz2d\"}, \"encoding\": {\"type\": \"ingp_fd\", "
                + "\"levels\": 4, \"n_max\": 32}}", 2, 50);
    }
}
