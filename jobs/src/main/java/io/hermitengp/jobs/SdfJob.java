package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.shape.FieldSurface;
import io.hermitengp.shape.SampleMix;
import io.hermitengp.shape.SdfDataSettings;
import io.hermitengp.shape.SdfGrid;
import io.hermitengp.shape.SdfSettings;
import io.hermitengp.spark.MeshEntry;
import io.hermitengp.spark.MeshList;
import io.hermitengp.spark.MetricsSummary;
import io.hermitengp.spark.SdfDatasetPipeline;
import io.hermitengp.spark.WriteMode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * {@code sdf --meshes <folder | glob | manifest> --out DIR [--samples N] [--grid R] [--fit]
 * [--surfaces]}: a signed-distance dataset of a mesh collection ({@link SdfDatasetPipeline}).
 * With only {@code --samples} it computes exact samples from the meshes and trains nothing.
 */
final class SdfJob {
    /**
     * The fit of {@code --fit} without {@code --config}, and of {@code demo-sdf}: settings chosen
     * on the 35 bundled meshes (README, "SDF datasets").
     */
    static final String DEFAULT_CONFIG = "data/configs/sdf-dataset.json";

    static final CommandSpec SPEC = new CommandSpec("sdf", null,
            "a signed-distance dataset of a mesh collection: DIR/meshes (what each file is, how sure its signs are), "
                    + "DIR/sdf_samples (exact), DIR/grids; with --fit the fit job's tables, with --surfaces the extraction",
            List.of(OptionSpec.required("--meshes", "LOCATION",
                            "a folder (searched for .obj, .ply, .stl and extensionless files), a glob, or a manifest .csv/.parquet"),
                    OptionSpec.withDefault("--out", "DIR", "out", "where the tables are written (a path or a Hadoop URI)"),
                    OptionSpec.withDefault("--samples", "N", "0", "exact SDF samples per mesh"),
                    OptionSpec.withDefault("--mix", "MIX", SampleMix.DEFAULT.text(),
                            "how samples split: surface:F, near:SIGMA:F (Gaussian), near_logistic:S:F (logistic "
                                    + "along the normal), uniform:F; noise in box units, fractions sum to 1"),
                    OptionSpec.withDefault("--grid", "R", "0", "an R^3 signed-distance grid per mesh (2 <= R <= "
                            + SdfGrid.MAX_RESOLUTION + "; 0: none)"),
                    OptionSpec.withDefault("--grid-source", "SOURCE", "exact",
                            "grids from the exact distance, the fitted field, or both (field and both need --fit)"),
                    OptionSpec.withDefault("--seed", "S", "0", "seed of the samples, mixed with each mesh's id"),
                    OptionSpec.optional("--margin", "M", "the config's problem.margin, else 0.1",
                            "fraction of the box [-1, 1]^3 left free at each end when a mesh is placed in it"),
                    OptionSpec.optional("--config", "FILE", DEFAULT_CONFIG + " with --fit",
                            "the sdf training config every fit starts from (problem.mesh is set per mesh)"),
                    OptionSpec.flag("--fit", "fit a field per usable mesh: DIR/metrics, DIR/fields, DIR/summary"),
                    OptionSpec.flag("--surfaces", "with --fit: extract each field's surface: DIR/extraction, DIR/surfaces"),
                    OptionSpec.withDefault("--resolution", "N", "128", "marching-cubes grid N^3 of --surfaces"),
                    OptionSpec.withDefault("--mode", "MODE", "error",
                            "an existing dataset or run in --out: error (refuse) or overwrite"),
                    OptionSpec.withDefault("--progress-seconds", "S", "10", "print progress every S seconds"),
                    BatchStatus.MAX_FAILED_MESH_FRACTION),
            "3 the fraction of meshes not ok (failed, or a failed or diverged fit or surface) is above "
                    + "--max-failed-fraction", true);

    private SdfJob() {
    }

    /** What the command line asks for, checked before any Spark session starts. */
    record Plan(String meshes, String out, int samples, SampleMix mix, int grid,
                SdfDatasetPipeline.GridSource gridSource, long seed, Double margin, String config, boolean fit,
                int surfaceResolution, WriteMode mode, int progressSeconds, double maxFailed) {
    }

    static int run(String[] args) {
        Plan plan = plan(SPEC.parse(args));
        SparkSession spark = Sessions.start("hermite-ngp sdf");
        try {
            return run(spark, plan, "sdf " + String.join(" ", args));
        } finally {
            spark.stop();
        }
    }

