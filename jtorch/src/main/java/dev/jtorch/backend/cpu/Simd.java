package dev.jtorch.backend.cpu;

/**
 * Whether the Vector API ({@code jdk.incubator.vector}) is readable in this JVM, decided once at
 * class initialization. Classes that use Vector API types ({@link VectorKernels},
 * {@link VectorGemm}) are only reached behind {@code if (Simd.AVAILABLE)}, so without the module
 * they are never loaded and the plain-Java kernels ({@link ScalarKernels}) run instead.
 *
 * <p>{@code -Djtorch.simd=false} forces the plain-Java kernels (for testing and comparison).
 */
final class Simd {
    private Simd() {}

    static final boolean AVAILABLE = detect();

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("jtorch.simd", "true"))) return false;
        try {
            var module = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (module.isEmpty()) return false;
            // Readable by the unnamed module we live in (true for --add-modules on the class path).
            return Simd.class.getModule().canRead(module.get()) || !Simd.class.getModule().isNamed();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A one-line description for benchmarks and diagnostics. */
    static String describe() {
        return AVAILABLE ? "Vector API (" + VectorKernels.describe() + ")" : "plain Java (jdk.incubator.vector not present)";
    }
}
