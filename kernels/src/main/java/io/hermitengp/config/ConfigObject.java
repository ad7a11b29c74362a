package io.hermitengp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict view of one JSON object of a config. Every read names the key it reads; values are
 * checked against their allowed range and {@link #finish()} rejects any key nobody read, listing
 * the allowed ones. Error messages carry the dotted path from the root ({@code training.optimizer.lr_tables}).
 */
public final class ConfigObject {
    private final ObjectNode node;
    private final String path;
    private final Set<String> allowed = new LinkedHashSet<>();

    private ConfigObject(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The root object of a config document. */
    public static ConfigObject root(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ConfigException("a config must be a JSON object");
        }
        return new ConfigObject((ObjectNode) node, "");
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public String path() {
        return path;
    }

    /** Marks a key as read (for values parsed elsewhere) and returns it, or null. */
    public JsonNode take(String name) {
        allowed.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public boolean has(String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    /** A nested object; an absent key reads as an empty object (every default applies). */
    public ConfigObject object(String name) {
        JsonNode value = take(name);
        if (value == null) {
            return new ConfigObject(node.objectNode(), key(name));
        }
        if (!value.isObject()) {
            throw new ConfigException(key(name) + " must be an object, got " + value.getNodeType().name().toLowerCase());
        }
        return new ConfigObject((ObjectNode) value, key(name));
    }

    /** A required string among the allowed choices. */
    public String choice(String name, String defaultValue, String... choices) {
        JsonNode value = take(name);
        String s;
        if (value == null) {
            if (defaultValue == null) {
                throw new ConfigException(key(name) + " is required; allowed: " + String.join(", ", choices));
            }
            s = defaultValue;
        } else if (!value.isTextual()) {
            throw new ConfigException(key(name) + " must be a string, one of: " + String.join(", ", choices));
        } else {
            s = value.asText();
        }
        for (String c : choices) {
            if (c.equals(s)) {
                return s;
            }
        }
        throw new ConfigException(key(name) + " is '" + s + "'; allowed: " + String.join(", ", choices));
    }

    /** Any string (its meaning is checked by whoever uses it). */
    public String choiceFree(String name) {
        JsonNode value = take(name);
        if (value == null) {
            return "";
        }
        if (!value.isTextual()) {
            throw new ConfigException(key(name) + " must be a string or an integer, got " + value);
        }
        return value.asText();
    }

    public boolean bool(String name, boolean defaultValue) {
        JsonNode value = take(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new ConfigException(key(name) + " must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    /**
     * An integer in {@code [min, max]}. Only a JSON number whose value is exactly an integer in
     * that range is accepted: {@code 3} and {@code 3.0} are 3; {@code 2.5}, {@code 1e30} and
     * integers beyond 64 bits are errors naming the key and the range, never wrapped or rounded.
     */
    public long integer(String name, long defaultValue, long min, long max) {
        JsonNode value = take(name);
        if (value == null) {
            return defaultValue;
        }
        return integerValue(value, key(name), min, max);
    }

    /** An integer in {@code [min, max]}, read as {@link #integer} reads it. */
    public int intIn(String name, int defaultValue, int min, int max) {
        return (int) integer(name, defaultValue, min, max);
    }

    private static long integerValue(JsonNode value, String key, long min, long max) {
        String range = "[" + min + ", " + max + "]";
        if (!value.isNumber()) {
            throw new ConfigException(key + " must be an integer in " + range + ", got " + value);
        }
        // the number's exact value: a BigInteger, or the exact binary value of a double
        BigDecimal exact = value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
        BigInteger integral;
        try {
            integral = exact.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            throw new ConfigException(key + " must be an integer in " + range + ", got " + value);
        }
        if (integral.compareTo(BigInteger.valueOf(min)) < 0 || integral.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(key + " must be an integer in " + range + ", got " + value);
        }
        return integral.longValueExact();
    }

    /** A finite number in {@code [min, max]}; {@code minExclusive} excludes min itself. */
    public double number(String name, double defaultValue, double min, boolean minExclusive, double max) {
        JsonNode value = take(name);
        if (value == null) {
            return defaultValue;
        }
        return numberValue(value, key(name), min, minExclusive, max);
    }

    private static double numberValue(JsonNode value, String key, double min, boolean minExclusive, double max) {
        String range = (minExclusive ? "(" : "[") + min + ", " + max + "]";
        if (!value.isNumber()) {
            throw new ConfigException(key + " must be a number in " + range + ", got " + value);
        }
        double v = value.asDouble();
        if (!Double.isFinite(v) || v < min || (minExclusive && v == min) || v > max) {
            throw new ConfigException(key + " must be in " + range + ", got " + v);
        }
        return v;
    }

    /** An array of integers, each in {@code [min, max]}, of a length in {@code [minLength, maxLength]}. */
    public int[] intArray(String name, int[] defaultValue, int minLength, int maxLength, int min, int max) {
        JsonNode value = take(name);
        if (value == null) {
            return defaultValue;
        }
        JsonNode[] items = arrayItems(value, key(name), minLength, maxLength);
        int[] out = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = (int) integerValue(items[i], key(name) + "[" + i + "]", min, max);
        }
        return out;
    }

    /** An array of finite numbers of a length in {@code [minLength, maxLength]}. */
    public double[] numberArray(String name, double[] defaultValue, int minLength, int maxLength) {
        JsonNode value = take(name);
        if (value == null) {
            return defaultValue;
        }
        JsonNode[] items = arrayItems(value, key(name), minLength, maxLength);
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = numberValue(items[i], key(name) + "[" + i + "]", -Double.MAX_VALUE, false, Double.MAX_VALUE);
        }
        return out;
    }

    private static JsonNode[] arrayItems(JsonNode value, String key, int minLength, int maxLength) {
        if (!value.isArray()) {
            throw new ConfigException(key + " must be an array of " + minLength + ".." + maxLength + " items, got " + value);
        }
        if (value.size() < minLength || value.size() > maxLength) {
            throw new ConfigException(key + " must have " + (minLength == maxLength ? String.valueOf(minLength)
                    : minLength + ".." + maxLength) + " items, got " + value.size());
        }
        JsonNode[] items = new JsonNode[value.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = value.get(i);
        }
        return items;
    }

    /** An array of objects, of a length in {@code [minLength, maxLength]}, each read strictly. */
    public List<ConfigObject> objectArray(String name, int minLength, int maxLength) {
        JsonNode value = take(name);
        if (value == null) {
            return List.of();
        }
        JsonNode[] items = arrayItems(value, key(name), minLength, maxLength);
        List<ConfigObject> out = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            if (!items[i].isObject()) {
                throw new ConfigException(key(name) + "[" + i + "] must be an object, got " + items[i]);
            }
            out.add(new ConfigObject((ObjectNode) items[i], key(name) + "[" + i + "]"));
        }
        return out;
    }

    /**
     * An object whose keys are restricted to {@code names} and whose values are numbers in
     * {@code [min, max]}; absent names take their default.
     */
    public Map<String, Double> numberMap(String name, Map<String, Double> defaults, double min, boolean minExclusive,
                                         double max) {
        ConfigObject map = object(name);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : defaults.entrySet()) {
            out.put(e.getKey(), map.number(e.getKey(), e.getValue(), min, minExclusive, max));
        }
        map.finish();
        return out;
    }

    /**
     * An object whose keys are restricted to {@code names} and whose values are integers in
     * {@code [min, max]} (read as {@link #integer} reads them); absent names take their default.
     */
    public Map<String, Long> integerMap(String name, Map<String, Long> defaults, long min, long max) {
        ConfigObject map = object(name);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : defaults.entrySet()) {
            out.put(e.getKey(), map.integer(e.getKey(), e.getValue(), min, max));
        }
        map.finish();
        return out;
    }

    /**
     * An array of distinct strings, each one of {@code choices}, of at most {@code maxLength}
     * items; absent, an empty list.
     */
    public List<String> choiceList(String name, int maxLength, String... choices) {
        JsonNode value = take(name);
        if (value == null) {
            return List.of();
        }
        JsonNode[] items = arrayItems(value, key(name), 0, maxLength);
        List<String> out = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            String item = key(name) + "[" + i + "]";
            if (!items[i].isTextual() || !List.of(choices).contains(items[i].asText())) {
                throw new ConfigException(item + " is " + items[i] + "; allowed: " + String.join(", ", choices));
            }
            if (out.contains(items[i].asText())) {
                throw new ConfigException(item + " repeats '" + items[i].asText() + "'");
            }
            out.add(items[i].asText());
        }
        return List.copyOf(out);
    }

    /** Rejects any key that was never read. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                unknown.add(n);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown key '" + key(unknown.get(0)) + "'; allowed keys"
                    + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", allowed));
        }
    }
}
