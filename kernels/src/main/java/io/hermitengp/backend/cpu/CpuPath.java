package io.hermitengp.backend.cpu;

import io.hermitengp.network.FloatTileKernels;
import io.hermitengp.network.ScalarFloatTileKernels;
import io.hermitengp.network.ScalarTileKernels;
import io.hermitengp.network.TileKernels;

import java.lang.reflect.InvocationTargetException;

/**
 * Which code computes a training step on the CPU.
 *
 * <ul>
 *   <li>{@link #REFERENCE}: point by point, every channel of every point, the plain loops of
 *       {@link io.hermitengp.network.SirenMath} and {@link io.hermitengp.encoding.HermiteEncodingMath}
 *       with {@link Math#sin}: the path the other two are checked against.</li>
 *   <li>{@link #SCALAR} and {@link #VECTOR}: the tiled path ({@link TiledStep}) with
 *       {@link ScalarTileKernels} or {@link io.hermitengp.network.VectorTileKernels}. The two give the same bits; the
 *       vector one needs the JVM option {@code --add-modules jdk.incubator.vector}.</li>
 * </ul>
 */
public enum CpuPath {
    REFERENCE("reference"),
    SCALAR("scalar"),
    VECTOR("vector");

    /** The JDK module the vector kernels use. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    private final String label;

    CpuPath(String label) {
        this.label = label;
    }

    /** The name in backend descriptions ({@code java:threads=2,vector}). */
    public String label() {
        return label;
    }

    /** Whether this JVM resolved {@value #VECTOR_MODULE} (it does only when asked to). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** The fastest tiled path this JVM can run: {@link #VECTOR} with the module, else {@link #SCALAR}. */
    public static CpuPath fastestTiled() {
        return vectorModulePresent() ? VECTOR : SCALAR;
    }

    /** The path of a label, or an IllegalArgumentException naming the labels there are. */
    public static CpuPath of(String label) {
        for (CpuPath path : values()) {
            if (path.label.equals(label)) {
                return path;
            }
        }
        throw new IllegalArgumentException("unknown CPU path '" + label + "'; there are reference, scalar, vector");
    }

    /**
     * The tile kernels of a tiled path. The vector class is loaded only here and only with the
     * module present, so a JVM without it never links against the incubator API.
     *
     * @throws IllegalStateException for {@link #VECTOR} without the module, naming the JVM option
     */
    public TileKernels kernels() {
        switch (this) {
            case SCALAR -> {
                return new ScalarTileKernels();
            }
            case VECTOR -> {
                return (TileKernels) vectorClass("io.hermitengp.network.VectorTileKernels");
            }
            default -> throw new IllegalStateException("the reference path has no tile kernels");
        }
    }

    /**
     * The float tile kernels of a tiled path ({@link io.hermitengp.network.Precision#FLOAT32}), loaded as
     * {@link #kernels} loads the double ones.
     *
     * @throws IllegalStateException for {@link #REFERENCE}, which computes in double only, and for
     *                               {@link #VECTOR} without the module
     */
    public FloatTileKernels floatKernels() {
        switch (this) {
            case SCALAR -> {
                return new ScalarFloatTileKernels();
            }
            case VECTOR -> {
                return (FloatTileKernels) vectorClass("io.hermitengp.network.VectorFloatTileKernels");
            }
            default -> throw new IllegalStateException("the reference path computes in double only: "
                    + "float32 needs a tiled path (scalar or vector)");
        }
    }

    /** A new instance of a class on the vector API, loaded by name so that no other class links against it. */
    private static Object vectorClass(String name) {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the vector CPU path needs the JVM option --add-modules " + VECTOR_MODULE);
        }
        try {
            return Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
                 | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot load " + name + ": " + e, e);
        }
    }
}
