package io.hermitengp.train;

import io.hermitengp.backend.TrainingBackend;
import io.hermitengp.config.TrainConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run carries from one step to the next outside the backend (which holds the
 * parameters and Adam's moments): the step counts, the loss weights, the parameter average and
 * best snapshot, the curves and the clocks. A {@link Checkpoint} saves and restores exactly this
 * plus the backend's state, which is why a resumed run repeats the uninterrupted one bit for bit
 * (the batches follow from the seed and the step).
 */
final class TrainingState {
    long iteration;                 // optimizer steps taken, warm-up included
    long[] levelSteps;              // per level: Adam updates received (two-group optimizer)
    long networkSteps;
    double[] weights;               // loss weights, per term
    double[] termLosses;
    boolean averaging;              // an EMA runs (the backend holds it)
    double[] best;                  // the best average snapshot, or null
    double bestRelL2 = Double.POSITIVE_INFINITY;
    double bestGradRelL2 = Double.NaN;
    long bestStep = -1;
    double finalAverageRelL2 = Double.NaN;
    double finalRawRelL2 = Double.NaN;
    List<ErrorPoint> errorCurve = new ArrayList<>();
    LossCurveBuffer lossCurve = new LossCurveBuffer(LossCurveBuffer.MAX_STORED_STEPS);
    long trainNanos;
    long stepBytes;
    double lastLoss = Double.NaN;
    double lastRelL2 = Double.NaN;

    /** A fresh run: the backend loaded with the initial parameters, the average started at them. */
    static TrainingState start(double[] initialParameters, int levels, TrainConfig.LossWeights lossWeights,
                               List<String> termNames, TrainConfig.Ema ema, TrainingBackend backend) {
        backend.setParameters(initialParameters);
        TrainingState s = new TrainingState();
        s.levelSteps = new long[levels];
        s.weights = termNames.stream().mapToDouble(name -> lossWeights.weights().get(name)).toArray();
        s.termLosses = new double[termNames.size()];
        if (ema.enabled()) {
            backend.startAverage(ema.decay(), initialParameters);
            s.averaging = true;
        }
        return s;
    }
}
