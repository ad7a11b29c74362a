package io.hermitengp.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;

/** The machine-readable summary of a training run, with the resolved config that produced it. */
public final class ResultJson {
    private ResultJson() {
    }

    /**
     * @param withLossCurve include the per-step loss curve (long); the error curve is always included
     */
    public static ObjectNode of(TrainingResult r, TrainConfig config, int parameterCount, boolean withLossCurve) {
        ObjectNode n = ConfigReader.mapper().createObjectNode();
        n.put("status", r.status().label());
        if (!r.message().isEmpty()) {
            n.put("message", r.message());
        }
        n.put("problem", config.problem().type());
        n.put("rel_l2", r.relL2());
        n.put("grad_rel_l2", r.gradRelL2());
        AverageReport average = r.average();
        n.put("weights", average.weights());
        if (average.averaged()) {
            n.put("reported_step", average.reportedStep());
            n.put("final_rel_l2", average.finalRelL2());
            if (average.bestStep() >= 0) {
                n.put("best_rel_l2", average.bestRelL2());
                n.put("best_step", average.bestStep());
            }
            n.put("raw_rel_l2", average.rawRelL2());
        }
        r.paperMetric().ifPresent(m -> {
            n.put("paper_metric", m.value());
            n.put("paper_metric_name", m.name());
        });
        r.metrics().forEach(n::put);
        r.counts().forEach(n::put);
        n.put("steps", r.steps());
        n.put("seconds", r.trainSeconds());
        n.put("ms_per_step", r.msPerStep());
        n.put("backend", r.backend());
        n.put("host_device_bytes_per_step", r.bytesPerStep());
        n.put("seed", r.seed());
        n.put("loss", r.finalLoss());
        ObjectNode losses = n.putObject("term_losses");
        ObjectNode weights = n.putObject("term_weights");
        for (int k = 0; k < r.termNames().size(); k++) {
            losses.put(r.termNames().get(k), r.termLosses()[k]);
            weights.put(r.termNames().get(k), r.termWeights()[k]);
        }
        n.put("active_levels", r.activeLevels());
        n.put("parameters", parameterCount);
        ArrayNode curve = n.putArray("error_curve");
        for (ErrorPoint p : r.errorCurve()) {
            ArrayNode row = curve.addArray();
            row.add(p.step()).add(p.seconds()).add(p.relL2()).add(p.gradRelL2());
            if (average.averaged()) {
                row.add(p.rawRelL2());
            }
        }
        if (withLossCurve) {
            ArrayNode loss = n.putArray("loss_curve");
            for (double l : r.lossCurve()) {
                loss.add(l);
            }
        }
        n.set("config", config.toJson());
        return n;
    }
}
