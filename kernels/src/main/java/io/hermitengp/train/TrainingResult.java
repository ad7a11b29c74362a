package io.hermitengp.train;

import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.problem.PaperMetric;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a training run produced.
 *
 * @param parameters  the field's flat parameter buffer ({@link io.hermitengp.field.NeuralField} layout)
 * @param termNames   the loss terms, in the problem's order
 * @param termLosses  each term's unweighted loss at the last step
 * @param termWeights each term's weight at the last step, 0 for a term not yet in the loss there
 *                    ({@code loss_weights.start_steps})
 * @param lossCurve   the weighted total loss of every completed step (a step whose loss is not finite
 *                    does not complete), the first {@link LossCurveBuffer#MAX_STORED_STEPS} at most
 * @param errorCurve  the error measured every {@code eval_every} steps and at the end
 * @param activeLevels the levels that feed the network at the end: the field is evaluated with these
 * @param bytesPerStep mean bytes moved between host and device per training step (0 on the host)
 * @param metrics     the problem's own final measurements ({@link io.hermitengp.problem.Problem#finalMetrics}),
 *                    in report order
 * @param counts      the problem's own final counts, in report order
 * @param average     with a parameter average: which weights the metrics and {@code parameters} are,
 *                    and the average's final and best errors ({@link AverageReport#NONE} without)
 * @param paperMetric the benchmark authors' own metric of the reported weights
 *                    ({@link io.hermitengp.problem.Problem#paperMetric}), when the problem has one
 * @param surface     the reported weights' zero level set the final measurements extracted
 *                    ({@link io.hermitengp.problem.FinalMetrics#surface}), when they extracted one
 */
public record TrainingResult(TrainingStatus status, String message, long steps, double trainSeconds,
                             double msPerStep, double relL2, double gradRelL2, double finalLoss,
                             List<String> termNames, double[] termLosses, double[] termWeights, double[] lossCurve,
                             List<ErrorPoint> errorCurve, double[] parameters, String backend, long seed,
                             int activeLevels, double bytesPerStep,
                             Map<String, Double> metrics, Map<String, Long> counts, AverageReport average,
                             Optional<PaperMetric> paperMetric, Optional<TriangleMesh> surface) {
}
