package io.hermitengp.shape;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.SurfaceComparison;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.FinalMetrics;
import io.hermitengp.problem.PooledSampler;
import io.hermitengp.problem.ReferenceSamples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How well a field f fits a mesh's signed distance d, in box units (the box is [-1, 1]^3, the
 * mesh's longest side spans {@code 2 (1 - 2 margin)} of it):
 *
 * <ul>
 *   <li>{@code grad_mae}: the mean of {@code |grad f(x) - grad d(x)|} (Euclidean norm) over the
 *       evaluation points x with {@code |d(x)| <= band} (the evaluation set is half near-surface,
 *       half uniform; see {@link SdfSettings});</li>
 *   <li>{@code dist_mae}: the mean of {@code |f(x) - d(x)|} over the same points;</li>
 *   <li>{@code normal_angle_deg}: the mean angle, in degrees, between {@code grad f} and the
 *       triangle normal at points uniform by area on the surface;</li>
 *   <li>{@code chamfer} and {@code normal_consistency}: the {@link SurfaceComparison} of the
 *       surface {@code f = 0} extracted by marching cubes on a {@code surface_resolution}^3 grid
 *       against the mesh.</li>
 * </ul>
 *
 * <p>A metric that could not be measured is NaN in the record and absent from {@link #asMap()}:
 * when f has no zero crossing on the grid, nothing is extracted ({@code surface_triangles} 0) and
 * {@code chamfer} and {@code normal_consistency} are absent; when no evaluation point lies within
 * the band ({@code band_points} 0), {@code grad_mae} and {@code dist_mae} are absent. A report
 * therefore never holds NaN, and an aggregate over many fits counts only the fits that measured
 * the metric.
 */
public record SdfMetrics(double gradMae, double distMae, double normalAngleDegrees, int bandPoints, double chamfer,
                         double normalConsistency, TriangleMesh surface) {

    public static SdfMetrics measure(SdfProblem problem, FieldProbe field) {
        ReferenceSamples reference = problem.referenceSamples().orElseThrow();
        double band = problem.settings().band();
        int n = reference.count();
        Channels channels = Channels.valueAndGradient(3);
        int c = channels.count();
        double[] jet = new double[n * c];
        field.evaluate(reference.points(), n, channels, jet);
        double[] exact = reference.exact();
        BandErrorSums inBand = new BandErrorSums();
        for (int p = 0; p < n; p++) {
            if (Math.abs(exact[4 * p]) <= band) {
                inBand.add(jet, p * c, exact, 4 * p);
            }
        }

        PooledSampler surface = problem.surfaceEvaluation();
        double[] points = surface.points();
        double[] normals = surface.attributes();
        int m = surface.size();
        double[] surfaceJet = new double[m * c];
        field.evaluate(points, m, channels, surfaceJet);
        double angleSum = 0;
        for (int p = 0; p < m; p++) {
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < 3; i++) {
                double g = surfaceJet[p * c + Channels.gradient(i)];
                dot += g * normals[3 * p + i];
                norm += g * g;
            }
            double cosine = norm > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(norm))) : 0;
            angleSum += Math.toDegrees(Math.acos(cosine));
        }

        TriangleMesh extracted = FieldSurface.extract(field, problem.domain(), problem.settings().surfaceResolution());
        double chamfer = Double.NaN;
        double consistency = Double.NaN;
        if (extracted.triangleCount() > 0) {
            SurfaceComparison comparison = SurfaceComparison.of(extracted, problem.mesh().distance().bvh(),
                    problem.settings().evaluationPoints() / 4, problem.settings().seed());
            chamfer = comparison.chamfer();
            consistency = comparison.normalConsistency();
        }
        return new SdfMetrics(inBand.gradientNormMean(), inBand.distanceMean(), m == 0 ? Double.NaN : angleSum / m,
                (int) inBand.points(), chamfer, consistency, extracted);
    }

    /**
     * The metrics under their report names, in report order; a metric that was not measured (see
     * the class comment) is left out rather than reported as NaN.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (bandPoints > 0) {
            m.put("grad_mae", gradMae);
            m.put("dist_mae", distMae);
        }
        putIfMeasured(m, "normal_angle_deg", normalAngleDegrees);
        if (surfaceTriangles() > 0) {
            putIfMeasured(m, "chamfer", chamfer);
            putIfMeasured(m, "normal_consistency", normalConsistency);
        }
        return m;
    }

    /** Triangles of the extracted surface (0 when the field has no zero crossing on the grid). */
    public int surfaceTriangles() {
        return surface.triangleCount();
    }

    /**
     * The measurements ({@link #asMap()}) and the counts they were made on, as a problem reports
     * them, with the extracted surface.
     */
    public FinalMetrics report() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("band_points", (long) bandPoints);
        counts.put("surface_triangles", (long) surfaceTriangles());
        return new FinalMetrics(asMap(), counts, Optional.of(surface));
    }

    private static void putIfMeasured(Map<String, Double> m, String name, double value) {
        if (!Double.isNaN(value)) {
            m.put(name, value);
        }
    }
}
