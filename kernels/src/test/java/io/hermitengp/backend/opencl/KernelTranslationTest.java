package io.hermitengp.backend.opencl;

import com.aparapi.internal.model.ClassModel;
import com.aparapi.internal.writer.KernelWriter;
import io.hermitengp.config.ConfigReader;
import io.hermitengp.config.TrainConfig;
import io.hermitengp.field.NeuralField;
import io.hermitengp.fit.FieldArchitecture;
import io.hermitengp.network.Precision;
import io.hermitengp.problem.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Translates the training kernel to OpenCL C without any device, so a kernel Aparapi cannot
 * translate fails the build on every machine, not only where OpenCL exists.
 */
class KernelTranslationTest {

    @ParameterizedTest
    @CsvSource({"helmholtz2d", "helmholtz3d"})
    void trainingKernelTranslatesToOpenCl(String type) throws Exception {
        String source = translatedSource(type);
        assertTrue(source.contains("__kernel void run("), "no kernel entry point in:\n" + source);
        assertTrue(source.contains("cl_khr_fp64"), "double precision must be enabled");
        for (String function : new String[]{"HermiteEncodingMath__forwardLevel", "HermiteEncodingMath__backwardCorner",
                "SirenMath__linearForward", "SirenMath__sineBackwardUnit", "SirenMath__weightGradientBlock", "SirenMath__biasGradient",
                "SirenFloatMath__linearForward", "SirenFloatMath__sineForwardUnit", "SirenFloatMath__sineBackwardUnit",
                "SirenFloatMath__linearBackward", "SirenFloatMath__weightGradientBlock", "SirenFloatMath__biasGradient",
                "SirenMath__linearForwardBlock", "SirenMath__linearBackwardBlock", "SirenFloatMath__linearForwardBlock",
                "SirenFloatMath__linearBackwardBlock", "SirenFloatMath__transposeWeight",
                "ResidualMath__linear", "atomic_add"}) {
            assertTrue(source.contains(function), "translated source lacks " + function);
        }
    }

    /** The OpenCL C that Aparapi writes for the training kernel of a small field of this problem type. */
    private static String translatedSource(String type) throws Exception {
        TrainConfig config = ConfigReader.readTrainConfig("{\"problem\": {\"type\": \"" + type + "\"},"
                + "\"encoding\": {\"levels\": 3, \"n_max\": 64}, \"network\": {\"hidden\": [8]}}", "test");
        Problem problem = config.problem().create();
        NeuralField field = FieldArchitecture.forProblem(config, problem);
        HermiteTrainingKernel kernel = OpenClBackend.createKernel(field, problem, 32, Precision.FLOAT64);
        try {
            return KernelWriter.writeToString(ClassModel.createClassModel(HermiteTrainingKernel.class)
                    .getEntrypoint("run", kernel));
        } finally {
            kernel.dispose();
        }
    }

    /**
     * OpenCL C has no implicit declarations, and Aparapi emits no prototypes: a function the
     * translation defines after its first use fails the device build. Aparapi orders definitions by
     * walking the call graph, which gets shallow graphs right (see {@code HermiteEncodingMath});
     * this checks the order on every machine, device or not.
     */
    @ParameterizedTest
    @CsvSource({"helmholtz2d", "helmholtz3d"})
    void everyTranslatedFunctionIsDefinedBeforeItsFirstUse(String type) throws Exception {
        String source = translatedSource(type);
        Matcher definition = Pattern.compile("(?m)^[A-Za-z_][\\w ]*?\\b(\\w+__\\w+)\\(").matcher(source);
        int functions = 0;
        while (definition.find()) {
            String name = definition.group(1);
            int firstUse = source.indexOf(name + "(");
            assertEquals(definition.start(1), firstUse, name + " is used before its definition in:\n" + source);
            functions++;
        }
        assertTrue(functions > 10, "found only " + functions + " translated functions in:\n" + source);
    }
}
