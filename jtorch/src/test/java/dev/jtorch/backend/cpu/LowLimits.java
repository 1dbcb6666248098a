package dev.jtorch.backend.cpu;

import dev.jtorch.Tensor;

/**
 * Lowers the CPU backend's two large-tensor knobs for a test and restores them on {@link #close()}: tensors over
 * {@code arrayLimit} elements then live in native memory, and ops on them stage at most {@code pieceElements}
 * elements per operand at a time, so small tensors run the path of tensors too large for a Java array.
 */
public final class LowLimits implements AutoCloseable {
    private final long arrayLimit = CpuBackend.arrayLimit;
    private final int pieceElements = Staging.pieceElements;

    private LowLimits(long arrayLimit, int pieceElements) {
        CpuBackend.arrayLimit = arrayLimit;
        Staging.pieceElements = pieceElements;
    }

    /** Sets both knobs until the returned object is closed. */
    public static LowLimits set(long arrayLimit, int pieceElements) { return new LowLimits(arrayLimit, pieceElements); }

    /** Restores the knobs as they were. */
    @Override public void close() {
        CpuBackend.arrayLimit = arrayLimit;
        Staging.pieceElements = pieceElements;
    }

    /** True when the tensor's storage is native memory rather than a Java array. */
    public static boolean isNative(Tensor t) {
        try {
            t.detach().array();
            return false;
        } catch (IllegalStateException e) {
            if (e.getMessage().contains("native memory")) return true;
            throw e;
        }
    }
}
