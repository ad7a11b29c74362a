package io.hermitengp.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark suite file:
 *
 * <pre>
 * {"name": "quick",
 *  "cases": [{"name": "helmholtz2d-a10", "variant": "Hermite-NGP",
 *             "config": "../configs/helmholtz2d-a10.json" | { ...inline config... },
 *             "overrides": { ...deep-merged into the config... },
 *             "budget": {"steps": 2000, "seconds": 600},
 *             "paper": 1.81e-5}, ...]}
 * </pre>
 *
 * A config path is relative to the suite file. The budget replaces {@code training.steps} and
 * {@code training.max_seconds} (a case stops at whichever comes first). Read as strictly as
 * configs: unknown keys, duplicate case names and bad budgets are errors naming the case.
 */
public record BenchSuite(String name, List<BenchCase> cases) {

    /** The suite restricted to the named cases, in suite order; an unknown name is an error listing the cases. */
    public BenchSuite only(java.util.Set<String> names) {
        List<BenchCase> kept = cases.stream().filter(c -> names.contains(c.name())).toList();
        Set<String> known = new HashSet<>();
        cases.forEach(c -> known.add(c.name()));
        for (String n : names) {
            if (!known.contains(n)) {
                throw new ConfigException("suite " + name + " has no case '" + n + "'; cases: "
                        + String.join(", ", cases.stream().map(BenchCase::name).toList()));
            }
        }
        return new BenchSuite(name, kept);
    }

    public static BenchSuite read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read suite " + file + ": " + e.getMessage(), e);
        }
        JsonNode tree = ConfigReader.parseTree(json, file.toString());
        try {
            return parse(tree, file.toAbsolutePath().getParent());
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    static BenchSuite parse(JsonNode tree, Path baseDirectory) {
        ConfigObject root = ConfigObject.root(tree);
        String name = root.choiceFree("name");
        if (!tree.has("cases") || !tree.get("cases").isArray() || tree.get("cases").isEmpty()) {
            throw new ConfigException("cases must be a non-empty array");
        }
        root.take("cases");
        root.finish();
        List<BenchCase> cases = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode caseNode : tree.get("cases")) {
            String where = "cases[" + index++ + "]";
            if (!caseNode.isObject()) {
                throw new ConfigException(where + " must be an object");
            }
            ConfigObject c = ConfigObject.root(caseNode);
            String caseName = c.choiceFree("name");
            if (caseName.isEmpty()) {
                throw new ConfigException(where + ".name is required");
            }
            if (!names.add(caseName)) {
                throw new ConfigException(where + ": duplicate case name '" + caseName + "'");
            }
            String variant = c.has("variant") ? c.choiceFree("variant") : "Hermite-NGP";
            try {
                ObjectNode config = configOf(caseNode.get("config"), baseDirectory);
                c.take("config");
                if (caseNode.has("overrides")) {
                    if (!caseNode.get("overrides").isObject()) {
                        throw new ConfigException("overrides must be an object");
                    }
                    merge(config, (ObjectNode) caseNode.get("overrides"));
                }
                c.take("overrides");
                ConfigObject budget = c.object("budget");
                long steps = budget.integer("steps", 1_000_000_000L, 1, Long.MAX_VALUE / 2);
                double seconds = budget.number("seconds", 0.0, 0.0, false, 1e7);
                budget.finish();
                if (!caseNode.has("budget")) {
                    throw new ConfigException("budget is required ({\"steps\": N} and/or {\"seconds\": S})");
                }
                double paper = c.number("paper", Double.NaN, 0.0, false, 1e9);
                c.finish();
                TrainConfig parsed = TrainConfig.parse(config);
                TrainConfig.Training t = parsed.training().withSteps(steps).withMaxSeconds(seconds);
                cases.add(new BenchCase(caseName, variant, parsed.withTraining(t), paper));
            } catch (ConfigException e) {
                throw new ConfigException("case '" + caseName + "': " + e.getMessage(), e);
            }
        }
        return new BenchSuite(name.isEmpty() ? "suite" : name, cases);
    }

    private static ObjectNode configOf(JsonNode node, Path baseDirectory) {
        if (node == null) {
            throw new ConfigException("config is required (a path or an object)");
        }
        if (node.isTextual()) {
            Path path = baseDirectory.resolve(node.asText());
            try {
                JsonNode tree = ConfigReader.parseTree(Files.readString(path), path.toString());
                if (!tree.isObject()) {
                    throw new ConfigException(path + " must hold a JSON object");
                }
                return (ObjectNode) tree;
            } catch (IOException e) {
                throw new ConfigException("cannot read config " + path + ": " + e.getMessage(), e);
            }
        }
        if (!node.isObject()) {
            throw new ConfigException("config must be a path or an object");
        }
        return ((ObjectNode) node).deepCopy();
    }

    /** Deep merge: objects merge key by key, anything else replaces. */
    static void merge(ObjectNode target, ObjectNode overrides) {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode overrideObject) {
                merge(existingObject, overrideObject);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