    static Plan plan(JobOptions options) {
        int samples = (int) options.integer("--samples", 0, 1 << 26);
        SampleMix mix;
        try {
            mix = SampleMix.parse(options.string("--mix"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.label("--mix") + ": " + e.getMessage());
        }
        int grid = (int) options.integer("--grid", 0, SdfGrid.MAX_RESOLUTION);
        if (grid == 1) {
            throw new UsageException(options.label("--grid") + " must be 0 (none) or at least 2, got 1");
        }
        SdfDatasetPipeline.GridSource source;
        try {
            source = SdfDatasetPipeline.GridSource.parse(options.string("--grid-source"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(options.label("--grid-source") + " " + e.getMessage());
        }
        boolean fit = options.has("--fit");
        if (source.field() && grid > 0 && !fit) {
            throw new UsageException(options.label("--grid-source") + " " + options.string("--grid-source")
                    + " needs --fit (a field to sample)");
        }
        if (options.has("--surfaces") && !fit) {
            throw new UsageException(options.label("--surfaces") + " needs --fit (a field to extract)");
        }
        if (samples == 0 && grid == 0 && !fit) {
            throw new UsageException("sdf: nothing to compute: give --samples N, --grid R or --fit "
                    + "(hermite-ngp sdf --help)");
        }
        Double margin = null;
        if (options.has("--margin")) {
            margin = OptionValues.fraction(options.label("--margin"), options.string("--margin"));
            if (!(margin < 0.5)) {
                throw new UsageException(options.label("--margin") + " must be in [0, 0.5), got " + margin);
            }
        }
        String config = options.has("--config") ? options.string("--config") : fit ? DEFAULT_CONFIG : null;
        int resolution = (int) options.integer("--resolution", 4, FieldSurface.MAX_RESOLUTION);
        WriteMode mode = FitJob.mode(options);
        if (mode != WriteMode.ERROR && mode != WriteMode.OVERWRITE) {
            throw new UsageException(options.label("--mode") + " must be error or overwrite, got '" + mode.label() + "'");
        }
        String meshes = options.string("--meshes");
        if (!MeshList.isGlob(meshes)) {
            PathChecks.local(options.label("--meshes"), meshes).ifPresent(p -> {
                if (!java.nio.file.Files.exists(p)) {
                    throw new UsageException(options.label("--meshes") + ": no such folder, file or manifest: " + p);
                }
                if (!java.nio.file.Files.isReadable(p)) {
                    throw new UsageException(options.label("--meshes") + ": cannot read " + p + ": permission denied");
                }
            });
        }
        if (config != null) {
            PathChecks.readableFile(options.label("--config"), config);
        }
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        return new Plan(meshes, options.string("--out"), samples, mix, grid, source,
                options.integer("--seed", Long.MIN_VALUE, Long.MAX_VALUE), margin, config, fit,
                options.has("--surfaces") ? resolution : 0, mode, options.integer("--progress-seconds", 1),
                options.fraction("--max-failed-fraction"));
    }

    /** Runs a checked plan in a session; returns the exit status. */
    static int run(SparkSession spark, Plan plan, String command) {
        long started = System.nanoTime();
        ObjectNode base = plan.config() == null ? null : readConfig(spark, plan.config());
        double margin = plan.margin() != null ? plan.margin()
                : base != null ? base.path("problem").path("margin").asDouble(SdfSettings.DEFAULTS.margin())
                : SdfSettings.DEFAULTS.margin();
        List<MeshEntry> meshes;
        try {
            meshes = MeshList.read(spark, plan.meshes());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UsageException("sdf --meshes: " + e.getMessage());
        }
        SdfDataSettings defaults = new SdfDataSettings(plan.samples(), plan.mix(), plan.grid(), margin, plan.seed());
        SdfDatasetPipeline.Request request = new SdfDatasetPipeline.Request(defaults, plan.gridSource(),
                plan.fit() ? base : null, plan.surfaceResolution(), plan.mode(), plan.progressSeconds(), command);
        System.out.printf("sdf: %d meshes from %s -> %s%n", meshes.size(), plan.meshes(), plan.out());
        SdfDatasetPipeline.Result result = new SdfDatasetPipeline(spark, System.out).run(meshes, plan.out(), request);
        double seconds = (System.nanoTime() - started) / 1e9;
        return report(result, meshes.size(), seconds, plan.maxFailed());
    }

    /** Prints the meshes table and the batch's figures; the exit status from the meshes, fits and surfaces not ok. */
    static int report(SdfDatasetPipeline.Result result, long meshCount, double seconds, double maxFailed) {
        Dataset<Row> meshes = result.meshes();
        meshes.select(col("id"), col("format"), col("triangles"), col("watertight"), col("boundary_edges"),
                col("sign_confidence"), col("samples"), col("seconds"), col("status"), col("message")).orderBy("id")
                .show(1000, false);
        long failed = meshes.filter(col("status").notEqual(FitOutcome.OK)).count();
        long notOk = failed;
        if (result.metrics() != null) {
            MetricsSummary.byKind(result.metrics()).show(1000, false);
            notOk += result.metrics().filter(col("status").notEqual(FitOutcome.OK)).count();
        }
        if (result.extraction() != null) {
            result.extraction().select("id", "status", "triangles", "chamfer", "normal_consistency", "message")
                    .orderBy("id").show(1000, false);
            notOk += result.extraction().filter(col("status").notEqual(FitOutcome.OK)).count();
        }
        System.out.printf(Locale.ROOT, "sdf: %d meshes, %d failed, in %.1f s (%.0f meshes per hour)%n", meshCount,
                failed, seconds, meshCount * 3600 / seconds);
        return new BatchStatus(meshCount, Math.min(notOk, meshCount), "meshes").exitCode("sdf", maxFailed, System.err);
    }

    /** The base config, read through Hadoop's file system; not an sdf config is a usage error. */
    private static ObjectNode readConfig(SparkSession spark, String location) {
        Path path = new Path(location);
        String text;
        try (FSDataInputStream in = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("sdf --config: cannot read " + location + ": " + e.getMessage());
        }
        JsonNode tree = ConfigReader.parseTree(text, location);
        if (!tree.isObject() || !tree.path("problem").path("type").asText("").equals("sdf")) {
            throw new ConfigException(location + ": problem.type must be 'sdf' for the sdf job");
        }
        ObjectNode probe = ((ObjectNode) tree).deepCopy();
        probe.with("problem").put("mesh", "placeholder.obj");
        ConfigReader.readTrainConfig(probe.toString(), location);   // every key checked before any work
        return (ObjectNode) tree;
    }
}
