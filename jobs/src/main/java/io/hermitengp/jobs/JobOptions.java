package io.hermitengp.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed command line ({@link CommandSpec#parse}): the operand and the options given. Values
 * are read through the command's spec, so an option not given takes the spec's default, and a
 * bad value is a usage error naming the command and the option.
 */
final class JobOptions {
    private final CommandSpec command;
    private final String operand;
    private final Map<String, String> given;

    JobOptions(CommandSpec command, String operand, Map<String, String> given) {
        this.command = command;
        this.operand = operand;
        this.given = Map.copyOf(given);
    }

    /** The positional argument, or {@code null} for a command without one. */
    String operand() {
        return operand;
    }

    boolean has(String name) {
        command.option(name);
        return given.containsKey(name);
    }

    /** The value given, else the spec's default value, else {@code null}. */
    String string(String name) {
        OptionSpec spec = command.option(name);
        if (!spec.takesValue()) {
            throw new IllegalArgumentException(name + " is a flag: use has()");
        }
        return given.getOrDefault(name, spec.defaultValue());
    }

    /** The value as a local path, or {@code null} when it is neither given nor has a default value. */
    Path path(String name) {
        String value = string(name);
        return value == null ? null : Path.of(value);
    }

    long integer(String name, long min, long max) {
        String value = string(name);
        if (value == null) {
            throw new IllegalStateException(label(name) + " has no default: check has() first");
        }
        return OptionValues.integer(label(name), value, min, max);
    }

    int integer(String name, int min) {
        return (int) integer(name, min, Integer.MAX_VALUE);
    }

    /** A comma-separated list of integers, each at least {@code min}. */
    List<Integer> integers(String name, int min) {
        List<Integer> values = new ArrayList<>();
        for (String part : string(name).split(",")) {
            values.add((int) OptionValues.integer(label(name), part.strip(), min, Integer.MAX_VALUE));
        }
        return values;
    }

    double positiveNumber(String name) {
        return OptionValues.positiveNumber(label(name), string(name));
    }

    /** A number in [0, 1]. */
    double fraction(String name) {
        return OptionValues.fraction(label(name), string(name));
    }

    /** {@code fit --out}: how errors about an option name it. */
    String label(String name) {
        command.option(name);
        return command.name() + " " + name;
    }
}
