package io.hermitengp.shape;

import io.hermitengp.field.Channels;
import io.hermitengp.geometry.Box;
import io.hermitengp.geometry.ShapeMeshes;
import io.hermitengp.geometry.SurfaceSampler;
import io.hermitengp.geometry.TriangleBvh;
import io.hermitengp.geometry.TriangleMesh;
import io.hermitengp.loss.CollocationBatch;
import io.hermitengp.problem.FieldProbe;
import io.hermitengp.problem.FinalMetrics;
import io.hermitengp.problem.LossTerm;
import io.hermitengp.problem.PaperMetric;
import io.hermitengp.problem.PooledSampler;
import io.hermitengp.problem.ReferenceSamples;
import io.hermitengp.problem.UniformLattice;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDF problem on a tessellated sphere, against the sphere's analytic distance
 * {@code |x - c| - R}: its samples carry exact distances, its residuals vanish on the analytic
 * field up to tessellation error and state their partials right, and its metrics read the
 * analytic field (and a shifted one) as they should.
 */
class SdfProblemTest {
    private static final SdfSettings SMALL = new SdfSettings(0.1, 5, 4000, NearSurfaceNoise.gaussian(0.02), 0.05, 4000,
            48, 33);
    /** The sphere mesh has radius 1; placed with margin 0.1 its radius in the box is 0.8. */
    private static final double R = 0.8;

    private static SdfProblem sphere() {
        return new SdfProblem(new MeshDomain(ShapeMeshes.sphere(1.0, 48, 96), Box.cube(3, -1, 1), 0.1), SMALL);
    }

    /** The analytic sphere distance |x| - r0 and its gradient, as a field probe. */
    private static FieldProbe analytic(double r0) {
        return (points, n, channels, out) -> {
            int c = channels.count();
            for (int p = 0; p < n; p++) {
                double x = points[3 * p], y = points[3 * p + 1], z = points[3 * p + 2];
                double r = Math.sqrt(x * x + y * y + z * z);
                out[p * c] = r - r0;
                if (channels.dims() == 3) {
                    out[p * c + 1] = x / r;
                    out[p * c + 2] = y / r;
                    out[p * c + 3] = z / r;
                }
            }
        };
    }

    @Test
    void samplesCarryTheExactDistanceAndNormal() {
        SdfProblem problem = sphere();
        MeshDomain mesh = problem.mesh();
        CollocationBatch batch = CollocationBatch.sample(problem, new int[]{50, 50, 50, 200, 100}, new SplittableRandom(1));
        double[] expected = new double[4];
        TriangleBvh bvh = new TriangleBvh(mesh.mesh());
        for (int k = 0; k < batch.terms(); k++) {
            String name = problem.terms().get(k).name();
            for (int p = batch.termStart()[k]; p < batch.termStart()[k + 1]; p++) {
                double[] x = Arrays.copyOfRange(batch.points(), 3 * p, 3 * p + 3);
                int a = batch.attributeOffset(k, p);
                switch (name) {
                    case "distance", "gradient" -> {
                        mesh.distance().at(x[0], x[1], x[2], expected);
                        assertArrayEquals(expected, Arrays.copyOfRange(batch.attributes(), a, a + 4), 0.0,
                                "distance attributes moved with their point " + Arrays.toString(x));
                        double r = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
                        assertEquals(r - R, expected[0], 2e-3, "tessellated sphere distance at " + Arrays.toString(x));
                    }
                    case "normal" -> {
                        TriangleBvh.Closest c = bvh.closest(x[0], x[1], x[2]);
                        assertEquals(0.0, c.distance(), 1e-12, "surface point on the mesh");
                        double[] n = SurfaceSampler.unitNormal(mesh.mesh(), c.triangle());
                        double dot = 0;
                        for (int i = 0; i < 3; i++) {
                            dot += n[i] * batch.attributes()[a + i];
                        }
                        assertEquals(1.0, dot, 1e-9, "normal attribute is its triangle's unit normal");
                    }
                    default -> assertEquals(0, batch.attributeWidth()[k], name + " draws plain points");
                }
            }
        }
    }

