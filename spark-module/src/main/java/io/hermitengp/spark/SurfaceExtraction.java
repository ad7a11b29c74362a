package io.hermitengp.spark;

import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
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

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Turns fitted signed distance fields into meshes: for each {@code sdf} row of a fields table, the
 * zero level set by marching cubes on a {@code resolution}^3 grid over the field's box, mapped
 * back into the mesh's own coordinates and written as {@code surfaces/<id>.ply}, and one row of
 * the {@code extraction} table: triangles, the Chamfer distance and normal consistency against
 * the source mesh (in box units and, for the Chamfer distance, in mesh units too), seconds, the
 * file. A field that cannot be extracted (its mesh gone, no zero crossing) is a {@code failed}
 * row; rewriting a surface file on a task retry replaces it whole.
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
            .add("surface_file", DataTypes.StringType, true);

    private final int resolution;
    private final int comparisonSamples;

    public SurfaceExtraction(int resolution, int comparisonSamples) {
        if (resolution < 4) {
            throw new IllegalArgumentException("resolution must be at least 4, got " + resolution);
        }
        this.resolution = resolution;
        this.comparisonSamples = comparisonSamples;
    }

    /** Extracts every SDF field of {@code fields} (the fields table) under {@code out}. */
    public Dataset<Row> run(SparkSession spark, Dataset<Row> fields, Path out) {
        String surfaces = out.resolve(SURFACES).toAbsolutePath().toString();
        Dataset<Row> sdf = fields.filter(col("kind").equalTo(SdfProblem.TYPE));
        long count = sdf.count();
        int partitions = (int) Math.max(1, Math.min(count, 100_000));
        Dataset<Row> rows = sdf.repartition(partitions, col("id")).mapPartitions(
                (MapPartitionsFunction<Row, Row>) it -> extractAll(it, surfaces),
                Encoders.row(SCHEMA));
        rows.write().mode(SaveMode.Overwrite).parquet(out.resolve(TABLE).toString());
        return spark.read().parquet(out.resolve(TABLE).toString());
    }

    private Iterator<Row> extractAll(Iterator<Row> rows, String surfaces) {
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            Row field = row.getStruct(row.fieldIndex("field"));
            String id = row.getAs("id");
            out.add(extract(id, field.getAs("config"), field.<Integer>getAs("active_levels"),
                    LocalArrays.doubles(field.getList(field.fieldIndex("parameters"))), Path.of(surfaces)));
        }
        return out.iterator();
    }

    /** One field's surface, file and metrics row. */
    public Row extract(String id, String config, int activeLevels, double[] parameters, Path surfaces) {
        long started = System.nanoTime();
        try {
            TrainConfig parsed = ConfigReader.readTrainConfig(config, "stored field " + id);
            if (!(parsed.problem() instanceof SdfProblem.Config sdf)) {
                throw new IllegalArgumentException("field " + id + " is a " + parsed.problem().type() + " field, not an sdf");
            }
            FittedField field = new FittedField(parsed, parameters, activeLevels);
            Box box = sdf.fieldShape().domain();
            TriangleMesh surface = FieldSurface.extract(field, box, resolution);
            if (surface.triangleCount() == 0) {
                throw new IllegalStateException("the field has no zero crossing on the " + resolution + "^3 grid");
            }
            MeshDomain mesh = MeshDomain.load(Path.of(sdf.mesh()), box, sdf.settings().margin(),
                    TaskDevice.current().cpuThreads());
            SurfaceComparison c = SurfaceComparison.of(surface, mesh.mesh(), comparisonSamples, sdf.settings().seed());
            Path file = surfaces.resolve(fileName(id) + ".ply");
            MeshWriter.write(FieldSurface.toMeshCoordinates(surface, mesh.normalization()), file);
            return RowFactory.create(id, FitOutcome.OK, "", (long) surface.triangleCount(), c.chamfer(),
                    c.chamfer() / mesh.normalization().scale(), c.normalConsistency(), resolution, seconds(started),
                    file.toString());
        } catch (RuntimeException | IOException | OutOfMemoryError e) {
            return RowFactory.create(id, FitOutcome.FAILED, FitOutcome.describe(e), null, null, null, null, resolution,
                    seconds(started), null);
        }
    }

    /** The id with anything but letters, digits, '-', '_' and '.' replaced, as a file name. */
    static String fileName(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
