package dev.jtorch.backend.cpu;

/**
 * jtorch internals: which CPU kernels run here, for benchmarks and diagnostics (like
 * {@code torch.__config__.show()}), and the GEMM choice that {@code -Djtorch.gemm} also sets.
 */
public final class CpuKernels {
    private CpuKernels() {}

    /** One line per kernel family: SIMD, GEMM, BLAS library, threads. */
    public static String describe() {
        return "elementwise: " + Simd.describe() + "\n"
                + "gemm: " + Gemm.describe() + " [jtorch.gemm=" + gemm() + "]\n"
                + "blas: " + (Blas.available() ? Blas.library() : Blas.problem()) + "\n"
                + "threads: " + Parallel.getNumThreads();
    }

    /** {@code "auto"} (BLAS when a library is found, else Java), {@code "java"} or {@code "blas"}. */
    public static void setGemm(String mode) {
        String m = mode.trim().toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("auto") && !m.equals("java") && !m.equals("blas"))
            throw new IllegalArgumentException("gemm must be auto, java or blas, got " + mode);
        Gemm.mode = Gemm.parseMode(m);
    }

    /** The current GEMM choice: auto, java or blas. */
    public static String gemm() { return Gemm.mode.name().toLowerCase(java.util.Locale.ROOT); }

    /** Whether a CBLAS library was found and loaded. */
    public static boolean blasAvailable() { return Blas.available(); }

    /** Whether the Vector API kernels are in use (else plain-Java fallbacks). */
    public static boolean vectorApi() { return Simd.AVAILABLE; }
}
