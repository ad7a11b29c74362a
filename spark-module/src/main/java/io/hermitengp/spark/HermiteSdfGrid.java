package io.hermitengp.spark;

import io.hermitengp.shape.SdfGrid;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;

/**
 * The SQL function {@code hermite_sdf_grid(field, R)}: a stored 3D field's value on the R^3
 * lattice over its box, as the {@code values} column of the {@code grids} table holds it ({@link
 * SdfGrid}: little-endian float32, x fastest, lattice endpoints included; numpy
 * {@code np.frombuffer(b, '<f4').reshape(R, R, R)} indexed {@code [k, j, i]}). Null for a null
 * field or R; an R outside [2, {@value SdfGrid#MAX_RESOLUTION}] or a field that is not 3D with one
 * output is an error naming it.
 *
 * <pre>
 *   SELECT id, hermite_sdf_grid(field, 64) AS grid FROM fields WHERE kind = 'sdf'
 * </pre>
 */
public final class HermiteSdfGrid implements UDF2<Row, Integer, byte[]> {
    public static final String NAME = "hermite_sdf_grid";

    @Override
    public byte[] call(Row field, Integer resolution) {
        if (field == null || resolution == null) {
            return null;
        }
        SdfGrid.requireResolution(resolution);
        HermiteEval.Opened opened = HermiteEval.open(field);
        if (opened.fitted().dims() != 3 || opened.fitted().outputs() != 1) {
            throw new IllegalArgumentException(NAME + ": the field has " + opened.fitted().dims() + " inputs and "
                    + opened.fitted().outputs() + " outputs; a grid needs a 3D field with one output");
        }
        return SdfGrid.field(opened.fitted(), opened.shape().domain(), resolution).littleEndianBytes();
    }
}
