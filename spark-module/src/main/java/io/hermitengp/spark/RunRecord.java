package io.hermitengp.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.fit.FitOutcome;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.util.Locale;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code _run.json} of a fit: what ran (the command, the version, the write mode, when), what it
 * was given (instances listed, a hash of their ids and specs that changes when any instance does)
 * and what the run now holds (instances fitted by this run, kept from the previous one, and the
 * ok, failed and diverged counts of the whole table).
 */
record RunRecord(String command, String version, String mode, String output, String finishedAt, long listed,
                 String instancesHash, long fitted, long kept, long rows, long ok, long failed, long diverged) {

    /** @param instances the listed instances as (id, spec, defect) ({@link InstanceList#normalized}) */
    static RunRecord of(String command, WriteMode mode, String output, Dataset<Row> instances, long listed,
                        long fitted, long kept, Dataset<Row> metrics) {
        Row hash = instances.agg(bit_xor(xxhash64(col("id"), col("spec"), col("defect")))).first();
        Row counts = metrics.agg(count(lit(1)),
                sum(when(col("status").equalTo(FitOutcome.OK), 1L).otherwise(0L)),
                sum(when(col("status").equalTo(FitOutcome.FAILED), 1L).otherwise(0L)),
                sum(when(col("status").equalTo(FitOutcome.DIVERGED), 1L).otherwise(0L))).first();
        String version = FieldPipeline.class.getPackage().getImplementationVersion();
        return new RunRecord(command, version == null ? "unpackaged" : version, mode.label(), output,
                Instant.now().toString(), listed, String.format(Locale.ROOT, "%016x", hash.isNullAt(0) ? 0L : hash.getLong(0)),
                fitted, kept, counts.getLong(0), counts.isNullAt(1) ? 0 : counts.getLong(1),
                counts.isNullAt(2) ? 0 : counts.getLong(2), counts.isNullAt(3) ? 0 : counts.getLong(3));
    }

    String toJson() {
        ObjectNode n = ConfigReader.mapper().createObjectNode();
        n.put("command", command);
        n.put("version", version);
        n.put("mode", mode);
        n.put("output", output);
        n.put("finished_at", finishedAt);
        n.put("instances_listed", listed);
        n.put("instances_hash", instancesHash);
        n.put("fitted", fitted);
        n.put("kept", kept);
        n.put("rows", rows);
        n.put("ok", ok);
        n.put("failed", failed);
        n.put("diverged", diverged);
        return n.toPrettyString() + "\n";
    }

    /** One line for the log. */
    String counts() {
        return String.format(Locale.ROOT, "%d rows (%d fitted now, %d kept): %d ok, %d failed, %d diverged",
                rows, fitted, kept, ok, failed, diverged);
    }
}
