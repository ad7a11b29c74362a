package io.hermitengp.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;

/**
 * The SQL function {@code hermite_eval_batch(field, points)}: a stored field evaluated at an array
 * of points ({@code array<array<double>>}, each of d coordinates in the field's box), returning
 * {@code array<struct<value, gradient>>} with one element per point, each exactly what
 * {@link HermiteEval} ({@code hermite_eval}) gives for that point (null outside the box, or for a
 * null or NaN coordinate). The field's parameters are decoded once per call, not once per point,
 * which is what makes many points of one field cheap:
 *
 * <pre>
 *   SELECT id, hermite_eval_batch(field, array(array(0.1, 0.2, 0.3), array(0.0, 0.0, 0.0))) FROM fields
 * </pre>
 */
public final class HermiteEvalBatch implements UDF2<Row, scala.collection.Seq<Object>, Row[]> {
    public static final String NAME = "hermite_eval_batch";
    public static final DataType RETURN_TYPE = new ArrayType(HermiteEval.RETURN_TYPE, true);

    @Override
    public Row[] call(Row field, scala.collection.Seq<Object> points) {
        if (field == null || points == null) {
            return null;
        }
        HermiteEval.Opened opened = HermiteEval.open(field);
        Row[] out = new Row[points.length()];
        for (int p = 0; p < out.length; p++) {
            double[] x = HermiteEval.coordinates(points.apply(p));
            out[p] = x == null ? null : HermiteEval.evaluate(opened, x, HermiteEval.Outside.NULL);
        }
        return out;
    }
}
