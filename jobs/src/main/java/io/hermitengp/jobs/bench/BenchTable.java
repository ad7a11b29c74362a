package io.hermitengp.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The Markdown table of a suite's results beside the paper's values. */
public final class BenchTable {
    private BenchTable() {
    }

    public static String markdown(String suiteName, ArrayNode results) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(suiteName).append("\n\n");
        s.append("| case | problem | parameters | variant | budget | steps | time (s) | ms/step | rel L2 | "
                + "authors' metric | ours in it | paper | ratio to paper | grad rel L2 | backend | status |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            s.append("| ").append(r.path("name").asText())
                    .append(" | ").append(r.path("problem").asText())
                    .append(" | ").append(parameters(r.path("parameters")))
                    .append(" | ").append(r.path("variant").asText())
                    .append(" | ").append(r.path("budget").asText())
                    .append(" | ").append(r.has("steps") ? r.get("steps").asText() : "-")
                    .append(" | ").append(number(r.path("seconds"), "%.0f"))
                    .append(" | ").append(number(r.path("ms_per_step"), "%.1f"))
                    .append(" | ").append(number(r.path("rel_l2"), "%.3e"))
                    .append(" | ").append(r.path("paper_metric_name").asText("-"))
                    .append(" | ").append(number(r.path("paper_metric"), "%.3e"))
                    .append(" | ").append(number(r.path("paper"), "%.3g"))
                    .append(" | ").append(number(r.path("ratio_to_paper"), "%.3g"))
                    .append(" | ").append(number(r.path("grad_rel_l2"), "%.3e"))
                    .append(" | ").append(r.path("backend").asText("-"))
                    .append(" | ").append(r.path("status").asText())
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String number(JsonNode node, String format) {
        return node.isNumber() ? String.format(Locale.ROOT, format, node.asDouble()) : "-";
    }

    private static String parameters(JsonNode parameters) {
        StringBuilder s = new StringBuilder();
        Iterator<Map.Entry<String, JsonNode>> fields = parameters.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getKey().equals("domain")) {
                continue;
            }
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(e.getKey()).append(" = ").append(e.getValue().asText());
        }
        return s.toString();
    }
}
