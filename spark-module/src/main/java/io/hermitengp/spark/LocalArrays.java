package io.hermitengp.spark;

import java.util.List;

/** Conversions from the boxed lists Spark rows hold to primitive arrays. */
final class LocalArrays {
    private LocalArrays() {
    }

    static double[] doubles(List<Object> values) {
        double[] a = new double[values.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = ((Number) values.get(k)).doubleValue();
        }
        return a;
    }
}
