package io.hermitengp.problem;

import io.hermitengp.config.ConfigException;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.ProblemConfig;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.shape.NearSurfaceNoise;
import io.hermitengp.shape.SdfProblem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The problem registry: every problem declares its type beside its equations and is found by name. */
class ProblemTypesTest {
    private static final String MESH = "data/meshes/sphere.obj";

    private static String spec(String type) {
        return "{\"problem\": {\"type\": \"" + type + "\""
                + (type.equals("sdf") || type.startsWith("mesh_") ? ", \"mesh\": \"" + MESH + "\"" : "") + "}}";
    }

    @Test
    void everyProblemOfThisBuildIsRegisteredOnce() {
        assertEquals(List.of("helmholtz2d", "helmholtz3d", "convection", "taylor_green", "flow_mixing", "sdf",
                "mesh_poisson", "mesh_exterior_laplace"), List.of(ProblemTypes.names()));
    }

    @Test
    void eachTypeParsesItsDefaultsAndItsResolvedSectionReadsBackTheSame() {
        for (String type : ProblemTypes.names()) {
            TrainConfig config = ConfigReader.readTrainConfig(spec(type), type);
            ProblemConfig problem = config.problem();
            assertEquals(type, problem.type());
            String resolved = config.toJson().toString();
            assertEquals(resolved, ConfigReader.readTrainConfig(resolved, type).toJson().toString(), type);
            assertEquals(problem.type().equals("helmholtz2d") || problem.type().equals("convection") ? 2 : 3,
                    problem.dims(), type);
            assertEquals(problem.fieldShape().domain().dims(), problem.dims(), type);
        }
    }

