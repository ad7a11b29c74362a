package io.hermitengp.jobs;

/** Values of command-line options, checked; errors name the option and what it needs. */
public final class OptionValues {
    private OptionValues() {
    }

    public static long integer(String option, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs an integer, got '" + value + "'");
        }
        if (v < min) {
            throw new UsageException(option + " must be >= " + min + ", got " + value);
        }
        if (v > max) {
            throw new UsageException(option + " must be <= " + max + ", got " + value);
        }
        return v;
    }

    public static double positiveNumber(String option, String value) {
        double v = number(option, value, "a number");
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new UsageException(option + " must be a positive number, got " + value);
        }
        return v;
    }

    /** A number in [0, 1]. */
    public static double fraction(String option, String value) {
        double v = number(option, value, "a number in [0, 1]");
        if (!(v >= 0 && v <= 1)) {
            throw new UsageException(option + " must be in [0, 1], got " + value);
        }
        return v;
    }

    /** The value as a double; not a number is an error saying what the option needs. */
    private static double number(String option, String value, String needs) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs " + needs + ", got '" + value + "'");
        }
    }
}