    @Test
    void analyticSphereFieldSatisfiesEveryTermUpToTessellation() {
        SdfProblem problem = sphere();
        CollocationBatch batch = CollocationBatch.sample(problem, new int[]{100, 100, 100, 400, 200}, new SplittableRandom(2));
        double[] jets = new double[batch.size() * 4];
        analytic(R).evaluate(batch.points(), batch.size(), Channels.valueAndGradient(3), jets);
        double[] r = new double[3];
        double[] drdu = new double[12];
        for (int k = 0; k < batch.terms(); k++) {
            LossTerm term = problem.terms().get(k);
            for (int p = batch.termStart()[k]; p < batch.termStart()[k + 1]; p++) {
                term.residual().evaluate(batch.points(), 3 * p, batch.attributes(), batch.attributeOffset(k, p), jets,
                        4 * p, r, drdu);
                for (int c = 0; c < term.residual().components(); c++) {
                    // chord error of a 48 x 96 sphere: ~R (pi / 48)^2 / 2 in distance, ~pi / 48 in normal
                    double tolerance = term.name().equals("normal") || term.name().equals("gradient") ? 0.07 : term.name().equals("eikonal") ? 1e-12 : 3e-3;
                    assertEquals(0.0, r[c], tolerance, term.name() + " component " + c + " at point " + p);
                }
            }
        }
    }

    @Test
    void residualPartialsMatchCentralDifferences() {
        SdfProblem problem = sphere();
        CollocationBatch batch = CollocationBatch.sample(problem, new int[]{5, 5, 5, 5, 5}, new SplittableRandom(3));
        SplittableRandom random = new SplittableRandom(4);
        double h = 1e-6;
        for (int k = 0; k < batch.terms(); k++) {
            LossTerm term = problem.terms().get(k);
            int components = term.residual().components();
            for (int p = batch.termStart()[k]; p < batch.termStart()[k + 1]; p++) {
                double[] jet = new double[4];
                for (int j = 0; j < 4; j++) {
                    jet[j] = random.nextDouble(-1.5, 1.5);
                }
                double[] r = new double[components];
                double[] drdu = new double[components * 4];
                int a = batch.attributeOffset(k, p);
                term.residual().evaluate(batch.points(), 3 * p, batch.attributes(), a, jet, 0, r, drdu);
                for (int j = 0; j < 4; j++) {
                    double[] up = jet.clone();
                    double[] um = jet.clone();
                    up[j] += h;
                    um[j] -= h;
                    double[] rp = new double[components];
                    double[] rm = new double[components];
                    double[] scratch = new double[components * 4];
                    term.residual().evaluate(batch.points(), 3 * p, batch.attributes(), a, up, 0, rp, scratch);
                    term.residual().evaluate(batch.points(), 3 * p, batch.attributes(), a, um, 0, rm, scratch);
                    for (int c = 0; c < components; c++) {
                        double fd = (rp[c] - rm[c]) / (2 * h);
                        assertEquals(fd, drdu[c * 4 + j], 1e-7 * (1 + Math.abs(fd)),
                                term.name() + ": dr" + c + "/du" + j);
                    }
                }
            }
        }
    }

    @Test
    void metricsOfTheAnalyticFieldAreTessellationSmallAndSeeAShift() {
        SdfProblem problem = sphere();
        SdfMetrics exact = SdfMetrics.measure(problem, analytic(R));
        // near a facet the mesh's distance gradient is the facet normal, up to ~pi/48 = 0.065 off radial
        assertTrue(exact.gradMae() < 0.035, "grad MAE of the analytic field: " + exact.gradMae());
        assertTrue(exact.distMae() < 2e-3, "distance MAE of the analytic field: " + exact.distMae());
        assertTrue(exact.normalAngleDegrees() < 2.5, "normal angle of the analytic field: " + exact.normalAngleDegrees());
        assertTrue(exact.chamfer() < 3e-3, "Chamfer of the analytic field's surface: " + exact.chamfer());
        assertTrue(exact.normalConsistency() > 0.99, "normal consistency: " + exact.normalConsistency());
        assertTrue(exact.bandPoints() > SMALL.evaluationPoints() / 3, "points in the band: " + exact.bandPoints());

        // the same field moved outward by 0.03: distance and surface off by 0.03, gradient unchanged
        SdfMetrics shifted = SdfMetrics.measure(problem, analytic(R + 0.03));
        assertEquals(0.03, shifted.distMae(), 3e-3, "distance MAE of a field shifted by 0.03");
        assertEquals(0.03, shifted.chamfer(), 4e-3, "Chamfer of a surface shifted by 0.03");
        assertEquals(exact.gradMae(), shifted.gradMae(), 1e-12, "a shift leaves the gradient alone");
    }