    @Test
    void aTypeBuildsItsOwnProblemWithItsOwnParameters() {
        ProblemConfig helmholtz = ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"helmholtz3d\", \"a\": 3, \"k\": 2}}", "test").problem();
        HelmholtzProblem built = assertInstanceOf(HelmholtzProblem.class, helmholtz.create());
        assertEquals(3.0, built.a());
        assertEquals(2.0, built.k());
        assertEquals(3, built.dims());
        ProblemConfig sdf = ConfigReader.readTrainConfig(spec("sdf"), "test").problem();
        assertEquals(MESH, assertInstanceOf(SdfProblem.Config.class, sdf).mesh());
    }

    @Test
    void anUnknownTypeIsRejectedNamingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigReader.readTrainConfig(spec("navier_stokes_9d"), "test.json"));
        assertTrue(e.getMessage().contains("navier_stokes_9d"), e.getMessage());
        for (String known : ProblemTypes.names()) {
            assertTrue(e.getMessage().contains(known), e.getMessage() + " should list " + known);
        }
    }

    @Test
    void helmholtzDefaultsToTheUnitBoxAndWritesItBack() {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"helmholtz3d\"}}", "test");
        assertEquals("[0.0,0.0,0.0]", config.toJson().at("/problem/domain/lo").toString());
        assertEquals("[1.0,1.0,1.0]", config.toJson().at("/problem/domain/hi").toString());
        assertEquals(HelmholtzProblem.defaultDomain(3).toString(), config.problem().create().domain().toString());
    }

    @Test
    void taylorGreensSpatialBoundaryParsesAndReadsBack() {
        TrainConfig taylorGreen = ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"taylor_green\", \"spatial_boundary\": \"periodic\"}}", "test");
        assertEquals("periodic", taylorGreen.toJson().at("/problem/spatial_boundary").asText());
        TaylorGreenProblem periodic = assertInstanceOf(TaylorGreenProblem.class, taylorGreen.problem().create());
        assertEquals(TaylorGreenProblem.SpatialBoundary.PERIODIC, periodic.spatialBoundary());
        assertEquals(List.of("residual", "initial"), List.copyOf(taylorGreen.problem().termDefaults().keySet()));
        String resolved = taylorGreen.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
        assertEquals("exact", ConfigReader.readTrainConfig(spec("taylor_green"), "test").toJson()
                .at("/problem/spatial_boundary").asText(), "default: exact values on the spatial faces");
    }

    @Test
    void sdfPaperMetricGridAndTheBenchmarksMarginParseAndReadBack() {
        TrainConfig sdf = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"sdf\", \"mesh\": \"" + MESH
                + "\", \"margin\": 0.14, \"paper_metric_grid\": 64}}", "test");
        SdfProblem.Config sdfConfig = assertInstanceOf(SdfProblem.Config.class, sdf.problem());
        assertEquals(64, sdfConfig.settings().paperMetricGrid());
        assertEquals(0.14, sdfConfig.settings().margin());
        assertEquals(64, sdf.toJson().at("/problem/paper_metric_grid").asInt());
        String resolved = sdf.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
        assertEquals(256, ConfigReader.readTrainConfig(spec("sdf"), "test").toJson().at("/problem/paper_metric_grid")
                .asInt(), "default: the benchmark's 256^3 lattice");
    }

    @Test
    void aPeriodicTaylorGreenNeedsWholePeriodsInXAndY() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"taylor_green\", \"spatial_boundary\": \"periodic\","
                        + " \"domain\": {\"lo\": [0, 0, 0], \"hi\": [3, 6.283185307179586, 1]}}}", "test.json"));
        assertTrue(e.getMessage().contains("problem.spatial_boundary") && e.getMessage().contains("2 pi"),
                e.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"taylor_green\", \"spatial_boundary\": \"soft\"}}", "test.json"));
        assertTrue(unknown.getMessage().contains("exact") && unknown.getMessage().contains("periodic"),
                unknown.getMessage());
    }

    @Test
    void anUnknownKeyOfAProblemSectionIsRejectedAfterItsTypeParsed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"convection\", \"nu\": 1}}", "test.json"));
        assertTrue(e.getMessage().contains("problem.nu"), e.getMessage());
    }

    @Test
    void taylorGreensContinuityWeightParsesReadsBackAndMustBePositive() {
        TrainConfig plain = ConfigReader.readTrainConfig(spec("taylor_green"), "test");
        assertEquals(1.0, plain.toJson().at("/problem/continuity_weight").asDouble(), "default: unscaled");
        TrainConfig weighted = ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"taylor_green\", \"continuity_weight\": 10}}", "test");
        assertEquals(10.0, assertInstanceOf(TaylorGreenProblem.Config.class, weighted.problem()).continuityWeight());
        assertEquals(10.0, ((TaylorGreenProblem) weighted.problem().create(1)).continuityWeight());
        String resolved = weighted.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
        ConfigException zero = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"taylor_green\", \"continuity_weight\": 0}}", "test.json"));
        assertTrue(zero.getMessage().contains("problem.continuity_weight"), zero.getMessage());
    }

    @Test
    void sdfNearNoiseIsGaussianByDefaultOrLogisticWithItsOwnScale() {
        SdfProblem.Config gaussian = assertInstanceOf(SdfProblem.Config.class,
                ConfigReader.readTrainConfig(spec("sdf"), "test").problem());
        assertEquals(NearSurfaceNoise.gaussian(0.02), gaussian.settings().nearNoise());

        TrainConfig logistic = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"sdf\", \"mesh\": \"" + MESH
                + "\", \"near_noise\": \"logistic\", \"near_scale\": 0.05}}", "test");
        assertEquals(NearSurfaceNoise.logistic(0.05),
                assertInstanceOf(SdfProblem.Config.class, logistic.problem()).settings().nearNoise());
        assertEquals("logistic", logistic.toJson().at("/problem/near_noise").asText());
        assertTrue(logistic.toJson().at("/problem/near_sigma").isMissingNode(), "one scale is written, not both");
        String resolved = logistic.toJson().toString();
        assertEquals(resolved, ConfigReader.readTrainConfig(resolved, "resolved").toJson().toString());
        assertEquals(NearSurfaceNoise.logistic(0.04), assertInstanceOf(SdfProblem.Config.class,
                ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"sdf\", \"mesh\": \"" + MESH
                        + "\", \"near_noise\": \"logistic\"}}", "test").problem()).settings().nearNoise(),
                "default: the benchmark's 0.02 of its unit cube, 0.04 of the box [-1, 1]^3");

        // the Gaussian's sigma is not the logistic's scale
        ConfigException mixed = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"sdf\", \"mesh\": \"" + MESH
                        + "\", \"near_noise\": \"logistic\", \"near_sigma\": 0.02}}", "test.json"));
        assertTrue(mixed.getMessage().contains("problem.near_sigma"), mixed.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigReader.readTrainConfig(
                "{\"problem\": {\"type\": \"sdf\", \"mesh\": \"" + MESH + "\", \"near_noise\": \"uniform\"}}",
                "test.json"));
        assertTrue(unknown.getMessage().contains("gaussian") && unknown.getMessage().contains("logistic"),
                unknown.getMessage());
    }
}
