package io.hermitengp.fit;

import io.hermitengp.config.TrainConfig;
import io.hermitengp.encoding.Encoding;
import io.hermitengp.encoding.HermiteGridLayout;
import io.hermitengp.encoding.HermiteHashEncoding;
import io.hermitengp.encoding.LinearHashEncoding;
import io.hermitengp.field.FieldShape;
import io.hermitengp.field.NeuralField;
import io.hermitengp.network.SirenNetwork;
import io.hermitengp.problem.Problem;

/**
 * The field a config describes for a problem of a given shape: its {@code encoding} section
 * (Hermite-NGP, or instant-NGP's d-linear grid for the INGP-FD baseline) followed by the SIREN of
 * its {@code network} section, sized for the problem's dimensions, outputs and periodic axes.
 * A fit builds its field here, and so does a stored field rebuilt for evaluation, so the two
 * always agree on the parameter layout.
 */
public final class FieldArchitecture {
    private FieldArchitecture() {
    }

    public static NeuralField build(TrainConfig config, FieldShape shape) {
        TrainConfig.Encoding e = config.encoding();
        int dims = shape.domain().dims();
        Encoding encoding;
        if (e.type().equals(TrainConfig.Encoding.INGP_FD)) {
            HermiteGridLayout layout = HermiteGridLayout.valuesOnly(dims, e.features(), e.levelResolutions(),
                    e.log2TableSizes()[0], e.hashEveryLevel());
            encoding = new LinearHashEncoding(layout, shape.domain(), shape.periodicAxes());
        } else {
            HermiteGridLayout layout = new HermiteGridLayout(dims, e.features(), e.levelResolutions(),
                    e.log2TableSizes(), e.hashEveryLevel());
            encoding = new HermiteHashEncoding(layout, shape.domain(), e.coefficients(), shape.periodicAxes());
        }
        TrainConfig.Network n = config.network();
        SirenNetwork network = new SirenNetwork(encoding.layout().outputWidth(), n.hidden(), shape.outputs(),
                n.omega0(), n.omega());
        return new NeuralField(encoding, network);
    }

    /**
     * The parameters a fit starts from: the field initialised by the config's table and bias rules
     * from its training seed.
     */
    public static double[] initialParameters(TrainConfig config, NeuralField field) {
        return field.initialParameters(config.training().seed(), config.encoding().init(),
                config.network().biasInit());
    }

    /** The field a config describes for a problem already built. */
    public static NeuralField forProblem(TrainConfig config, Problem problem) {
        return build(config, new FieldShape(problem.domain(), problem.outputs(), problem.periodicAxes()));
    }

    /** The field of a stored config, without building its problem (a mesh problem's mesh is not read). */
    public static NeuralField of(TrainConfig config) {
        return build(config, config.problem().fieldShape());
    }
}
