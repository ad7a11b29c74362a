package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.geometry.MeshQuality;
import io.hermitengp.shape.MeshSdfData;
import io.hermitengp.shape.SampleMix;
import io.hermitengp.shape.SdfDataSettings;
import io.hermitengp.shape.SdfGrid;
import io.hermitengp.shape.SdfSamples;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

/**
 * The rows a dataset job computes, one per mesh, and the tables cut from them (every distance in
 * box units: the box [-1, 1]^3 the mesh is placed in; {@code x_mesh = x / scale + center}):
 *
 * <ul>
 *   <li>{@code meshes}: what the file is ({@link MeshQuality}), how sure its signs are, where it
 *       was placed, what was computed, status and message ({@link #MESH_COLUMNS});</li>
 *   <li>{@code sdf_samples}: one row per sample point ({@link #SAMPLE});</li>
 *   <li>{@code grids}: one row per mesh and source, the R^3 volume as bytes ({@link #GRID}).</li>
 * </ul>
 */
public final class SdfDatasetRows {
    private static final DataType DOUBLES = new ArrayType(DataTypes.DoubleType, false);

    /** One sample point; {@code sigma} is null but for near-surface points, {@code winding} null for surface points. */
    public static final StructType SAMPLE = new StructType()
            .add("sample", DataTypes.IntegerType, false)
            .add("kind", DataTypes.StringType, false)
            .add("sigma", DataTypes.DoubleType, true)
            .add("x", DataTypes.DoubleType, false)
            .add("y", DataTypes.DoubleType, false)
            .add("z", DataTypes.DoubleType, false)
            .add("sdf", DataTypes.DoubleType, false)
            .add("gx", DataTypes.DoubleType, false)
            .add("gy", DataTypes.DoubleType, false)
            .add("gz", DataTypes.DoubleType, false)
            .add("winding", DataTypes.DoubleType, true);

    /** One grid: R^3 float32 little-endian values, x fastest, on the lattice over [box_min, box_max]. */
    public static final StructType GRID = new StructType()
            .add("source", DataTypes.StringType, false)
            .add("resolution", DataTypes.IntegerType, false)
            .add("box_min", DOUBLES, false)
            .add("box_max", DOUBLES, false)
            .add("values", DataTypes.BinaryType, false);