    @Test
    void aFieldWithoutZeroCrossingReportsNoSurfaceMetricsRatherThanNaN() {
        SdfProblem problem = sphere();
        // |x| + 5 > 0 everywhere in the box: marching cubes finds no surface
        SdfMetrics metrics = SdfMetrics.measure(problem, analytic(-5));
        assertEquals(0, metrics.surfaceTriangles(), "no zero crossing, no triangles");
        FinalMetrics noSurface = problem.finalMetrics(analytic(-5));
        Map<String, Double> report = noSurface.values();
        assertFalse(report.containsKey("chamfer"), "chamfer absent without a surface: " + report);
        assertFalse(report.containsKey("normal_consistency"), "normal consistency absent without a surface: " + report);
        assertEquals(0L, noSurface.counts().get("surface_triangles"));
        assertEquals(5 + R, report.get("dist_mae"), 3e-3, "the distance error is still measured: " + report);
        for (Map.Entry<String, Double> e : report.entrySet()) {
            assertTrue(Double.isFinite(e.getValue()), e.getKey() + " is " + e.getValue());
        }
        // with a surface, both are reported
        FinalMetrics reported = problem.finalMetrics(analytic(R));
        Map<String, Double> withSurface = reported.values();
        assertTrue(withSurface.containsKey("chamfer") && withSurface.containsKey("normal_consistency"),
                "surface metrics present with a surface: " + withSurface);
        assertEquals(List.of("grad_mae", "dist_mae", "normal_angle_deg", "chamfer", "normal_consistency"),
                List.copyOf(withSurface.keySet()), "report order");
        assertEquals(List.of("band_points", "surface_triangles"), List.copyOf(reported.counts().keySet()),
                "counts, as longs");
        assertTrue(reported.counts().get("surface_triangles") > 0);
        // the surface they were measured on comes with them, as a second extraction would give it
        TriangleMesh measuredOn = reported.surface().orElseThrow();
        TriangleMesh again = FieldSurface.extract(analytic(R), problem.domain(), problem.settings().surfaceResolution());
        assertEquals((long) measuredOn.triangleCount(), reported.counts().get("surface_triangles"));
        assertArrayEquals(again.vertices(), measuredOn.vertices());
        assertArrayEquals(again.triangles(), measuredOn.triangles());
    }

    @Test
    void referenceSamplesHoldTheExactDistanceAndRepeatWithTheSeed() {
        ReferenceSamples a = sphere().referenceSamples().orElseThrow();
        ReferenceSamples b = sphere().referenceSamples().orElseThrow();
        assertArrayEquals(a.points(), b.points(), 0.0, "same seed, same evaluation points");
        assertArrayEquals(a.exact(), b.exact(), 0.0);
        double[] expected = new double[4];
        SdfProblem problem = sphere();
        for (int p = 0; p < a.count(); p += 97) {
            problem.exact(a.points(), 3 * p, expected);
            assertArrayEquals(expected, Arrays.copyOfRange(a.exact(), 4 * p, 4 * p + 4), 0.0);
        }
        SdfProblem other = new SdfProblem(problem.mesh(), new SdfSettings(0.1, 6, 4000, NearSurfaceNoise.gaussian(0.02),
                0.05, 4000, 48, 33));
        assertTrue(!Arrays.equals(a.points(), other.referenceSamples().orElseThrow().points()),
                "another seed draws other points");
    }

