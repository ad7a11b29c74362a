package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.train.ErrorPoint;
import io.hermitengp.train.TrainingResult;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;

/**
 * The rows a fit produces, one per instance, and the two tables cut from them:
 *
 * <ul>
 *   <li>{@code metrics} (light, for notebooks): id, kind, status, message, rel_l2, grad_rel_l2,
 *       final_loss, the problem's own measurements (an SDF's grad_mae, dist_mae, normal_angle_deg,
 *       chamfer, ...) as a map of doubles and its counts (band_points, surface_triangles) as a
 *       map of longs, term losses and weights, steps, seconds (training),
 *       wall_seconds (the whole fit), ms_per_step, the backend that ran and any note on why it
 *       is not the one asked for, the GPU address Spark assigned, the executor, task attempt and
 *       start time of the fit, seed, active levels, parameter
 *       count, the loss curve (one value per step), the error curve (step, seconds, rel_l2,
 *       grad_rel_l2) and the resolved config;</li>
 *   <li>{@code fields} (heavy, only for {@code ok} rows): id, kind and {@code field}, a struct of
 *       the resolved config, the active levels and the flat parameter buffer (tables, then
 *       network; layout in {@link io.hermitengp.field.NeuralField}): enough to rebuild and
 *       evaluate the field anywhere ({@link HermiteEval}).</li>
 * </ul>
 */
public final class FitRows {
    public static final StructType ERROR_POINT = new StructType(new StructField[]{
        field("step", DataTypes.LongType, false),
        field("seconds", DataTypes.DoubleType, false),
        field("rel_l2", DataTypes.DoubleType, false),
        field("grad_rel_l2", DataTypes.DoubleType, false)});

    private static final DataType DOUBLE_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType,
            false);
    private static final DataType LONG_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false);

    /** Every column of a fit row, metrics and field together. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
        field("id", DataTypes.StringType, false),
        field("kind", DataTypes.StringType, false),
        field("status", DataTypes.StringType, false),
        field("message", DataTypes.StringType, false),
        field("rel_l2", DataTypes.DoubleType, true),
        field("grad_rel_l2", DataTypes.DoubleType, true),
        field("final_loss", DataTypes.DoubleType, true),
        field("metrics", DOUBLE_MAP, true),
        field("counts", LONG_MAP, true),
        field("term_losses", DOUBLE_MAP, true),
        field("term_weights", DOUBLE_MAP, true),
        field("steps", DataTypes.LongType, true),
        field("seconds", DataTypes.DoubleType, true),
        field("wall_seconds", DataTypes.DoubleType, false),
        field("ms_per_step", DataTypes.DoubleType, true),
        field("backend", DataTypes.StringType, true),
        field("backend_note", DataTypes.StringType, false),
        field("gpu_address", DataTypes.StringType, true),
        field("executor_id", DataTypes.StringType, false),
        field("task_attempt", DataTypes.IntegerType, false),
        field("started_at_ms", DataTypes.LongType, false),
        field("seed", DataTypes.LongType, true),
        field("active_levels", DataTypes.IntegerType, true),
        field("parameter_count", DataTypes.LongType, true),
        field("loss_curve", new ArrayType(DataTypes.DoubleType, false), true),
        field("error_curve", new ArrayType(ERROR_POINT, false), true),
        field("config", DataTypes.StringType, true),
        field("parameters", new ArrayType(DataTypes.DoubleType, false), true)});

    private FitRows() {
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }

    /**
     * @param executorId  the executor that ran the fit ({@code driver} in local mode)
     * @param taskAttempt the attempt number of its task (0 unless Spark retried it)
     */
    public static Row toRow(FitOutcome o, String executorId, int taskAttempt) {
        TrainingResult r = o.result();
        if (r == null) {
            return RowFactory.create(o.id(), o.kind(), o.status(), o.message(), null, null, null, null, null, null,
                    null, null, null, o.wallSeconds(), null, null, o.backendNote(), o.gpuAddress(), executorId, taskAttempt,
                    o.startedAtMillis(), null, null, null, null,
                    null, o.resolvedConfig(), null);
        }
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int k = 0; k < r.termNames().size(); k++) {
            losses.put(r.termNames().get(k), r.termLosses()[k]);
            weights.put(r.termNames().get(k), r.termWeights()[k]);
        }
        Row[] curve = new Row[r.errorCurve().size()];
        for (int k = 0; k < curve.length; k++) {
            ErrorPoint p = r.errorCurve().get(k);
            curve[k] = RowFactory.create(p.step(), p.seconds(), p.relL2(), p.gradRelL2());
        }
        boolean keepField = o.status().equals(FitOutcome.OK);
        return RowFactory.create(o.id(), o.kind(), o.status(), o.message(), r.relL2(), r.gradRelL2(), r.finalLoss(),
                scalaMap(withPaperMetric(r)), scalaMap(r.counts()), scalaMap(losses), scalaMap(weights), r.steps(), r.trainSeconds(), o.wallSeconds(),
                r.msPerStep(), r.backend(), o.backendNote(), o.gpuAddress(), executorId, taskAttempt, o.startedAtMillis(),
                r.seed(), r.activeLevels(),
                (long) o.parameterCount(), r.lossCurve(), curve, o.resolvedConfig(),
                keepField ? r.parameters() : null);
    }

    /** The problem's own final measures, with the benchmark authors' metric under its name when there is one. */
    private static Map<String, Double> withPaperMetric(TrainingResult r) {
        Map<String, Double> all = new LinkedHashMap<>();
        r.paperMetric().ifPresent(m -> all.put(m.name(), m.value()));
        all.putAll(r.metrics());
        return all;
    }

    /** A Java map as the Scala map a Row of a map column must hold. */
    private static <V> scala.collection.Map<String, V> scalaMap(Map<String, V> map) {
        return CollectionConverters.asScala(map);
    }

    /** The metrics table's columns: every column but the parameters. */
    public static Column[] metricsColumns() {
        return Arrays.stream(SCHEMA.fieldNames()).filter(name -> !name.equals("parameters")).map(name -> col(name))
                .toArray(Column[]::new);
    }

    /** The fields table's columns: id, kind and the field struct. */
    public static Column[] fieldColumns() {
        return new Column[]{col("id"), col("kind"),
            struct(col("config"), col("active_levels"), col("parameters")).as("field")};
    }
}
