package io.hermitengp.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossCurveBufferTest {

    @Test
    void startsSmallWhateverTheLimitAndDoublesWhenFull() {
        LossCurveBuffer buffer = new LossCurveBuffer(Integer.MAX_VALUE);
        assertEquals(LossCurveBuffer.INITIAL_CAPACITY, buffer.capacity(), "capacity before any value");
        int n = 5 * LossCurveBuffer.INITIAL_CAPACITY + 3;
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = 0.5 * i - 7;
            assertTrue(buffer.add(expected[i]), "value " + i + " is below the limit");
            int size = i + 1;
            // the smallest doubling of the initial capacity that holds every value so far
            int capacity = LossCurveBuffer.INITIAL_CAPACITY;
            while (capacity < size) {
                capacity *= 2;
            }
            assertEquals(capacity, buffer.capacity(), "capacity after " + size + " values");
        }
        assertEquals(n, buffer.size());
        assertArrayEquals(expected, buffer.toArray(), 0.0, "values in the order added");
    }

    @Test
    void keepsTheFirstLimitValuesAndDropsTheRest() {
        int limit = 3 * LossCurveBuffer.INITIAL_CAPACITY / 2;   // not a doubling of the initial capacity
        LossCurveBuffer buffer = new LossCurveBuffer(limit);
        double[] expected = new double[limit];
        for (int i = 0; i < limit; i++) {
            expected[i] = i;
            assertTrue(buffer.add(i));
        }
        assertEquals(limit, buffer.capacity(), "growth stops at the limit");
        assertFalse(buffer.add(-1.0), "a value past the limit is not stored");
        assertFalse(buffer.add(-2.0));
        assertEquals(limit, buffer.size());
        assertEquals(limit, buffer.capacity());
        assertArrayEquals(expected, buffer.toArray(), 0.0, "the first limit values, nothing after");
    }

    @Test
    void smallLimitsAndNonFiniteValues() {
        LossCurveBuffer empty = new LossCurveBuffer(0);
        assertEquals(0, empty.capacity());
        assertFalse(empty.add(1.0));
        assertArrayEquals(new double[0], empty.toArray());

        LossCurveBuffer two = new LossCurveBuffer(2);
        assertEquals(2, two.capacity(), "a limit below the initial capacity is the capacity");
        assertTrue(two.add(Double.NaN));
        assertTrue(two.add(Double.POSITIVE_INFINITY));
        assertFalse(two.add(3.0));
        assertArrayEquals(new double[]{Double.NaN, Double.POSITIVE_INFINITY}, two.toArray(), 0.0);

        assertThrows(IllegalArgumentException.class, () -> new LossCurveBuffer(-1));
    }

    @Test
    void toArrayIsACopy() {
        LossCurveBuffer buffer = new LossCurveBuffer(10);
        buffer.add(1.0);
        double[] first = buffer.toArray();
        first[0] = 99;
        assertEquals(1.0, buffer.toArray()[0], 0.0, "changing a returned array must not change the buffer");
    }
}
