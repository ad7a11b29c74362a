package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.FitMemory;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.SurfaceComparison;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.io.MeshWriter;
import io.hermitengp.shape.FieldSurface;
import io.hermitengp.shape.MeshDomain;
import io.hermitengp.shape.SdfProblem;
import io.hermitengp.train.FittedField;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * Turns fitted signed distance fields into meshes: for each {@code sdf} row of a fields table, the
 * zero level set by marching cubes on a {@code resolution}^3 grid over the field's box, mapped
 * back into the mesh's own coordinates, and one row of the {@code extraction} table: triangles, the
 * Chamfer distance and normal consistency against the source mesh (in box units and, for the
 * Chamfer distance, in mesh units too), seconds, and the surface itself as a binary PLY column
 * ({@code surface_ply}), so the table and its surfaces are written together through Spark's file
 * commit protocol. {@link #exportFiles} then writes each committed surface to
 * {@code surfaces/<name>.ply} through Hadoop's file system, the name an injective encoding of
 * the id ({@link #fileName}); the row's {@code surface_file} says where. A field that cannot be
 * extracted (its mesh gone, no zero crossing) is a {@code failed} row.
 */
public final class SurfaceExtraction implements Serializable {
    public static final String TABLE = "extraction";
    public static final String SURFACES = "surfaces";
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false)
            .add("triangles", DataTypes.LongType, true)
            .add("chamfer", DataTypes.DoubleType, true)
            .add("chamfer_mesh_units", DataTypes.DoubleType, true)
            .add("normal_consistency", DataTypes.DoubleType, true)
            .add("resolution", DataTypes.IntegerType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("surface_file", DataTypes.StringType, true)
            .add("surface_ply", DataTypes.BinaryType, true);

    private final int resolution;
    private final int comparisonSamples;

    public SurfaceExtraction(int resolution, int comparisonSamples) {
        if (resolution < 4 || resolution > FieldSurface.MAX_RESOLUTION) {
            throw new IllegalArgumentException("resolution must be in [4, " + FieldSurface.MAX_RESOLUTION + "], got "
                    + resolution);
        }
        this.resolution = resolution;
        this.comparisonSamples = comparisonSamples;
    }

    /** {@link #run(SparkSession, Dataset, OutputLocation)} into a local directory. */
    public Dataset<Row> run(SparkSession spark, Dataset<Row> fields, java.nio.file.Path out) {
        return run(spark, fields, new OutputLocation(out.toAbsolutePath().toUri().toString(),
                spark.sparkContext().hadoopConfiguration()));
    }

    /**
     * Extracts every SDF field of {@code fields} (the fields table), writes the {@code extraction}
     * table under {@code out} (replacing it) and then the surface files.
     */
    public Dataset<Row> run(SparkSession spark, Dataset<Row> fields, OutputLocation out) {
        String surfaces = out.child(SURFACES);
        Dataset<Row> sdf = fields.filter(col("kind").equalTo(SdfProblem.TYPE));
        long count = sdf.count();
        int partitions = (int) Math.max(1, Math.min(count, 100_000));
        Dataset<Row> rows = sdf.repartition(partitions, col("id")).mapPartitions(
                (MapPartitionsFunction<Row, Row>) it -> extractAll(it, surfaces),
                Encoders.row(SCHEMA));
        rows.write().mode(SaveMode.Overwrite).parquet(out.child(TABLE));
        Dataset<Row> table = spark.read().parquet(out.child(TABLE));
        exportFiles(table, out);
        return table;
    }

    /**
     * Writes every surface of a committed extraction table to its {@code surface_file}, after
     * removing the previous {@code surfaces/} (so no file of an earlier extraction stays behind).
     */
    public static void exportFiles(Dataset<Row> extraction, OutputLocation out) {
        out.delete(SURFACES);
        Iterator<Row> rows = extraction.filter(col("surface_ply").isNotNull()).select("id", "surface_ply")
                .toLocalIterator();
        while (rows.hasNext()) {
            Row r = rows.next();
            out.writeBytes(surfaceFile(SURFACES, r.getString(0)), (byte[]) r.get(1));
        }
    }

    private Iterator<Row> extractAll(Iterator<Row> rows, String surfaces) {
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            Row field = row.getStruct(row.fieldIndex("field"));
            String id = row.getAs("id");
            out.add(extract(id, field.getAs("config"), field.<Integer>getAs("active_levels"),
                    LocalArrays.doubles(field.getList(field.fieldIndex("parameters"))), surfaces));
        }
        return out.iterator();
    }

    /**
     * One field's surface and metrics row.
     *
     * @param surfaces the directory (URI) the surface file will be exported to
     */
    public Row extract(String id, String config, int activeLevels, double[] parameters, String surfaces) {
        long started = System.nanoTime();
        try {
            TrainConfig parsed = ConfigReader.readTrainConfig(config, "stored field " + id);
            if (!(parsed.problem() instanceof SdfProblem.Config sdf)) {
                throw new IllegalArgumentException("field " + id + " is a " + parsed.problem().type() + " field, not an sdf");
            }
            FieldSurface.requireFits(resolution, FitMemory.available());   // before the grid is allocated
            FittedField field = new FittedField(parsed, parameters, activeLevels);
            Box box = sdf.fieldShape().domain();
            TriangleMesh surface = FieldSurface.extract(field, box, resolution);
            if (surface.triangleCount() == 0) {
                throw new IllegalStateException("the field has no zero crossing on the " + resolution + "^3 grid");
            }
            MeshDomain mesh = MeshDomain.load(sdf.mesh(), box, sdf.settings().margin(),
                    TaskDevice.current().cpuThreads());
            SurfaceComparison c = SurfaceComparison.of(surface, mesh.mesh(), comparisonSamples, sdf.settings().seed());
            byte[] ply = MeshWriter.plyBytes(FieldSurface.toMeshCoordinates(surface, mesh.normalization()));
            return RowFactory.create(id, FitOutcome.OK, "", (long) surface.triangleCount(), c.chamfer(),
                    c.chamfer() / mesh.normalization().scale(), c.normalConsistency(), resolution, seconds(started),
                    surfaceFile(surfaces, id), ply);
        } catch (RuntimeException e) {
            return RowFactory.create(id, FitOutcome.FAILED, FitOutcome.describe(e), null, null, null, null, resolution,
                    seconds(started), null, null);
        }
    }

    /** Where an id's surface goes under a surfaces directory. */
    static String surfaceFile(String surfaces, String id) {
        return surfaces + "/" + fileName(id) + ".ply";
    }

    /**
     * The id as a file name, injectively: letters, digits, '-', '_' and '.' stay (but a leading
     * '.'), every other character (and '~') becomes {@code ~XX} per UTF-8 byte, so ids that differ
     * only in '/', '_' or ' ' get different files ({@code sph/1} -> {@code sph~2F1},
     * {@code sph_1} -> {@code sph_1}, {@code sph 1} -> {@code sph~201}).
     */
    static String fileName(String id) {
        StringBuilder name = new StringBuilder();
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-'
                    || b == '_' || (b == '.' && i > 0);
            if (plain) {
                name.append((char) b);
            } else {
                name.append('~').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        return name.length() == 0 ? "~" : name.toString();
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
