package io.hermitengp.jobs;

import io.hermitengp.jobs.OptionValues;
import io.hermitengp.jobs.UsageException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a job, checked against the names the job knows. */
final class JobOptions {
    private final String job;
    private final Map<String, String> values = new LinkedHashMap<>();

    JobOptions(String job, String[] args, int from, Set<String> allowed) {
        this.job = job;
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (!allowed.contains(name)) {
                throw new UsageException(job + ": unknown option '" + name + "'; allowed: " + String.join(", ", allowed));
            }
            if (i + 1 >= args.length) {
                throw new UsageException(job + ": " + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    Path path(String name, String defaultValue) {
        String value = values.get(name);
        if (value == null && defaultValue == null) {
            throw new UsageException(job + ": " + name + " is required");
        }
        return Path.of(value != null ? value : defaultValue);
    }

    int integer(String name, int defaultValue, int min) {
        String value = values.get(name);
        return value == null ? defaultValue : (int) OptionValues.integer(job + " " + name, value, min, Integer.MAX_VALUE);
    }
}
