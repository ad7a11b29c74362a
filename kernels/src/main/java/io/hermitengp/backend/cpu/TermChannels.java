package io.hermitengp.backend.cpu;

import io.hermitengp.field.Channels;
import io.hermitengp.problem.LinearResidual;
import io.hermitengp.problem.Residual;

/**
 * The channels a loss term's residual reads, so that the tiled path carries no others through the
 * encoding and the network: a boundary value {@code u - g} needs the value alone, a Neumann or
 * normal condition the value and gradient, an interior residual all of the problem's channels.
 *
 * <p>Only a {@link LinearResidual} says what it reads: its partials are its constant coefficients,
 * so a channel whose coefficients are all zero neither changes r nor receives a seed (its seed
 * {@code s_k r a_j} is exactly zero), and leaving it out changes nothing. Any other residual gets
 * every channel of the problem. The choice is rounded up to one of the sets the network can carry:
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
        if (!(residual instanceof LinearResidual linear)) {
            return problemChannels;
        }
        double[] coefficients = linear.coefficients();   // (C, outputs)
        if (problemChannels.hasLaplacian() && reads(coefficients, problemChannels.laplacian(), outputs)) {
            return problemChannels;
        }
        for (int axis = 0; axis < problemChannels.dims(); axis++) {
            if (reads(coefficients, Channels.gradient(axis), outputs)) {
                return Channels.valueAndGradient(problemChannels.dims());
            }
        }
        return Channels.valueOnly();
    }

    private static boolean reads(double[] coefficients, int channel, int outputs) {
        for (int j = 0; j < outputs; j++) {
            if (coefficients[channel * outputs + j] != 0.0) {
                return true;
            }
        }
        return false;
    }
}