    /** The mesh's exact distance gradient plus a per-point offset on every component, as a field probe. */
    private static FieldProbe exactGradientPlus(SdfProblem problem, DoubleUnaryOperator offsetOfDistance) {
        return (points, n, channels, out) -> {
            int c = channels.count();
            double[] exact = new double[4];
            for (int p = 0; p < n; p++) {
                problem.exact(points, 3 * p, exact);
                double offset = offsetOfDistance.applyAsDouble(exact[0]);
                out[p * c] = exact[0];
                for (int i = 0; i < 3; i++) {
                    out[p * c + 1 + i] = exact[1 + i] + (i == 1 ? -offset : offset);
                }
            }
        };
    }

    @Test
    void paperMetricIsZeroOnTheExactGradientAndTheMeanComponentErrorOffIt() {
        SdfProblem problem = sphere();
        PaperMetric exact = problem.paperMetric(exactGradientPlus(problem, d -> 0)).orElseThrow();
        assertEquals("grad_mae_band0.01", exact.name());
        assertEquals(0.0, exact.value(), 0.0, "the exact distance gradient");
        // every component off by 0.2 in absolute value: the mean over points and components is 0.2
        assertEquals(0.2, problem.paperMetric(exactGradientPlus(problem, d -> 0.2)).orElseThrow().value(), 1e-12);
    }

    @Test
    void paperMetricCountsTheLatticePointsWithinTheBandScaledToTheBox() {
        SdfProblem problem = sphere();
        // the benchmark's band |d| < 0.01 in the unit cube is |d| < 0.02 in the box [-1, 1]^3:
        // error 0.3 within 0.01, 0.6 between 0.01 and 0.02, 5 beyond, which must not count
        FieldProbe field = exactGradientPlus(problem, d -> Math.abs(d) < 0.01 ? 0.3 : Math.abs(d) < 0.02 ? 0.6 : 5.0);
        int n = SMALL.paperMetricGrid();
        UniformLattice lattice = UniformLattice.over(Box.cube(3, -1, 1), n, n, n);
        double[] point = new double[3];
        double[] exact = new double[4];
        long inner = 0;
        long outer = 0;
        for (long k = 0; k < lattice.size(); k++) {
            lattice.point(k, point, 0);
            problem.exact(point, 0, exact);
            inner += Math.abs(exact[0]) < 0.01 ? 1 : 0;
            outer += Math.abs(exact[0]) >= 0.01 && Math.abs(exact[0]) < 0.02 ? 1 : 0;
        }
        assertTrue(inner > 0 && outer > 0, "both shells hold lattice points: " + inner + ", " + outer);
        assertEquals((0.3 * inner + 0.6 * outer) / (inner + outer), problem.paperMetric(field).orElseThrow().value(),
                1e-12);
    }

    @Test
    void paperMetricIsAbsentWhenNoLatticePointLiesInTheBand() {
        // a 2^3 lattice is the box's corners, sqrt(3) - 0.8 from the sphere
        SdfProblem corners = new SdfProblem(sphere().mesh(), new SdfSettings(0.1, 5, 4000,
                NearSurfaceNoise.gaussian(0.02), 0.05, 4000, 48, 2));
        assertTrue(corners.paperMetric(exactGradientPlus(corners, d -> 0)).isEmpty());
    }

    @Test
    void pooledSamplerDrawsOnlyPoolPointsWithTheirAttributes() {
        double[] points = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        double[] attributes = {10, 11, 12};
        PooledSampler pool = new PooledSampler(3, points, attributes, 1);
        double[] out = new double[30];
        double[] outAttributes = new double[10];
        pool.sample(new SplittableRandom(7), 10, out, 0, outAttributes, 0);
        for (int k = 0; k < 10; k++) {
            assertEquals(out[3 * k] + 10, outAttributes[k], 0.0, "attribute of draw " + k);
            assertEquals(out[3 * k], out[3 * k + 2], 0.0);
        }
    }
}
