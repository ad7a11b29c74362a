package io.hermitengp.jobs;

/**
 * One option of a command, as its parser checks it and its help lists it.
 *
 * @param name         {@code --name}
 * @param placeholder  what the value stands for in help ({@code FILE}, {@code N}); {@code null} for a flag,
 *                     which takes no value
 * @param defaultValue the value taken when the option is not given, or {@code null} when there is none to
 *                     take (the option is required, or what it defaults to is worked out by the command)
 * @param defaultText  what help says about the default: the default value itself, how the command works it
 *                     out ({@code <out>/fields}), or {@code null} for a required option
 * @param help         one line: what the option does
 */
record OptionSpec(String name, String placeholder, String defaultValue, String defaultText, String help) {

    OptionSpec {
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("an option's name starts with --: " + name);
        }
        if (defaultValue != null && !defaultValue.equals(defaultText)) {
            throw new IllegalArgumentException(name + ": help must show the default value " + defaultValue);
        }
    }

    /** An option whose value, when it is not given, is {@code defaultValue}. */
    static OptionSpec withDefault(String name, String placeholder, String defaultValue, String help) {
        return new OptionSpec(name, placeholder, defaultValue, defaultValue, help);
    }

    /** An option without a default value: when it is not given, the command does what {@code defaultText} says. */
    static OptionSpec optional(String name, String placeholder, String defaultText, String help) {
        return new OptionSpec(name, placeholder, null, defaultText, help);
    }

    /** An option that must be given. */
    static OptionSpec required(String name, String placeholder, String help) {
        return new OptionSpec(name, placeholder, null, null, help);
    }

    /** An option without a value: given or not. */
    static OptionSpec flag(String name, String help) {
        return new OptionSpec(name, null, null, "off", help);
    }

    boolean takesValue() {
        return placeholder != null;
    }

    boolean isRequired() {
        return defaultText == null;
    }

    /** {@code --name PLACEHOLDER}, or {@code --name} for a flag. */
    String usage() {
        return takesValue() ? name + " " + placeholder : name;
    }
}
