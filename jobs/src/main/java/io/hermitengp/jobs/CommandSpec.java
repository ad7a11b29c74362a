package io.hermitengp.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A command's command line: its name, its positional argument (if any), what it does, its
 * options in the order help lists them, and what its exit statuses mean. The one source of
 * both the parser ({@link #parse}) and the help ({@link #help}).
 *
 * @param name    the command, as typed after {@code hermite-ngp}
 * @param operand the positional argument that comes first ({@code <config.json>}), or {@code null}
 * @param summary one line: what the command does
 * @param options the command's own options; {@link #GLOBAL} ones are accepted by every command
 * @param exits   what the command's exit statuses other than 0, 2 and 4 mean ({@code "3 when ..."}), or ""
 * @param spark   whether the command runs on Spark (and so takes the launcher's {@code --master}, {@code --conf})
 */
record CommandSpec(String name, String operand, String summary, List<OptionSpec> options, String exits,
                   boolean spark) {

    static final String VERBOSE = "--verbose";
    static final String HELP = "--help";
    static final String HELP_SHORT = "-h";

    /** Options every command takes. */
    static final List<OptionSpec> GLOBAL = List.of(
            OptionSpec.flag(VERBOSE, "on an unexpected error, print its stack trace (also before the command name)"),
            OptionSpec.flag(HELP, "print this help and exit (also -h)"));

    /** The exit statuses every command shares. */
    static final List<String> COMMON_EXITS = List.of(
            "0 done",
            "2 a usage or configuration error, or an input or output location that cannot be used "
                    + "(one line: hermite-ngp: <message>)",
            "4 an unexpected error (one line, with its stack trace under --verbose)");

    static final String LAUNCHER_SPARK_OPTIONS = "--master URL (default local[*]) and --conf spark.KEY=VALUE "
            + "(repeatable), before or after the command name";

    CommandSpec {
        options = List.copyOf(options);
        Map<String, OptionSpec> seen = new LinkedHashMap<>();
        for (OptionSpec o : allOptions(options)) {
            if (seen.put(o.name(), o) != null) {
                throw new IllegalArgumentException(name + ": option " + o.name() + " declared twice");
            }
        }
    }

    private static List<OptionSpec> allOptions(List<OptionSpec> own) {
        List<OptionSpec> all = new ArrayList<>(own);
        all.addAll(GLOBAL);
        return all;
    }

    /** The command's options, then the global ones: the order of help and of "allowed:" in errors. */
    List<OptionSpec> allOptions() {
        return allOptions(options);
    }

    OptionSpec option(String optionName) {
        for (OptionSpec o : allOptions()) {
            if (o.name().equals(optionName)) {
                return o;
            }
        }
        throw new IllegalArgumentException(name + " has no option " + optionName);
    }

    /** Whether {@code args} (after the command name) ask for help: {@code --help} or {@code -h} anywhere. */
    static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (a.equals(HELP) || a.equals(HELP_SHORT)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the arguments after the command name: the operand, then {@code --name value} pairs and
     * flags. An unknown option, an option given twice, a missing value (or one that starts with
     * {@code --}, which is the next option, not a value) and a missing required option are usage
     * errors naming the option.
     */
    JobOptions parse(String[] args) {
        int from = 0;
        String operandValue = null;
        if (operand != null) {
            if (args.length == 0 || args[0].startsWith("-")) {
                throw new UsageException(name + ": " + operand + " must come first: " + name + " " + operand
                        + " [options]; hermite-ngp " + name + " --help lists them");
            }
            operandValue = args[0];
            from = 1;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String given = args[i].equals(HELP_SHORT) ? HELP : args[i];
            OptionSpec spec = allOptions().stream().filter(o -> o.name().equals(given)).findFirst()
                    .orElseThrow(() -> new UsageException(name + ": unknown option '" + given + "'; allowed: "
                            + allOptions().stream().map(OptionSpec::name).collect(Collectors.joining(", "))));
            if (values.containsKey(given)) {
                throw new UsageException(name + ": " + given + " is given twice");
            }
            String value = "";
            if (spec.takesValue()) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + ": " + given + " needs a value");
                }
                value = args[++i];
                if (value.startsWith("--")) {
                    throw new UsageException(name + ": " + given + " needs a value (" + spec.placeholder()
                            + "), got the option '" + value + "'");
                }
            }
            values.put(given, value);
        }
        for (OptionSpec o : options) {
            if (o.isRequired() && !values.containsKey(o.name())) {
                throw new UsageException(name + ": " + o.name() + " is required");
            }
        }
        return new JobOptions(this, operandValue, values);
    }

    /** {@code fit --instances FILE [--out DIR] ...}: the command's own options, required ones bare. */
    String synopsis() {
        return String.join(" ", synopsisParts());
    }

    private List<String> synopsisParts() {
        List<String> parts = new ArrayList<>();
        parts.add(name);
        if (operand != null) {
            parts.add(operand);
        }
        for (OptionSpec o : options) {
            parts.add(o.isRequired() ? o.usage() : "[" + o.usage() + "]");
        }
        return parts;
    }

    /** The synopsis after {@code prefix}, broken into lines of at most about 100 columns, continued under the name. */
    String synopsis(String prefix) {
        StringBuilder s = new StringBuilder(prefix);
        String indent = " ".repeat(prefix.length() + name.length() + 1);
        int lineStart = 0;
        for (String part : synopsisParts()) {
            if (s.length() > prefix.length()) {
                if (s.length() - lineStart + 1 + part.length() > 100) {
                    s.append('\n');
                    lineStart = s.length();
                    s.append(indent);
                } else {
                    s.append(' ');
                }
            }
            s.append(part);
        }
        return s.toString();
    }

    /** The command's help: usage, what it does, every option with its default, exit statuses. */
    String help() {
        StringBuilder s = new StringBuilder();
        s.append(synopsis("usage: hermite-ngp ")).append('\n');
        s.append(summary).append('\n');
        s.append("options:\n");
        int width = allOptions().stream().mapToInt(o -> o.usage().length()).max().orElse(0) + 2;
        for (OptionSpec o : allOptions()) {
            s.append("  ").append(pad(o.usage(), width)).append(o.help());
            s.append(o.isRequired() ? " [required]" : " [default: " + o.defaultText() + "]");
            s.append('\n');
        }
        if (spark) {
            s.append("Spark settings: bin/hermite-ngp takes ").append(LAUNCHER_SPARK_OPTIONS)
                    .append("; spark-submit its own\n");
        }
        s.append("exit status:\n");
        List<String> statuses = new ArrayList<>(COMMON_EXITS);
        if (!exits.isEmpty()) {
            statuses.add(exits);
        }
        statuses.stream().sorted().forEach(e -> s.append("  ").append(e).append('\n'));
        return s.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}
