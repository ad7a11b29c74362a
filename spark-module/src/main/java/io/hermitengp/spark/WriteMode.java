package io.hermitengp.spark;

import java.util.Locale;

/**
 * What a fit does with an output directory that already holds a run.
 *
 * <ul>
 *   <li>{@code error} (the default): refuse, naming the run found;</li>
 *   <li>{@code overwrite}: replace it (its tables, and the extraction made from its fields);</li>
 *   <li>{@code append}: add the new instances' rows; an id already in the run is an error;</li>
 *   <li>{@code resume}: keep the rows of ids already {@code ok} there, fit every other instance of
 *       the list, and replace the rows of those that had failed or diverged.</li>
 * </ul>
 */
public enum WriteMode {
    ERROR, OVERWRITE, APPEND, RESUME;

    public static WriteMode parse(String text) {
        for (WriteMode mode : values()) {
            if (mode.label().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--mode must be error, overwrite, append or resume, got '" + text + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
