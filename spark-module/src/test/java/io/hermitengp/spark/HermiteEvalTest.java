package io.hermitengp.spark;

import io.hermitengp.encoding.TableInit;
import io.hermitengp.network.BiasInit;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.train.FittedField;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code hermite_eval} on stored fields with random (far from zero) parameters: the trainer's own
 * evaluation inside the box, null outside it (faces included up to a few ulps), wrapping along a
 * periodic axis, and {@code hermite_eval_clamped} at the nearest point of the box; the batch
 * function equal to the point function point by point, and {@code hermite_sdf_grid} equal to the
 * field at its lattice points.
 */
class HermiteEvalTest {
    /** Helmholtz on [-1, 1] x [0, 2]: no periodic axis. */
    private static final String HELMHOLTZ = "{\"problem\": {\"type\": \"helmholtz2d\", "
            + "\"domain\": {\"lo\": [-1, 0], \"hi\": [1, 2]}}, \"encoding\": {\"levels\": 4, \"n_max\": 32}}";
    /** A small SDF field of the bundled sphere, in [-1, 1]^3. */
    private static final String SDF = "{\"problem\": {\"type\": \"sdf\", \"mesh\": \"sphere.obj\"}, "
            + "\"encoding\": {\"levels\": 3, \"n_max\": 16, \"log2_table_sizes\": [10, 10, 10, 10]}, "
            + "\"network\": {\"hidden\": [8]}}";
    /** Convection on [0, 2 pi] x [0, 1], periodic in x. */
    private static final String CONVECTION = "{\"problem\": {\"type\": \"convection\"}, "
            + "\"encoding\": {\"levels\": 4, \"n_max\": 32}}";
    private static final StructType FIELD = new StructType()
            .add("config", DataTypes.StringType, false)
            .add("active_levels", DataTypes.IntegerType, false)
            .add("parameters", new ArrayType(DataTypes.DoubleType, false), false);

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-eval-test")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        HermiteEval.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A stored field of the config: its resolved config, every level active, random parameters. */
    private record StoredField(String config, int levels, double[] parameters, FittedField fitted) {
        static StoredField of(String spec) {
            TrainConfig config = ConfigReader.readTrainConfig(spec, "test");
            NeuralField field = FieldArchitecture.of(config);
            double[] parameters = field.initialParameters(7, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);
            int levels = config.encoding().levels();
            return new StoredField(config.toJson().toString(), levels, parameters,
                    new FittedField(field, parameters, levels));
        }

        /** value, then gradient, at x as the trainer's own evaluation gives it */
        double[] direct(double... x) {
            double[] out = new double[1 + x.length];
            fitted.evaluate(x, out);
            return out;
        }

        /** {@code function(field, array(x...))} through Spark SQL, as (value, gradient...), or null. */
        double[] sql(String function, double... x) {
            spark.createDataFrame(List.of(RowFactory.create(RowFactory.create(config, levels, parameters))),
                    new StructType().add("field", FIELD)).createOrReplaceTempView("stored");
            String point = String.join(", ", Arrays.stream(x).mapToObj(v -> "CAST('" + v + "' AS DOUBLE)").toList());
            Row e = spark.sql("SELECT " + function + "(field, array(" + point + ")) FROM stored").first().getStruct(0);
            if (e == null) {
                return null;
            }
            double[] value = LocalArrays.doubles(e.getList(0));
            double[] gradient = LocalArrays.doubles(e.getList(1));
            double[] out = new double[value.length + gradient.length];
            System.arraycopy(value, 0, out, 0, value.length);
            System.arraycopy(gradient, 0, out, value.length, gradient.length);
            return out;
        }
    }

    @Test
    void insideTheBoxItIsTheFieldAndOutsideItIsNull() {
        StoredField f = StoredField.of(HELMHOLTZ);
        assertArrayEquals(f.direct(0.3, 1.45), f.sql(HermiteEval.NAME, 0.3, 1.45), 0.0, "inside the box");
        assertArrayEquals(f.direct(-1, 2), f.sql(HermiteEval.NAME, -1, 2), 0.0, "on a corner");
        assertNull(f.sql(HermiteEval.NAME, 5, 5), "far outside");
        assertNull(f.sql(HermiteEval.NAME, 0.3, -1e-9), "just below the lower face of y");
        assertNull(f.sql(HermiteEval.NAME, 1 + 1e-12, 1), "just past the upper face of x");
        assertNull(f.sql(HermiteEval.NAME, Double.NaN, 1), "a NaN coordinate");
        // within a few ulps of a face: on the face
        assertArrayEquals(f.direct(1, 1), f.sql(HermiteEval.NAME, Math.nextUp(Math.nextUp(1.0)), 1), 0.0,
                "two ulps past x = 1 is on the face");
        assertArrayEquals(f.direct(0.5, 0), f.sql(HermiteEval.NAME, 0.5, -Math.ulp(2.0)), 0.0,
                "one ulp (of the box's coordinates) below y = 0 is on the face");
    }

