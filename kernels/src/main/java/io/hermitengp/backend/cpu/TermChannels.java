package io.hermitengp.backend.cpu;

import io.hermitengp.field.Channels;
import io.hermitengp.problem.Residual;
import io.hermitengp.problem.ResidualMath;
import io.hermitengp.problem.StandardResidual;

/**
 * The channels a loss term's residual reads, so that the tiled path carries no others through the
 * encoding and the network: a boundary value {@code u - g} needs the value alone, a Neumann or
 * normal condition the value and gradient, an interior residual all of the problem's channels.
 *
 * <p>Two forms of {@link StandardResidual} say what they read. A {@link ResidualMath#LINEAR}
 * residual's partials are its constant coefficients, so a channel whose coefficients are all zero
 * neither changes r nor receives a seed (its seed {@code s_k r a_j} is exactly zero), and leaving
 * it out changes nothing. An {@link ResidualMath#EIKONAL} residual reads the gradient alone. Any
 * other residual gets every channel of the problem. The choice is rounded up to one of the sets the network can carry:
 * the Laplacian channel needs the gradients ({@code a_L} reads {@code z_j}), and the gradients come
 * all together.
 */
public final class TermChannels {
    private TermChannels() {
    }

    /**
     * @param problemChannels the problem's channels, the layout of the residual's jet
     * @param outputs         field outputs: the jet is {@code (C, outputs)}
     * @return value only, value and gradient over the problem's axes, or the problem's channels
     */
    public static Channels needed(Residual residual, Channels problemChannels, int outputs) {
        if (!(residual instanceof StandardResidual standard)) {
            return problemChannels;
        }
        if (standard.kind() == ResidualMath.EIKONAL) {
            return Channels.valueAndGradient(problemChannels.dims());
        }
        if (standard.kind() != ResidualMath.LINEAR) {
            return problemChannels;
        }
        double[] coefficients = standard.constants();   // (components, C, outputs)
        int jetSize = standard.jetSize();
        if (problemChannels.hasLaplacian() && reads(coefficients, problemChannels.laplacian(), outputs, jetSize)) {
            return problemChannels;
        }
        for (int axis = 0; axis < problemChannels.dims(); axis++) {
            if (reads(coefficients, Channels.gradient(axis), outputs, jetSize)) {
                return Channels.valueAndGradient(problemChannels.dims());
            }
        }
        return Channels.valueOnly();
    }

    /** Whether any row of the coefficients {@code (rows, C, outputs)} reads the channel. */
    private static boolean reads(double[] coefficients, int channel, int outputs, int jetSize) {
        for (int row = 0; row < coefficients.length; row += jetSize) {
            for (int j = 0; j < outputs; j++) {
                if (coefficients[row + channel * outputs + j] != 0.0) {
                    return true;
                }
            }
        }
        return false;
    }
}
