package io.hermitengp.encoding;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HermiteEncodingMathBasisTest {
    private static final double H = 1e-5;

    @Test
    void derivativesMatchCentralDifferences() {
        for (int kind = 0; kind < 2; kind++) {
            for (int corner = 0; corner < 2; corner++) {
                for (double t = 0.05; t < 1; t += 0.1) {
                    double fd1 = (HermiteEncodingMath.value(kind, corner, t + H) - HermiteEncodingMath.value(kind, corner, t - H)) / (2 * H);
                    double fd2 = (HermiteEncodingMath.firstDerivative(kind, corner, t + H)
                            - HermiteEncodingMath.firstDerivative(kind, corner, t - H)) / (2 * H);
                    String what = "kind " + kind + " corner " + corner + " t " + t;
                    assertEquals(fd1, HermiteEncodingMath.firstDerivative(kind, corner, t), 1e-8, "d/dt " + what);
                    assertEquals(fd2, HermiteEncodingMath.secondDerivative(kind, corner, t), 1e-8, "d2/dt2 " + what);
                }
            }
        }
    }

    @Test
    void interpolationConditionsAtTheCorners() {
        for (int corner = 0; corner < 2; corner++) {
            for (int at = 0; at < 2; at++) {
                double expected = corner == at ? 1 : 0;
                assertEquals(expected, HermiteEncodingMath.value(HermiteEncodingMath.VALUE, corner, at), 0, "W" + corner + "(" + at + ")");
                assertEquals(0, HermiteEncodingMath.firstDerivative(HermiteEncodingMath.VALUE, corner, at), 0, "W" + corner + "'(" + at + ")");
                assertEquals(0, HermiteEncodingMath.value(HermiteEncodingMath.SLOPE, corner, at), 0, "S" + corner + "(" + at + ")");
                assertEquals(expected, HermiteEncodingMath.firstDerivative(HermiteEncodingMath.SLOPE, corner, at), 0,
                        "S" + corner + "'(" + at + ")");
            }
        }
    }
}
