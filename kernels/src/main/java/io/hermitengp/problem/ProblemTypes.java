package io.hermitengp.problem;

import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The problem types this build knows: every {@link ProblemType} on the classpath, by name. Loaded
 * once, with the class loader that loaded this class (on a Spark executor, the one holding the
 * application jar), in the order the service files list them.
 */
public final class ProblemTypes {
    private static final Map<String, ProblemType> BY_NAME = load();

    private ProblemTypes() {
    }

    private static Map<String, ProblemType> load() {
        Map<String, ProblemType> byName = new LinkedHashMap<>();
        for (ProblemType type : ServiceLoader.load(ProblemType.class, ProblemType.class.getClassLoader())) {
            for (String name : type.names()) {
                ProblemType earlier = byName.putIfAbsent(name, type);
                if (earlier != null) {
                    throw new IllegalStateException("problem type '" + name + "' is declared by both "
                            + earlier.getClass().getName() + " and " + type.getClass().getName());
                }
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalStateException("no problem types on the classpath: the kernels jar's "
                    + "META-INF/services/" + ProblemType.class.getName() + " is missing (a shaded jar must keep it)");
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Every known {@code problem.type} name, in declaration order. */
    public static String[] names() {
        return BY_NAME.keySet().toArray(String[]::new);
    }

    /** Parses a config's {@code problem} section with the type it names; unknown keys are errors. */
    public static ProblemConfig parse(ConfigObject section) {
        String name = section.choice("type", null, names());
        ProblemType type = BY_NAME.get(name);
        if (type == null) {
            throw new ConfigException(section.path() + ".type '" + name + "' has no parser");
        }
        ProblemConfig config = type.parse(name, section);
        section.finish();
        return config;
    }
}
