package io.hermitengp.fit;

import java.nio.charset.StandardCharsets;

/**
 * The training seed of an instance, from its id and the seed its spec gives (0 when it gives
 * none): FNV-1a over the id's UTF-8 bytes, mixed with the spec seed by SplitMix64. It depends on
 * nothing else, so an instance trains the same whichever partition, executor or attempt runs it.
 */
public final class InstanceSeeds {
    private InstanceSeeds() {
    }

    public static long seedFor(String id, long specSeed) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        long z = hash + 0x9E3779B97F4A7C15L * (specSeed + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
