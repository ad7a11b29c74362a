package io.hermitengp.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.fit.InstanceSeeds;
import io.hermitengp.shape.MeshSdfData;
import io.hermitengp.shape.SampleMix;
import io.hermitengp.shape.SdfDataSettings;
import io.hermitengp.shape.SdfGrid;
import io.hermitengp.train.FittedField;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Turns a list of meshes ({@link MeshList}) into a signed-distance dataset under an output
 * location: the Parquet tables {@code meshes}, {@code sdf_samples} and {@code grids}
 * ({@link SdfDatasetRows}), computed from each mesh itself ({@link MeshSdfData}); with a fit,
 * the {@code metrics}, {@code fields} and {@code summary} of {@link FieldPipeline} (the same fit
 * service as every other job, one instance per usable mesh) and grids of the fitted fields; with
 * surfaces, the {@code extraction} table and surface files of {@link SurfaceExtraction}.
 *
 * <p>Each mesh is its own partition and task, computed once: the rows are written in one pass
 * through Spark's file commit protocol into a staging directory, and every table is cut from that
 * written copy. The tables replace those of a previous run only when all are staged, so a run
 * killed midway leaves the previous one whole (and its staging is removed by the next run). A
 * mesh that cannot be read or used is a {@code failed} row of {@code meshes}, naming the file and
 * the reason, while the batch goes on. Samples depend only on the mesh, its id and the seed
 * ({@link InstanceSeeds#seedFor}), never on the partitioning.
 */
public final class SdfDatasetPipeline {
    public static final String MESHES = "meshes";
    public static final String SAMPLES = "sdf_samples";
    public static final String GRIDS = "grids";
    static final String STAGING_PREFIX = "_sdf-staging-";
    /** Every table and file a dataset run may write: refused, or replaced, as the mode says. */
    public static final List<String> OUTPUTS = List.of(MESHES, SAMPLES, GRIDS, FieldPipeline.METRICS,
            FieldPipeline.FIELDS, FieldPipeline.SUMMARY, FieldPipeline.RUN_FILE, SurfaceExtraction.TABLE,
            SurfaceExtraction.SURFACES);

    /** Where grids come from: the mesh's exact distance, the fitted field, or both. */
    public enum GridSource {
        EXACT, FIELD, BOTH;

        public static GridSource parse(String text) {
            for (GridSource s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("must be exact, field or both, got '" + text + "'");
        }

        public boolean exact() {
            return this != FIELD;
        }

        public boolean field() {
            return this != EXACT;
        }
    }

    /**
     * What to compute.
     *
     * @param defaults          samples, mix, grid resolution, margin and seed of every mesh, unless its
     *                          manifest row overrides them
     * @param gridSource        where grids come from ({@code field} and {@code both} need a fit)
     * @param baseConfig        the sdf training config every fit starts from (its {@code problem.mesh}
     *                          is set per mesh); null for no fit
     * @param surfaceResolution marching-cubes grid N^3 of the surfaces; 0 for none (needs a fit)
     * @param mode              {@code error} or {@code overwrite}
     * @param progressSeconds   progress line period
     * @param command           recorded in {@code _run.json} by a fit
     */
    public record Request(SdfDataSettings defaults, GridSource gridSource, ObjectNode baseConfig,
                          int surfaceResolution, WriteMode mode, double progressSeconds, String command) {
        public Request {
            if (mode != WriteMode.ERROR && mode != WriteMode.OVERWRITE) {
                throw new IllegalArgumentException("--mode must be error or overwrite for a dataset run, got '"
                        + mode.label() + "'");
            }
            if (baseConfig == null && (surfaceResolution > 0 || gridSource.field() && defaults.gridResolution() > 0)) {
                throw new IllegalArgumentException("surfaces and field grids need a fit");
            }
        }

        boolean fit() {
            return baseConfig != null;
        }
    }

    /** What a run wrote: the meshes table and, with a fit, the metrics and extraction tables (else null). */
    public record Result(Dataset<Row> meshes, Dataset<Row> metrics, Dataset<Row> extraction) {
    }

    private final SparkSession spark;
    private final PrintStream log;

    public SdfDatasetPipeline(SparkSession spark, PrintStream log) {
        this.spark = spark;
        this.log = log;
    }

    /**
     * Computes the dataset of the meshes and writes it under {@code out}.
     *
     * @throws OutputExistsException when {@code out} holds any table of a dataset or fit run and
     *                               the mode is {@code error}
     */
    public Result run(List<MeshEntry> meshes, String out, Request request) {
        OutputLocation location = new OutputLocation(out, spark.sparkContext().hadoopConfiguration());
        for (String stale : location.children(STAGING_PREFIX)) {
            location.delete(stale);   // a run killed before its commit: its tables never replaced anything
        }
        List<String> existing = OUTPUTS.stream().filter(location::exists).toList();
        if (!existing.isEmpty() && request.mode() == WriteMode.ERROR) {
            throw new OutputExistsException(location + " already holds " + String.join(", ", existing)
                    + "; choose --mode overwrite or another --out");
        }
        if (request.fit()) {
            requireSdf(request.baseConfig());
        }
        String staging = STAGING_PREFIX + UUID.randomUUID();
        long started = System.nanoTime();
        Defaults defaults = Defaults.of(request.defaults(), request.gridSource().exact());
        compute(meshes, defaults, location.child(staging + "/rows"), request.progressSeconds());
        double computed = (System.nanoTime() - started) / 1e9;
        Dataset<Row> rows = spark.read().parquet(location.child(staging + "/rows"));
        rows.select(SdfDatasetRows.meshColumns()).write().parquet(location.child(staging + "/" + MESHES));
        SdfDatasetRows.sampleRows(rows).write().parquet(location.child(staging + "/" + SAMPLES));
        Dataset<Row> stagedMeshes = spark.read().parquet(location.child(staging + "/" + MESHES));
        log.printf(Locale.ROOT, "sdf: exact data of %d meshes in %.1f s (%.1f s computing and staging, %.1f s "
                + "cutting the tables)%n", meshes.size(), (System.nanoTime() - started) / 1e9, computed,
                (System.nanoTime() - started) / 1e9 - computed);

        Dataset<Row> metrics = null;
        if (request.fit()) {
            metrics = fit(meshes, stagedMeshes, request, out);
        }
        Dataset<Row> grids = rows.filter(col("grid").isNotNull()).select(SdfDatasetRows.gridColumns());
        if (metrics != null && request.gridSource().field() && request.defaults().gridResolution() > 0) {
            grids = grids.unionByName(fieldGrids(location, meshes, defaults));
        }
        boolean writeGrids = request.defaults().gridResolution() > 0 || meshes.stream().anyMatch(m -> m.grid() != null
                && m.grid() > 0);
        if (writeGrids) {
            grids.write().parquet(location.child(staging + "/" + GRIDS));
        }
        // every table in place: replace the previous run's, and drop what this run does not write
        for (String table : List.of(MESHES, SAMPLES, GRIDS)) {
            if (location.exists(staging + "/" + table)) {
                location.replace(staging + "/" + table, table);
            } else {
                location.delete(table);
            }
        }
        if (metrics == null) {   // no fit asked for, or no usable mesh to fit: no fit tables of an earlier run stay
            for (String table : List.of(FieldPipeline.METRICS, FieldPipeline.FIELDS, FieldPipeline.SUMMARY,
                    FieldPipeline.RUN_FILE, SurfaceExtraction.TABLE, SurfaceExtraction.SURFACES)) {
                location.delete(table);
            }
        }
        location.delete(staging);
        Dataset<Row> extraction = null;
        if (metrics != null && request.surfaceResolution() > 0) {
            extraction = new SurfaceExtraction(request.surfaceResolution(), 5000).run(spark,
                    spark.read().parquet(location.child(FieldPipeline.FIELDS)), location);
        }
        return new Result(spark.read().parquet(location.child(MESHES)), metrics, extraction);
    }

    /** The base config must train an {@code sdf}: a dataset run fits signed distance fields only. */
    private static void requireSdf(ObjectNode base) {
        String type = base.path("problem").path("type").asText("");
        if (!type.equals(io.hermitengp.shape.SdfProblem.TYPE)) {
            throw new io.hermitengp.config.ConfigException("the base config's problem.type must be 'sdf', got '"
                    + type + "'");
        }
    }

    /** The exact data of every mesh, one per task, written to {@code target} in one pass. */
    private void compute(List<MeshEntry> meshes, Defaults defaults, String target, double progressSeconds) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = spark.sparkContext().longAccumulator("sdf meshes done");
        LongAccumulator failed = spark.sparkContext().longAccumulator("sdf meshes failed");
        JavaRDD<Row> rows = context.parallelize(meshes, Math.max(1, meshes.size()))
                .mapPartitions(entries -> computeAll(entries, defaults, done, failed));
        long started = System.nanoTime();
        Thread printer = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep((long) (progressSeconds * 1000));
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    long n = done.value();
                    log.printf(Locale.ROOT, "sdf: %d/%d meshes done, %d failed, elapsed %.0f s%s%n", n, meshes.size(),
                            failed.value(), elapsed, n == 0 ? "" : String.format(Locale.ROOT, ", eta %.0f s",
                                    elapsed / n * (meshes.size() - n)));
                }
            } catch (InterruptedException stop) {
                // the write finished
            }
        }, "sdf-progress");
        printer.setDaemon(true);
        printer.start();
        try {
            spark.createDataFrame(rows, SdfDatasetRows.SCHEMA).write().parquet(target);
        } finally {
            printer.interrupt();
        }
    }

    private static Iterator<Row> computeAll(Iterator<MeshEntry> entries, Defaults defaults, LongAccumulator done,
                                            LongAccumulator failed) {
        String executor = SparkEnv.get().executorId();
        int threads = TaskDevice.current().cpuThreads();
        List<Row> out = new ArrayList<>();
        while (entries.hasNext()) {
            MeshEntry e = entries.next();
            SdfDataSettings settings;
            try {
                settings = defaults.settingsFor(e);
            } catch (IllegalArgumentException badOverride) {
                settings = defaults.withoutOverrides(e);
                e = e.withDefect(e.id(), "its manifest row's settings: " + badOverride.getMessage());
            }
            Row row;
            if (!e.defect().isEmpty()) {
                row = SdfDatasetRows.rejected(e, settings, executor);
                failed.add(1);
            } else {
                MeshSdfData data = MeshSdfData.compute(e.id(), e.location(), settings, threads);
                row = SdfDatasetRows.toRow(data, settings, executor);
                failed.add(data.ok() ? 0 : 1);
            }
            done.add(1);
            out.add(row);
        }
        return out.iterator();
    }

    /** Fits every usable mesh (an ok row of {@code meshes}) through {@link FieldPipeline}. */
    private Dataset<Row> fit(List<MeshEntry> meshes, Dataset<Row> stagedMeshes, Request request, String out) {
        Map<String, Double> usable = stagedMeshes.filter(col("status").equalTo(FitOutcome.OK))
                .select("id", "margin").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
        List<Instance> instances = new ArrayList<>();
        for (MeshEntry e : meshes) {
            if (usable.containsKey(e.id())) {
                instances.add(new Instance(e.id(), fitSpec(request.baseConfig(), e, usable.get(e.id()))));
            }
        }
        if (instances.isEmpty()) {
            log.println("sdf: no usable mesh to fit");
            return null;
        }
        FieldPipeline pipeline = new FieldPipeline(spark, log, request.progressSeconds());
        return pipeline.fit(pipeline.instances(instances), out, WriteMode.OVERWRITE, request.command());
    }

    /**
     * The training config of one mesh's field: the base config with {@code problem.mesh} the mesh's
     * location and {@code problem.margin} the margin its samples used (so field and samples share
     * coordinates), then the manifest's {@code spec} merged over it.
     */
    static String fitSpec(ObjectNode base, MeshEntry e, double margin) {
        ObjectNode spec = base.deepCopy();
        ObjectNode problem = spec.with("problem");
        problem.put("mesh", e.location());
        problem.put("margin", margin);
        if (e.spec() != null) {
            InstanceList.merge(spec, (ObjectNode) ConfigReader.parseTree(e.spec(), "manifest spec of " + e.id()));
        }
        return spec.toString();
    }

    /** R^3 grids of the fitted fields (source {@code field}), one task per field. */
    private Dataset<Row> fieldGrids(OutputLocation location, List<MeshEntry> meshes, Defaults defaults) {
        Map<String, Integer> resolutions = new java.util.HashMap<>();
        for (MeshEntry e : meshes) {
            resolutions.put(e.id(), defaults.gridFor(e));
        }
        Dataset<Row> fields = spark.read().parquet(location.child(FieldPipeline.FIELDS));
        long count = fields.count();
        StructType schema = new StructType().add("id", org.apache.spark.sql.types.DataTypes.StringType, false)
                .add("grid", SdfDatasetRows.GRID, true);
        return fields.repartition((int) Math.max(1, Math.min(count, 100_000)), col("id"))
                .mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
                    List<Row> out = new ArrayList<>();
                    while (it.hasNext()) {
                        Row r = it.next();
                        String id = r.getAs("id");
                        int resolution = resolutions.getOrDefault(id, 0);
                        if (resolution > 0) {
                            Row field = r.getStruct(r.fieldIndex("field"));
                            TrainConfig config = ConfigReader.readTrainConfig(field.<String>getAs("config"),
                                    "stored field " + id);
                            FittedField fitted = new FittedField(config, LocalArrays.doubles(
                                    field.getList(field.fieldIndex("parameters"))), field.<Integer>getAs("active_levels"));
                            out.add(RowFactory.create(id, SdfDatasetRows.gridRow(SdfGrid.field(fitted,
                                    config.problem().fieldShape().domain(), resolution))));
                        }
                    }
                    return out.iterator();
                }, Encoders.row(schema)).select(SdfDatasetRows.gridColumns());
    }

    /** The job's settings in a form a task can carry (the kernels' records are not serializable). */
    record Defaults(int samples, String mix, int grid, double margin, long seed, boolean exactGrids)
            implements Serializable {
        static Defaults of(SdfDataSettings s, boolean exactGrids) {
            return new Defaults(s.samples(), s.mix().text(), s.gridResolution(), s.margin(), s.seed(), exactGrids);
        }

        /**
         * A mesh's settings: the job's, with what its manifest row overrides, and the seed of its
         * samples derived from its id ({@link InstanceSeeds#seedFor}). The exact grid is 0 when
         * grids come from fields only.
         */
        SdfDataSettings settingsFor(MeshEntry e) {
            return new SdfDataSettings(e.samples() != null ? e.samples() : samples,
                    SampleMix.parse(e.mix() != null ? e.mix() : mix), exactGrids ? gridFor(e) : 0,
                    e.margin() != null ? e.margin() : margin,
                    InstanceSeeds.seedFor(e.id(), e.seed() != null ? e.seed() : seed));
        }

        /** The job's settings alone, for the row of an entry whose own overrides are unusable. */
        SdfDataSettings withoutOverrides(MeshEntry e) {
            return new SdfDataSettings(samples, SampleMix.parse(mix), exactGrids ? grid : 0, margin,
                    InstanceSeeds.seedFor(e.id(), seed));
        }

        /** The grid resolution of a mesh, whichever source its grids come from (0: none). */
        int gridFor(MeshEntry e) {
            return e.grid() != null ? e.grid() : grid;
        }
    }
}
