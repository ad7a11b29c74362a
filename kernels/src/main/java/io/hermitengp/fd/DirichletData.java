package io.hermitengp.fd;

/** The value a Dirichlet boundary prescribes at a point of it. Must be thread-safe. */
@FunctionalInterface
public interface DirichletData {
    double at(double x, double y, double z);

    /** The same value everywhere. */
    static DirichletData constant(double value) {
        return (x, y, z) -> value;
    }
}
