package io.hermitengp.backend.opencl;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Arrays the garbage collector never moves, for the buffers a kernel writes.
 *
 * <p>Aparapi keeps each device buffer beside a Java array, and at every launch it looks at where
 * the array lies: when the collector has moved it, Aparapi releases the buffer and makes a new one
 * from the array's contents. Where the host's copy is the device's that is harmless: an array only
 * the host writes, or one the host reads back right after the launch that writes it. Any other
 * array the kernel writes holds on the host whatever was last read back, so a move resets what the
 * device has computed since: Adam's moments, the parameters of a small field, the activations
 * between two passes of a step. A young collection moves every young array, so this happens early
 * in nearly every fit.
 *
 * <p>G1 puts an array of more than half a heap region into regions of its own and does not move
 * it: its young and mixed collections leave such regions out, and its full collection does not
 * compact them, except (from JDK 21) the last one it tries before an {@code OutOfMemoryError}.
 * Arrays from here are that long at least; a kernel uses only their first {@code length} numbers.
 * A small buffer so costs a whole region of heap (1-32 MiB, by heap size) and more than half of
 * one of device memory, and any copy of it moves the whole array ({@code Kernel.get} and
 * {@code put} have no range), so the arrays the host moves every step are not from here. Under any
 * other collector this class refuses, naming the collector: the JVM picks G1 by itself on a
 * machine of 2 or more processors and 1792 MB or more, and {@code -XX:+UseG1GC} picks it anywhere.
 */
final class ImmovableArrays {
    /** The smallest array payload, in bytes, that the running collector never moves. */
    private final long minimumBytes;

    private ImmovableArrays(long minimumBytes) {
        this.minimumBytes = minimumBytes;
    }

    /**
     * Arrays for this JVM: payloads of more than half a G1 region.
     *
     * @throws OpenClUnavailableException under a collector other than G1, or where the region
     *                                    size cannot be read (a runtime without {@code jdk.management})
     */
    static ImmovableArrays forThisJvm() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        if (names.isEmpty() || !names.stream().allMatch(name -> name.startsWith("G1 "))) {
            throw new OpenClUnavailableException("the OpenCL backend needs the G1 garbage collector (-XX:+UseG1GC; "
                    + "the JVM's default on 2 or more processors and 1792 MB or more), which leaves large arrays where "
                    + "they are; this JVM runs " + names
                    + ", which may move the arrays behind the device buffers and so reset what the device computed");
        }
        long region;
        try {
            region = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("G1HeapRegionSize").getValue());
        } catch (LinkageError | RuntimeException e) {
            throw new OpenClUnavailableException("the OpenCL backend sizes its device buffers by the G1 region size, "
                    + "and this Java runtime does not tell it (" + e + "); a runtime with the jdk.management module "
                    + "does", e);
        }
        return new ImmovableArrays(region / 2 + 1);
    }

    /** An array of at least {@code length} doubles that the collector leaves in place. */
    double[] doubles(int length) {
        return new double[length(length, Double.BYTES)];
    }

    /** An array of at least {@code length} floats that the collector leaves in place. */
    float[] floats(int length) {
        return new float[length(length, Float.BYTES)];
    }

    /** An array of at least {@code length} ints that the collector leaves in place. */
    int[] ints(int length) {
        return new int[length(length, Integer.BYTES)];
    }

    /** The length of an array from here that holds {@code length} numbers of {@code bytes} bytes each. */
    int length(int length, int bytes) {
        return (int) Math.max(length, (minimumBytes + bytes - 1) / bytes);
    }
}