    /** The meshes table's columns, in order. */
    public static final StructType MESHES = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("source", DataTypes.StringType, false)
            .add("format", DataTypes.StringType, true)
            .add("file_bytes", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false)
            .add("vertices", DataTypes.IntegerType, true)
            .add("triangles", DataTypes.IntegerType, true)
            .add("degenerate_triangles", DataTypes.IntegerType, true)
            .add("duplicate_triangles", DataTypes.IntegerType, true)
            .add("edges", DataTypes.LongType, true)
            .add("boundary_edges", DataTypes.LongType, true)
            .add("non_manifold_edges", DataTypes.LongType, true)
            .add("inconsistent_edges", DataTypes.LongType, true)
            .add("watertight", DataTypes.BooleanType, true)
            .add("signed_volume", DataTypes.DoubleType, true)
            .add("area", DataTypes.DoubleType, true)
            .add("samples", DataTypes.IntegerType, false)
            .add("volume_samples", DataTypes.IntegerType, true)
            .add("uncertain_signs", DataTypes.IntegerType, true)
            .add("inverted_signs", DataTypes.IntegerType, true)
            .add("sign_confidence", DataTypes.DoubleType, true)
            .add("bbox_min", DOUBLES, true)
            .add("bbox_max", DOUBLES, true)
            .add("center", DOUBLES, true)
            .add("scale", DataTypes.DoubleType, true)
            .add("margin", DataTypes.DoubleType, false)
            .add("sample_mix", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("grid_resolution", DataTypes.IntegerType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("executor_id", DataTypes.StringType, false);

    /** A computed row: the meshes columns, the samples and the exact grid. */
    public static final StructType SCHEMA = withComputed();

    private SdfDatasetRows() {
    }

    private static StructType withComputed() {
        StructType s = MESHES;
        s = s.add("points", new ArrayType(SAMPLE, false), true);
        return s.add("grid", GRID, true);
    }

    /** The computed row of one mesh. */
    public static Row toRow(MeshSdfData d, SdfDataSettings settings, String executorId) {
        MeshQuality q = d.quality();
        SdfSamples s = d.samples();
        List<Object> v = new ArrayList<>(Arrays.asList(d.id(), d.location(), d.format(), d.fileBytes(),
                d.ok() ? FitOutcome.OK : FitOutcome.FAILED, d.ok() ? String.join("; ", d.notes()) : d.failure()));
        if (q == null) {
            v.addAll(Arrays.asList(null, null, null, null, null, null, null, null, null, null, null));
        } else {
            v.addAll(Arrays.asList(q.vertices(), q.triangles(), q.degenerateTriangles(), q.duplicateTriangles(),
                    q.edges(), q.boundaryEdges(), q.nonManifoldEdges(), q.inconsistentEdges(), q.watertight(),
                    q.signedVolume(), q.area()));
        }
        v.add(s == null ? 0 : s.count());
        if (s == null) {
            v.addAll(Arrays.asList(null, null, null, null));
        } else {
            v.addAll(Arrays.asList(s.volumeCount(), s.uncertainSigns(), s.invertedSigns(), s.signConfidence()));
        }
        v.add(d.bounds() == null ? null : d.bounds().lo());
        v.add(d.bounds() == null ? null : d.bounds().hi());
        v.add(d.normalization() == null ? null : d.normalization().center());
        v.add(d.normalization() == null ? null : d.normalization().scale());
        v.addAll(Arrays.asList(settings.margin(), settings.mix().text(), settings.seed(), settings.gridResolution(),
                d.seconds(), executorId));
        v.add(s == null ? null : points(s));
        v.add(d.grid() == null ? null : gridRow(d.grid()));
        return RowFactory.create(v.toArray());
    }

    /** A failed row for an entry that could not even be tried (its defect says why). */
    public static Row rejected(MeshEntry e, SdfDataSettings settings, String executorId) {
        MeshSdfData d = new MeshSdfData(e.id(), e.location(), "mesh " + e.id() + " (" + e.location() + "): "
                + e.defect(), null, 0, null, null, null, null, null,
                List.of(), 0);
        return toRow(d, settings, executorId);
    }

    private static Row[] points(SdfSamples s) {
        Row[] rows = new Row[s.count()];
        for (int k = 0; k < rows.length; k++) {
            SampleMix.Part part = s.mix().parts().get(s.part()[k]);
            double w = s.winding()[k];
            rows[k] = RowFactory.create(k, part.kind().label(), part.kind() == SampleMix.Kind.NEAR ? part.sigma() : null,
                    s.points()[3 * k], s.points()[3 * k + 1], s.points()[3 * k + 2], s.distance()[k],
                    s.gradient()[3 * k], s.gradient()[3 * k + 1], s.gradient()[3 * k + 2], Double.isNaN(w) ? null : w);
        }
        return rows;
    }

    /** A grid as the {@link #GRID} struct. */
    public static Row gridRow(SdfGrid g) {
        return RowFactory.create(g.source(), g.resolution(), g.box().lo(), g.box().hi(), g.littleEndianBytes());
    }

    /** The meshes table from computed rows. */
    public static Column[] meshColumns() {
        return Arrays.stream(MESHES.fieldNames()).map(name -> col(name)).toArray(Column[]::new);
    }

    /** The sdf_samples table from computed rows: id, then the sample's columns. */
    public static Column[] sampleColumns() {
        List<Column> c = new ArrayList<>();
        c.add(col("id"));
        for (String name : SAMPLE.fieldNames()) {
            c.add(col("p." + name).as(name));
        }
        return c.toArray(Column[]::new);
    }

    /** The points array exploded, one row per point (the struct as {@code p}). */
    public static Column explodedPoints() {
        return explode(col("points")).as("p");
    }

    /** The grids table's columns from a row with a {@code grid} struct: id, then the grid's. */
    public static Column[] gridColumns() {
        List<Column> c = new ArrayList<>();
        c.add(col("id"));
        for (String name : GRID.fieldNames()) {
            c.add(col("grid." + name).as(name));
        }
        return c.toArray(Column[]::new);
    }
}
