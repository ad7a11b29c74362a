package io.hermitengp.fd;

import java.util.Arrays;

/**
 * How the 7-point Laplacian meets the obstacle's surface at an outside node P whose neighbour N
 * along axis a (spacing h) lies inside.
 *
 * <ul>
 *   <li>{@link #STAIRCASE}: N is a boundary node, its value the boundary data at N:
 *       the term {@code (g(x_N) - u_P) / h^2}. The surface is moved to the lattice, an O(h)
 *       error next to it.</li>
 *   <li>{@link #SHORTLEY_WELLER}: the surface is where it is, at {@code x_G = x_P + theta h e_a}
 *       (theta from {@link LatticeObstacle#crossing}): the term {@code (g(x_G) - u_P) / (theta h^2)}.
 *       This is the symmetric form of Shortley-Weller (Gibou, Fedkiw, Cheng and Kang, J. Comput.
 *       Phys. 176, 2002): the flux through the short arm uses the true distance, the flux through
 *       the regular arm keeps its 1/h^2, so the matrix stays symmetric (CG applies). It is the
 *       regular stencil applied to a ghost value at N extrapolated linearly from u_P and g(x_G):
 *       the local truncation error is O(1) at those nodes only, and the solution still converges
 *       at second order (shown by Gibou et al., measured in LaplaceFiniteDifferenceTest). theta is
 *       clamped to at least {@link #MIN_THETA}: a node that close to the surface is pinned to the
 *       boundary value either way.</li>
 * </ul>
 */
public enum BoundaryTreatment {
    STAIRCASE("staircase"),
    SHORTLEY_WELLER("shortley_weller");

    /** Smallest surface distance, in cells, that {@link #SHORTLEY_WELLER} uses (keeps 1/theta finite). */
    public static final double MIN_THETA = 1e-3;

    private final String configName;

    BoundaryTreatment(String configName) {
        this.configName = configName;
    }

    /** The name configs use. */
    public String configName() {
        return configName;
    }

    public static String[] configNames() {
        return Arrays.stream(values()).map(BoundaryTreatment::configName).toArray(String[]::new);
    }

    public static BoundaryTreatment fromConfigName(String name) {
        for (BoundaryTreatment t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown boundary treatment '" + name + "'; allowed: "
                + String.join(", ", configNames()));
    }
}
