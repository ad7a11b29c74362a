package io.hermitengp.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.fit.DeviceChoice;
import io.hermitengp.fit.FitOutcome;
import io.hermitengp.spark.FieldPipeline;
import io.hermitengp.spark.Instance;
import io.hermitengp.spark.InstanceList;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code throughput --instances FILE [--limit N] [--batch-fields 1,8,32] [--backend B] [--out DIR]}:
 * the same instances fitted several times in one run, first directly in this JVM (one instance
 * after another, each on every core), then through Spark ({@code local[*]} unless spark-submit
 * says otherwise) once per batch size, each pass replacing the last one's tables in DIR. It prints
 * the instances per minute of each pass and ends with one JSON line:
 * {@code {"instances": n, "direct_instances_per_minute": r, "results": [{"batch_fields": 1,
 * "instances_per_minute": r, "seconds": s, "not_ok": k}, ...]}}.
 */
final class ThroughputJob {
    static final CommandSpec SPEC = new CommandSpec("throughput", null,
            "a batch fitted directly in one JVM, then through Spark once per batch size: instances per minute of "
                    + "each, and one JSON line of the results",
            List.of(OptionSpec.withDefault("--instances", "FILE", "data/instances/demo.jsonl",
                            "the instance list, JSON Lines"),
                    OptionSpec.optional("--limit", "N", "all", "fit the first N instances of the list only"),
                    OptionSpec.withDefault("--batch-fields", "LIST", "1", "the Spark passes' batch sizes, "
                            + "comma-separated: each pass trains up to that many fields together per task"),
                    OptionSpec.optional("--backend", "B", "each spec's own", "java, opencl or auto for every "
                            + "instance (training.backend.type)"),
                    OptionSpec.withDefault("--out", "DIR", "out/throughput", "where the Spark passes write their tables"),
                    BatchStatus.MAX_FAILED_FRACTION),
            BatchStatus.EXITS + " in any pass", true);

    private ThroughputJob() {
    }

    static int run(String[] args) {
        JobOptions options = SPEC.parse(args);
        String list = options.string("--instances");
        String out = options.string("--out");
        double maxFailed = options.fraction("--max-failed-fraction");
        List<Integer> batchSizes = options.integers("--batch-fields", 1);
        PathChecks.readableFile(options.label("--instances"), options.string("--instances"));
        PathChecks.writableLocation(options.label("--out"), options.string("--out"));
        List<Instance> instances = InstanceList.read(list, new Configuration());
        if (options.has("--limit")) {
            instances = instances.subList(0, (int) Math.min(instances.size(), options.integer("--limit", 1,
                    Integer.MAX_VALUE)));
        }
        if (options.has("--backend")) {
            instances = withBackend(instances, backend(options));
        }
        int cores = Runtime.getRuntime().availableProcessors();

        long started = System.nanoTime();
        int failed = 0;
        for (Instance instance : instances) {
            FitOutcome o = instance.fit(DeviceChoice.cpu(cores));
            failed += o.status().equals(FitOutcome.OK) ? 0 : 1;
            System.out.printf("direct: %-24s %-8s %6.1f s  %s%n", o.id(), o.status(), o.wallSeconds(), o.message());
        }
        double direct = (System.nanoTime() - started) / 1e9;

        int n = instances.size();
        List<double[]> passes = new ArrayList<>();   // per batch size: seconds, not ok
        long worstNotOk = failed;
        SparkSession spark = Sessions.start("hermite-ngp throughput");
        try {
            for (int batch : batchSizes) {
                started = System.nanoTime();
                FieldPipeline pipeline = new FieldPipeline(spark, System.out, 10).batchFields(batch);
                // each pass replaces the last one's tables there, and refuses any other run
                Dataset<Row> metrics = pipeline.fit(pipeline.instances(instances), out,
                        pipeline.ownRunMode(out, "throughput"), "throughput " + String.join(" ", args));
                double seconds = (System.nanoTime() - started) / 1e9;
                long notOk = BatchStatus.of(metrics).notOk();
                passes.add(new double[]{seconds, notOk});
                worstNotOk = Math.max(worstNotOk, notOk);
                System.out.printf("throughput: batches of %d fields: %.1f s, %.2f instances/min%n", batch, seconds,
                        60 * n / seconds);
            }
        } finally {
            spark.stop();
        }
        System.out.printf("throughput of %d instances (%s), %d cores:%n", n, list, cores);
        System.out.printf("  direct, one JVM, one instance at a time on %d threads: %.1f s, %.2f instances/min"
                + " (%d not ok)%n", cores, direct, 60 * n / direct, failed);
        ObjectNode json = ConfigReader.mapper().createObjectNode();
        json.put("instances", n);
        json.put("cores", cores);
        json.put("direct_instances_per_minute", 60 * n / direct);
        ArrayNode results = json.putArray("results");
        for (int i = 0; i < batchSizes.size(); i++) {
            double seconds = passes.get(i)[0];
            System.out.printf("  Spark %s, batches of %d fields per task:  %.1f s, %.2f instances/min, "
                    + "%.2fx direct (%d not ok)%n", "local[*]", batchSizes.get(i), seconds, 60 * n / seconds,
                    direct / seconds, (long) passes.get(i)[1]);
            ObjectNode r = results.addObject();
            r.put("batch_fields", batchSizes.get(i));
            r.put("instances_per_minute", 60 * n / seconds);
            r.put("seconds", seconds);
            r.put("not_ok", (long) passes.get(i)[1]);
        }
        System.out.println(json);
        // the passes fit the same instances, but on different devices they can end differently: the worst counts
        return new BatchStatus(n, worstNotOk).exitCode("throughput", maxFailed, System.err);
    }

    private static String backend(JobOptions options) {
        String type = options.string("--backend");
        if (!List.of("java", "opencl", "auto").contains(type)) {
            throw new UsageException(options.label("--backend") + ": must be java, opencl or auto, got '" + type + "'");
        }
        return type;
    }

    /** The object under {@code key}, put there when there is none. */
    private static ObjectNode object(ObjectNode parent, String key) {
        return parent.get(key) instanceof ObjectNode child ? child : parent.putObject(key);
    }

    /** Every instance with {@code training.backend.type} set; a spec that is not JSON stays as it is (and fails). */
    private static List<Instance> withBackend(List<Instance> instances, String type) {
        List<Instance> changed = new ArrayList<>(instances.size());
        for (Instance instance : instances) {
            try {
                ObjectNode spec = (ObjectNode) ConfigReader.parseTree(instance.spec(), "spec");
                object(object(spec, "training"), "backend").put("type", type);
                changed.add(new Instance(instance.id(), spec.toString(), instance.defect()));
            } catch (RuntimeException notAnObject) {
                changed.add(instance);
            }
        }
        return changed;
    }
}
