package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.FieldShape;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.geometry.Box;
import io.hermitengp.train.FittedField;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL function {@code hermite_eval(field, point)}: a stored field (the {@code field} struct
 * of the fields table: config, active_levels, parameters) evaluated at a point (an array of d
 * doubles in the field's own box), returning {@code struct<value: array<double>,
 * gradient: array<double>>}: the value of each output, then the gradient, axis-major
 * ({@code gradient[i * outputs + o] = d u_o / d x_i}). Register it once per session with
 * {@link #register}:
 *
 * <pre>
 *   HermiteEval.register(spark);
 *   spark.read().parquet("out/fields").createOrReplaceTempView("fields");
 *   spark.sql("SELECT id, hermite_eval(field, array(0.1, -0.2)).value[0] AS u FROM fields");
 * </pre>
 *
 * <p>A field is only defined on the box it was fitted in. Outside it the encoding would
 * extrapolate its outermost cells' polynomials without bound, so a point outside the box gives
 * null, as does a null or NaN coordinate. A coordinate within {@value #FACE_ULPS} ulps of a face
 * (of the larger of that face's and the opposite face's magnitude) counts as on the face. Along
 * a periodic axis of a periodic field (convection's x) there is no outside: the coordinate wraps
 * into the box. {@code hermite_eval_clamped(field, point)} ({@link #CLAMPED}) instead evaluates
 * at the nearest point of the box (each coordinate clamped to its face), for plots that run a
 * little past the box.
 */
public final class HermiteEval implements UDF2<Row, scala.collection.Seq<Object>, Row> {
    public static final String NAME = "hermite_eval";
    /** The clamping variant's name: a point outside the box is moved to the nearest point of the box. */
    public static final String CLAMPED = "hermite_eval_clamped";
    public static final StructType RETURN_TYPE = new StructType()
            .add("value", new ArrayType(DataTypes.DoubleType, false), false)
            .add("gradient", new ArrayType(DataTypes.DoubleType, false), false);
    /** How far outside a face, in ulps of the face coordinates, a point still counts as on it. */
    public static final int FACE_ULPS = 4;
    private static final int CACHED_CONFIGS = 64;

    /** What a point outside the field's box gives. */
    public enum Outside {
        /** Null. */
        NULL,
        /** The field at the nearest point of the box. */
        CLAMP
    }

    /** A stored config's field architecture and the shape (box, periodic axes) it was built for. */
    private record Stored(NeuralField field, FieldShape shape) {
    }

    /**
     * Field architectures by the text of their config, per thread: parsing the config and building
     * the field (for a PDE config, its problem too) would otherwise be done again for every row.
     */
    private static final ThreadLocal<Map<String, Stored>> ARCHITECTURES = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
                    return size() > CACHED_CONFIGS;
                }
            });

    private final Outside outside;

    public HermiteEval() {
        this(Outside.NULL);
    }

    public HermiteEval(Outside outside) {
        this.outside = outside;
    }

    /**
     * Registers {@value #NAME} (null outside the box) and {@value #CLAMPED} (clamped to it), and
     * the batch functions {@value HermiteEvalBatch#NAME} ({@link HermiteEvalBatch}) and
     * {@value HermiteSdfGrid#NAME} ({@link HermiteSdfGrid}).
     */
    public static void register(SparkSession spark) {
        spark.udf().register(NAME, new HermiteEval(Outside.NULL), RETURN_TYPE);
        spark.udf().register(CLAMPED, new HermiteEval(Outside.CLAMP), RETURN_TYPE);
        spark.udf().register(HermiteEvalBatch.NAME, new HermiteEvalBatch(), HermiteEvalBatch.RETURN_TYPE);
        spark.udf().register(HermiteSdfGrid.NAME, new HermiteSdfGrid(), DataTypes.BinaryType);
    }

    /** A stored field rebuilt once: its parameters decoded, its architecture from the per-thread cache. */
    record Opened(FittedField fitted, FieldShape shape) {
    }

    /** The field struct of a fields table row, rebuilt ({@code config}, {@code active_levels}, {@code parameters}). */
    static Opened open(Row field) {
        String config = field.getAs("config");
        int levels = field.<Integer>getAs("active_levels");
        double[] parameters = LocalArrays.doubles(field.getList(field.fieldIndex("parameters")));
        Stored stored = architecture(config);
        return new Opened(new FittedField(stored.field(), parameters, levels), stored.shape());
    }

    private static Stored architecture(String config) {
        return ARCHITECTURES.get().computeIfAbsent(config, text -> {
            TrainConfig c = ConfigReader.readTrainConfig(text, "stored field config");
            FieldShape shape = c.problem().fieldShape();
            return new Stored(FieldArchitecture.build(c, shape), shape);
        });
    }

    /** The value and gradient of an opened field at x as {@value #NAME} returns them (null outside the box). */
    static Row evaluate(Opened opened, double[] x, Outside outside) {
        FittedField fitted = opened.fitted();
        if (x.length != fitted.dims()) {
            throw new IllegalArgumentException("the field has " + fitted.dims() + " inputs; the point has " + x.length);
        }
        double[] inBox = intoBox(x, opened.shape().domain(), opened.shape().periodicAxes(), outside);
        if (inBox == null) {
            return null;
        }
        int m = fitted.outputs();
        double[] out = new double[(1 + fitted.dims()) * m];
        fitted.evaluate(inBox, out);
        double[] value = new double[m];
        double[] gradient = new double[fitted.dims() * m];
        System.arraycopy(out, 0, value, 0, m);
        System.arraycopy(out, m, gradient, 0, gradient.length);
        return RowFactory.create(value, gradient);
    }

    @Override
    public Row call(Row field, scala.collection.Seq<Object> point) {
        if (field == null || point == null) {
            return null;
        }
        String config = field.getAs("config");
        int levels = field.<Integer>getAs("active_levels");
        List<Object> parameters = field.getList(field.fieldIndex("parameters"));
        double[] x = coordinates(point);
        return x == null ? null : evaluate(config, levels, LocalArrays.doubles(parameters), x, outside);
    }

    /** A point's coordinates (an SQL array of numbers), or null for a null point or a null coordinate. */
    @SuppressWarnings("unchecked")
    static double[] coordinates(Object point) {
        if (point == null) {
            return null;
        }
        scala.collection.Seq<Object> p = (scala.collection.Seq<Object>) point;
        double[] x = new double[p.length()];
        for (int i = 0; i < x.length; i++) {
            Object c = p.apply(i);
            if (c == null) {
                return null;
            }
            x[i] = ((Number) c).doubleValue();
        }
        return x;
    }

    /** The value and gradient of a stored field at x, as {@value #NAME} returns them: null outside the box. */
    public static Row evaluate(String config, int activeLevels, double[] parameters, double[] x) {
        return evaluate(config, activeLevels, parameters, x, Outside.NULL);
    }

    /** The value and gradient of a stored field at x; a point outside the box as {@code outside} says. */
    public static Row evaluate(String config, int activeLevels, double[] parameters, double[] x, Outside outside) {
        Stored stored = architecture(config);
        return evaluate(new Opened(new FittedField(stored.field(), parameters, activeLevels), stored.shape()), x,
                outside);
    }

    /**
     * The point to evaluate for x: x itself inside the box; wrapped along periodic axes; moved onto
     * a face it lies within {@value #FACE_ULPS} ulps of; otherwise clamped or null as {@code outside}
     * says. Null for a NaN or infinite coordinate.
     */
    static double[] intoBox(double[] x, Box box, int periodicAxes, Outside outside) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (!Double.isFinite(v)) {
                return null;
            }
            double lo = box.lo(i);
            double hi = box.hi(i);
            if ((periodicAxes & (1 << i)) != 0 && (v < lo || v > hi)) {
                double extent = hi - lo;
                double wrapped = lo + (v - lo - extent * Math.floor((v - lo) / extent));
                y[i] = Math.min(hi, Math.max(lo, wrapped));
                continue;
            }
            double tolerance = FACE_ULPS * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi)));
            boolean outsideBox = v < lo - tolerance || v > hi + tolerance;
            if (outsideBox && outside == Outside.NULL) {
                return null;
            }
            y[i] = Math.min(hi, Math.max(lo, v));
        }
        return y;
    }
}
