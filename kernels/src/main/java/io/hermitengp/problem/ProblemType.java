package io.hermitengp.problem;

import io.hermitengp.config.ConfigObject;
import io.hermitengp.config.ProblemConfig;

import java.util.List;

/**
 * A kind of problem that a config names in {@code problem.type}. Each problem declares its own
 * next to its equations: the type names it answers to, and how its {@code problem} section
 * parses into a {@link ProblemConfig} (parameters with their defaults, which builds the problem:
 * its terms, exact solution and metrics). Types are found with {@link java.util.ServiceLoader}
 * from {@code META-INF/services/io.hermitengp.problem.ProblemType}, so a problem added in its
 * own jar is known to configs, the command line and Spark alike ({@link ProblemTypes}).
 * Implementations need a public no-argument constructor.
 */
public interface ProblemType {
    /** The {@code problem.type} names this type parses (a problem posed in several dimensions may have one per dimension). */
    List<String> names();

    /**
     * Parses a {@code problem} section whose {@code type} is {@code name}, every absent key taking
     * its default. The caller checks afterwards that no unknown key is left.
     */
    ProblemConfig parse(String name, ConfigObject section);
}