    @Test
    void theClampedVariantEvaluatesAtTheNearestPointOfTheBox() {
        StoredField f = StoredField.of(HELMHOLTZ);
        assertArrayEquals(f.direct(1, 2), f.sql(HermiteEval.CLAMPED, 5, 5), 0.0, "(5, 5) clamps to the corner");
        assertArrayEquals(f.direct(-1, 0.7), f.sql(HermiteEval.CLAMPED, -3, 0.7), 0.0, "x clamps to its lower face");
        assertArrayEquals(f.direct(0.3, 1.45), f.sql(HermiteEval.CLAMPED, 0.3, 1.45), 0.0, "inside: unchanged");
        assertNull(f.sql(HermiteEval.CLAMPED, Double.NaN, 1), "a NaN coordinate has no nearest point");
    }

    @Test
    void aPeriodicAxisWrapsInsteadOfFailing() {
        StoredField f = StoredField.of(CONVECTION);
        double period = 2 * Math.PI;
        for (double x : new double[]{0.5, 3.0, 6.0}) {
            for (int turns : new int[]{-2, -1, 1, 3}) {
                double[] expected = f.direct(x, 0.25);
                double[] wrapped = f.sql(HermiteEval.NAME, x + turns * period, 0.25);
                assertNotNull(wrapped, "x = " + x + " + " + turns + " periods");
                for (int c = 0; c < expected.length; c++) {
                    // the wrapped coordinate differs from x by rounding of turns * 2 pi only
                    assertEquals(expected[c], wrapped[c], 1e-9 * (1 + Math.abs(expected[c])),
                            "channel " + c + " at x = " + x + " + " + turns + " periods");
                }
            }
        }
        assertNull(f.sql(HermiteEval.NAME, 0.5, 1.5), "t is not periodic: past t = 1 is outside");
        assertNull(f.sql(HermiteEval.NAME, 0.5, -0.5), "before t = 0 is outside");
    }

    @Test
    void theBatchFunctionIsThePointFunctionPointByPoint() {
        StoredField f = StoredField.of(HELMHOLTZ);
        spark.createDataFrame(List.of(RowFactory.create(RowFactory.create(f.config, f.levels, f.parameters))),
                new StructType().add("field", FIELD)).createOrReplaceTempView("batch");
        List<Row> results = spark.sql("SELECT " + HermiteEvalBatch.NAME + "(field, array(array(0.3D, 1.45D), "
                + "array(5D, 5D), array(-1D, 2D), array(CAST(NULL AS DOUBLE), 1D))) FROM batch").first().getList(0);
        assertEquals(4, results.size(), "one result per point");
        double[][] expected = {f.direct(0.3, 1.45), null, f.direct(-1, 2), null};
        for (int p = 0; p < 4; p++) {
            Row e = results.get(p);
            if (expected[p] == null) {
                assertNull(e, "point " + p + ": outside the box or a null coordinate gives null");
                continue;
            }
            double[] got = {LocalArrays.doubles(e.getList(0))[0], LocalArrays.doubles(e.getList(1))[0],
                LocalArrays.doubles(e.getList(1))[1]};
            assertArrayEquals(expected[p], got, 0.0, "point " + p);
        }
    }

    @Test
    void anSdfGridHoldsTheFieldAtItsLatticePoints() {
        TrainConfig config = ConfigReader.readTrainConfig(SDF, "test");
        NeuralField field = FieldArchitecture.of(config);
        double[] parameters = field.initialParameters(3, TableInit.uniform(0.5), BiasInit.FAN_IN_SQRT);
        int levels = config.encoding().levels();
        FittedField fitted = new FittedField(field, parameters, levels);
        spark.createDataFrame(List.of(RowFactory.create(RowFactory.create(config.toJson().toString(), levels,
                parameters))), new StructType().add("field", FIELD)).createOrReplaceTempView("sdf_field");
        byte[] grid = (byte[]) spark.sql("SELECT " + HermiteSdfGrid.NAME + "(field, 5) FROM sdf_field").first().get(0);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(grid).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(4 * 125, grid.length);
        double[] out = new double[4];
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < 5; i++) {
                    fitted.evaluate(new double[]{-1 + i / 2.0, -1 + j / 2.0, -1 + k / 2.0}, out);
                    assertEquals((float) out[0], b.getFloat(4 * (i + 5 * (j + 5 * k))), 0.0,
                            "grid (" + i + ", " + j + ", " + k + ")");
                }
            }
        }
    }
}
