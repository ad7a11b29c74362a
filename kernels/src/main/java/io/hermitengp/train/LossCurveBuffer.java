package io.hermitengp.train;

import java.util.Arrays;

/**
 * The per-step loss curve of a run, stored as it grows: a double array that starts at
 * {@link #INITIAL_CAPACITY} (or the limit, if smaller) and doubles when full, never beyond the
 * limit. Memory follows the steps actually taken, not the step budget, so a time-bounded run with
 * a budget of 10^8 steps holds a few kilobytes of curve after a few steps.
 *
 * <p>Only the first {@code limit} values are stored: {@link #add} past the limit keeps nothing
 * and returns false, and {@link #toArray} holds the first {@code limit} steps' values. With
 * {@link #MAX_STORED_STEPS} that is 2^24 steps, 128 MB at most.
 */
public final class LossCurveBuffer {
    /** The most steps whose loss a run stores, 2^24 (128 MB of doubles). */
    public static final int MAX_STORED_STEPS = 1 << 24;
    /** The capacity of a new buffer (unless the limit is smaller). */
    public static final int INITIAL_CAPACITY = 1024;

    private final int limit;
    private double[] values;   // (capacity): values[0 .. size) hold the curve
    private int size;

    /** @param limit the most values stored; further ones are dropped */
    public LossCurveBuffer(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        this.limit = limit;
        this.values = new double[Math.min(limit, INITIAL_CAPACITY)];
    }

    /**
     * Appends a value, doubling the capacity (up to the limit) when full.
     *
     * @return whether it was stored (false once {@code limit} values are held)
     */
    public boolean add(double value) {
        if (size == limit) {
            return false;
        }
        if (size == values.length) {
            // doubling in long arithmetic: 2 * capacity may exceed Integer.MAX_VALUE near a large limit
            values = Arrays.copyOf(values, (int) Math.min(limit, 2L * values.length));
        }
        values[size++] = value;
        return true;
    }

    /** Number of values stored. */
    public int size() {
        return size;
    }

    /** Length of the array behind the buffer: what it holds in memory now. */
    public int capacity() {
        return values.length;
    }

    public int limit() {
        return limit;
    }

    /** The stored values, in the order added: a copy of length {@link #size()}. */
    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
