package io.hermitengp.backend.cpu;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.problem.ConvectionProblem;
import io.hermitengp.problem.HelmholtzProblem;
import io.hermitengp.problem.StandardResidual;
import io.hermitengp.problem.TaylorGreenProblem;
import io.hermitengp.problem.Residual;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TermChannelsTest {

    @Test
    void helmholtzBoundaryCarriesTheValueAloneAndItsResidualEverything() {
        HelmholtzProblem helmholtz = new HelmholtzProblem(Box.cube(3, 0, 1), 2, 1);
        Channels channels = helmholtz.channels();
        assertEquals(channels, TermChannels.needed(helmholtz.terms().get(0).residual(), channels, 1), "residual");
        assertEquals(Channels.valueOnly(), TermChannels.needed(helmholtz.terms().get(1).residual(), channels, 1),
                "boundary");
    }

    @Test
    void aTransportResidualCarriesTheGradientButNoLaplacian() {
        ConvectionProblem convection = new ConvectionProblem(3.0, ConvectionProblem.standardDomain());
        assertEquals(Channels.valueAndGradient(2),
                TermChannels.needed(convection.terms().get(0).residual(), convection.channels(), 1));
        assertEquals(Channels.valueOnly(),
                TermChannels.needed(convection.terms().get(1).residual(), convection.channels(), 1));
    }

    @Test
    void oneGradientOrTheLaplacianBringsTheirPrerequisites() {
        Channels problem = new Channels(3, 5);   // value, 3 gradients, Laplacian over x and z
        double[] secondGradient = new double[problem.count() * 2];
        secondGradient[Channels.gradient(1) * 2 + 1] = 0.5;   // the second output's d/dy
        assertEquals(Channels.valueAndGradient(3),
                TermChannels.needed(StandardResidual.linear(secondGradient, (x, o) -> 0.0), problem, 2));
        double[] laplacianOnly = new double[problem.count() * 2];
        laplacianOnly[problem.laplacian() * 2] = 1.0;
        assertEquals(problem, TermChannels.needed(StandardResidual.linear(laplacianOnly, (x, o) -> 0.0), problem, 2),
                "the Laplacian channel reads the gradients");
    }

    @Test
    void aResidualThatDoesNotStateItsPartialsGetsEveryChannel() {
        Channels problem = Channels.withFullLaplacian(2);
        Residual valueLooking = (x, xo, attributes, ao, u, uo, r, drdu) -> {
            r[0] = u[uo];
            drdu[0] = 1;
        };
        assertEquals(problem, TermChannels.needed(valueLooking, problem, 1));
    }

    @Test
    void valueTargetsOfSeveralOutputsCarryTheValueAndAnEikonalTheGradient() {
        TaylorGreenProblem taylorGreen = new TaylorGreenProblem(0.01, TaylorGreenProblem.standardDomain());
        Channels channels = taylorGreen.channels();
        assertEquals(channels, TermChannels.needed(taylorGreen.terms().get(0).residual(), channels, 3), "momentum");
        assertEquals(Channels.valueOnly(), TermChannels.needed(taylorGreen.terms().get(1).residual(), channels, 3),
                "initial values of (u, v, p)");
        Channels withLaplacian = Channels.withFullLaplacian(3);
        assertEquals(Channels.valueAndGradient(3),
                TermChannels.needed(StandardResidual.eikonal(withLaplacian, 1), withLaplacian, 1), "eikonal");
    }
}
