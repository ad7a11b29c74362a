package io.hermitengp.spark;

import io.hermitengp.backend.JavaBackend;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.Channels;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.fit.FieldFit;
import io.hermitengp.problem.Problem;
import io.hermitengp.train.ProgressListener;
import io.hermitengp.train.TrainingResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline in {@code local[2]}: row counts, bit-identical fields, the UDF, bad instances. */
class LocalPipelineTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hermite-ngp-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        HermiteEval.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FieldPipeline pipeline(ByteArrayOutputStream log) {
        return new FieldPipeline(spark, new PrintStream(log, true, StandardCharsets.UTF_8), 0.5);
    }

    @Test
    void everyInstanceGivesOneRowAndTheSameFieldAsADirectFit(@TempDir Path out) {
        List<Instance> instances = SparkTestInstances.helmholtz(5, 15);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FieldPipeline p = pipeline(log).batchFields(3);   // a batch of 3 and one of 2, each trained together
        Dataset<Row> metrics = p.fit(p.instances(instances), out);
        assertEquals(5, metrics.count(), "one metrics row per instance");
        assertEquals(List.of(",fields=2", ",fields=3"), metrics.select("backend").collectAsList().stream()
                .map(r -> r.getString(0).replaceAll("^.*(,fields=\\d+)$", "$1")).distinct().sorted().toList(),
                "the rows name the batches that trained them");
        assertEquals(5, metrics.select("id").distinct().count());
        assertEquals(5, metrics.filter(col("status").equalTo("ok")).count(), "all ok");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("5/5 instances done"), log.toString());

        Dataset<Row> fields = spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString());
        assertEquals(5, fields.count());
        Map<String, Row> byId = new HashMap<>();
        for (Row r : fields.collectAsList()) {
            byId.put(r.getString(0), r.getStruct(2));
        }
        for (Instance instance : List.of(instances.get(0), instances.get(3))) {
            // the direct fit: the spec with the id-derived seed, trained by the kernels alone
            TrainConfig config = FieldFit.withInstanceSeed(ConfigReader.readTrainConfig(instance.spec(), instance.id()),
                    instance.id());
            config = config.withTraining(config.training().withThreads(1));
            TrainingResult direct;
            try (FieldFit fit = FieldFit.open(config, DeviceChoice.cpu(1))) {
                direct = fit.train(ProgressListener.NONE);
            }
            Row stored = byId.get(instance.id());
            double[] parameters = LocalArrays.doubles(stored.getList(stored.fieldIndex("parameters")));
            assertArrayEquals(direct.parameters(), parameters, 0.0,
                    instance.id() + ": the Spark-fitted field equals the direct fit bit for bit");
            assertEquals(direct.activeLevels(), stored.<Integer>getAs("active_levels"));
        }
    }

    @Test
    void hermiteEvalOnAStoredFieldEqualsTheTrainersOwnEvaluation(@TempDir Path out) {
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        p.fit(p.instances(SparkTestInstances.helmholtz(2, 10)), out);
        spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString()).createOrReplaceTempView("stored_fields");
        List<Row> rows = spark.sql("SELECT id, field, hermite_eval(field, array(0.3D, -0.45D)) AS e FROM stored_fields")
                .collectAsList();
        assertEquals(2, rows.size());
        for (Row r : rows) {
            Row field = r.getStruct(1);
            TrainConfig config = ConfigReader.readTrainConfig(field.<String>getAs("config"), "stored");
            Problem problem = config.problem().create();
            NeuralField neural = FieldArchitecture.forProblem(config, problem);
            double[] expected = new double[3];
            try (JavaBackend backend = new JavaBackend(neural, problem, 1)) {
                backend.setParameters(LocalArrays.doubles(field.getList(field.fieldIndex("parameters"))));
                backend.evaluate(new double[]{0.3, -0.45}, 1, io.hermitengp.field.Channels.valueAndGradient(2),
                        field.<Integer>getAs("active_levels"), expected);
            }
            Row e = r.getStruct(2);
            double[] value = LocalArrays.doubles(e.getList(0));
            double[] gradient = LocalArrays.doubles(e.getList(1));
            assertEquals(expected[0], value[0], 0.0, r.getString(0) + " value");
            assertEquals(expected[1], gradient[0], 0.0, r.getString(0) + " d/dx");
            assertEquals(expected[2], gradient[1], 0.0, r.getString(0) + " d/dy");
        }
    }

    @Test
    void badInstancesAreFailedRowsNamingTheirCauseAndTheRestSucceed(@TempDir Path out) {
        List<Instance> instances = new ArrayList<>(SparkTestInstances.helmholtz(3, 8));
        instances.add(new Instance("malformed", "{\"problem\": {\"type\": \"helmholtz2d\""));
        instances.add(new Instance("unknown-problem", "{\"problem\": {\"type\": \"navier_stokes_9d\"}}"));
        instances.add(new Instance("missing-mesh", "{\"problem\": {\"type\": \"sdf\", \"mesh\": \"/no/such/bunny.obj\"}}"));
        // a box whose extent overflows to infinity: every coordinate, and so the loss, is NaN from step 0
        String small = SparkTestInstances.smallHelmholtz(1, 8);
        String nan = small.replace("\"domain\":{\"lo\":[-1,-1],\"hi\":[1,1]}",
                "\"domain\":{\"lo\":[-1e308,-1],\"hi\":[1e308,1]}");
        assertNotEquals(small, nan, "the domain override must apply");
        instances.add(new Instance("nan-loss", nan));
        FieldPipeline p = pipeline(new ByteArrayOutputStream());
        Dataset<Row> metrics = p.fit(p.instances(instances), out);
        Map<String, Row> byId = new HashMap<>();
        for (Row r : metrics.collectAsList()) {
            byId.put(r.getAs("id"), r);
        }
        assertEquals(7, byId.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", byId.get("h-" + i).getAs("status"));
        }
        assertFailed(byId.get("malformed"), "failed", "malformed");
        assertFailed(byId.get("unknown-problem"), "failed", "navier_stokes_9d");
        assertFailed(byId.get("missing-mesh"), "failed", "/no/such/bunny.obj");
        assertFailed(byId.get("nan-loss"), "diverged", "loss became");
        assertEquals(3, spark.read().parquet(out.resolve(FieldPipeline.FIELDS).toString()).count(),
                "fields are stored for ok instances only");
        Map<String, Row> summary = new HashMap<>();
        for (Row r : MetricsSummary.byKind(metrics).collectAsList()) {
            summary.put(r.getAs("kind"), r);
        }
        Row helmholtz = summary.get("helmholtz2d");
        assertEquals(4L, helmholtz.<Long>getAs("instances"), "three ok and the NaN one");
        assertEquals(3L, helmholtz.<Long>getAs("ok"));
        assertEquals(1L, helmholtz.<Long>getAs("diverged"));
        assertEquals(2L, summary.get("unknown").<Long>getAs("failed"), "specs whose type could not be read");
        assertEquals(1L, summary.get("sdf").<Long>getAs("failed"), "the missing mesh");
    }

    private static void assertFailed(Row row, String status, String causeFragment) {
        String message = row.getAs("message");
        assertEquals(status, row.getAs("status"), row.getAs("id") + ": " + message);
        assertTrue(message.contains(causeFragment), row.getAs("id") + " message should name '" + causeFragment + "': "
                + message);
    }
}
