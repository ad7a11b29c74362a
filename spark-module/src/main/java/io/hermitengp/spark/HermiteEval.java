package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
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
 */
public final class HermiteEval implements UDF2<Row, scala.collection.Seq<Object>, Row> {
    public static final String NAME = "hermite_eval";
    public static final StructType RETURN_TYPE = new StructType()
            .add("value", new ArrayType(DataTypes.DoubleType, false), false)
            .add("gradient", new ArrayType(DataTypes.DoubleType, false), false);
    private static final int CACHED_CONFIGS = 64;

    /**
     * Field architectures by the text of their config, per thread: parsing the config and building
     * the field (for a PDE config, its problem too) would otherwise be done again for every row.
     */
    private static final ThreadLocal<Map<String, NeuralField>> ARCHITECTURES = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, NeuralField> eldest) {
                    return size() > CACHED_CONFIGS;
                }
            });

    public static void register(SparkSession spark) {
        spark.udf().register(NAME, new HermiteEval(), RETURN_TYPE);
    }

    @Override
    public Row call(Row field, scala.collection.Seq<Object> point) {
        if (field == null || point == null) {
            return null;
        }
        String config = field.getAs("config");
        int levels = field.<Integer>getAs("active_levels");
        List<Object> parameters = field.getList(field.fieldIndex("parameters"));
        double[] x = new double[point.length()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((Number) point.apply(i)).doubleValue();
        }
        return evaluate(config, levels, LocalArrays.doubles(parameters), x);
    }

    /** The value and gradient of a stored field at x, as the SQL function returns them. */
    public static Row evaluate(String config, int activeLevels, double[] parameters, double[] x) {
        NeuralField architecture = ARCHITECTURES.get().computeIfAbsent(config,
                text -> FieldArchitecture.of(ConfigReader.readTrainConfig(text, "stored field config")));
        FittedField fitted = new FittedField(architecture, parameters, activeLevels);
        int m = fitted.outputs();
        double[] out = new double[(1 + fitted.dims()) * m];
        fitted.evaluate(x, out);
        double[] value = new double[m];
        double[] gradient = new double[fitted.dims() * m];
        System.arraycopy(out, 0, value, 0, m);
        System.arraycopy(out, m, gradient, 0, gradient.length);
        return RowFactory.create(value, gradient);
    }
}
