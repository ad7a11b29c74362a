package io.hermitengp.jobs.bench;

import io.hermitengp.config.TrainConfig;

/**
 * One row of a benchmark suite: a resolved config with its budget already applied, the variant
 * it stands for, and the paper's value for the row (NaN when the paper has none).
 */
public record BenchCase(String name, String variant, TrainConfig config, double paperRelL2) {
}
