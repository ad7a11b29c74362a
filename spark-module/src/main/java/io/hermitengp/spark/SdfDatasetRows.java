package io.hermitengp.spark;

import io.hermitengp.fit.FitOutcome;
import io.hermitengp.geometry.MeshQuality;
import io.hermitengp.shape.MeshSdfData;
import io.hermitengp.shape.SampleMix;
import io.hermitengp.shape.SdfDataSettings;
import io.hermitengp.shape.SdfGrid;
import io.hermitengp.shape.SdfSamples;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nanvl;
import static org.apache.spark.sql.functions.posexplode;

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

    /**
     * One sample point; {@code sigma} (the noise's scale) is null but for near-surface points,
     * {@code winding} null for surface points.
     */
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

    /**
     * The samples of a computed row, column by column ({@code (n)} arrays, index = sample): an
     * array of doubles is copied into Spark's row format in one piece, where n structs would be
     * converted one by one; {@link #sampleRows} turns them into rows in Spark's generated code.
     * {@code part} indexes the per-part {@code kinds} and {@code sigmas}.
     */
    public static final StructType COMPUTED_SAMPLES = new StructType()
            .add("kinds", new ArrayType(DataTypes.StringType, false), false)
            .add("sigmas", new ArrayType(DataTypes.DoubleType, true), false)
            .add("part", new ArrayType(DataTypes.IntegerType, false), false)
            .add("x", DOUBLES, false)
            .add("y", DOUBLES, false)
            .add("z", DOUBLES, false)
            .add("sdf", DOUBLES, false)
            .add("gx", DOUBLES, false)
            .add("gy", DOUBLES, false)
            .add("gz", DOUBLES, false)
            .add("winding", DOUBLES, false);

    /** A computed row: the meshes columns, the samples and the exact grid. */
    public static final StructType SCHEMA = withComputed();

    private SdfDatasetRows() {
    }

    private static StructType withComputed() {
        StructType s = MESHES;
        s = s.add("points", COMPUTED_SAMPLES, true);
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

    private static Row points(SdfSamples s) {
        int n = s.count();
        List<SampleMix.Part> parts = s.mix().parts();
        String[] kinds = new String[parts.size()];
        Double[] sigmas = new Double[parts.size()];
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = parts.get(k).kind().label();
            sigmas[k] = parts.get(k).kind().isNear() ? parts.get(k).scale() : null;
        }
        double[][] axes = new double[6][n];   // x, y, z, gx, gy, gz
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 3; i++) {
                axes[i][k] = s.points()[3 * k + i];
                axes[3 + i][k] = s.gradient()[3 * k + i];
            }
        }
        return RowFactory.create(kinds, sigmas, s.part(), axes[0], axes[1], axes[2], s.distance(), axes[3], axes[4],
                axes[5], s.winding());
    }

    /** A grid as the {@link #GRID} struct. */
    public static Row gridRow(SdfGrid g) {
        return RowFactory.create(g.source(), g.resolution(), g.box().lo(), g.box().hi(), g.littleEndianBytes());
    }

    /** The meshes table from computed rows. */
    public static Column[] meshColumns() {
        return Arrays.stream(MESHES.fieldNames()).map(name -> col(name)).toArray(Column[]::new);
    }

    /**
     * The sdf_samples table from computed rows with samples: one row per sample ({@link #SAMPLE}'s
     * columns after {@code id}), its kind and sigma looked up by its part, a NaN winding number
     * (surface points) as null.
     */
    public static Dataset<Row> sampleRows(Dataset<Row> computed) {
        Column zipped = arrays_zip(col("points.part").as("part"), col("points.x").as("x"), col("points.y").as("y"),
                col("points.z").as("z"), col("points.sdf").as("sdf"), col("points.gx").as("gx"),
                col("points.gy").as("gy"), col("points.gz").as("gz"), col("points.winding").as("winding"));
        Column part = col("p.part").plus(1);
        return computed.filter(col("points").isNotNull())
                .select(col("id"), col("points.kinds").as("kinds"), col("points.sigmas").as("sigmas"),
                        posexplode(zipped).as(new String[]{"sample", "p"}))
                .select(col("id"), col("sample"), element_at(col("kinds"), part).as("kind"),
                        element_at(col("sigmas"), part).as("sigma"), col("p.x").as("x"), col("p.y").as("y"),
                        col("p.z").as("z"), col("p.sdf").as("sdf"), col("p.gx").as("gx"), col("p.gy").as("gy"),
                        col("p.gz").as("gz"), nanvl(col("p.winding"), lit(null).cast(DataTypes.DoubleType)).as("winding"));
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
