package io.hermitengp.train;

/**
 * What a run with a parameter average (EMA) reports: which weights its metrics and stored field
 * are ({@code weights}: {@link #EMA_FINAL} or {@link #EMA_BEST}, or {@link #RAW} without an
 * average) and from which step, with the average's final error, its best error and step among the
 * evaluations, and the raw weights' final error beside them.
 */
public record AverageReport(String weights, long reportedStep, double finalRelL2, double bestRelL2, long bestStep,
                            double rawRelL2) {
    public static final String RAW = "raw";
    public static final String EMA_FINAL = "ema_final";
    public static final String EMA_BEST = "ema_best";
    /** A run without an average: its raw weights are what it reports. */
    public static final AverageReport NONE = new AverageReport(RAW, -1, Double.NaN, Double.NaN, -1, Double.NaN);

    public boolean averaged() {
        return !weights.equals(RAW);
    }
}
