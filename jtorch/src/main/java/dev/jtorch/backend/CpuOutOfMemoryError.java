package dev.jtorch.backend;

/**
 * A CPU allocation that the Java heap or the machine's memory cannot satisfy, with PyTorch's
 * {@code DefaultCPUAllocator} message (the bytes asked for) and how much memory was free; like
 * {@link dev.jtorch.backend.cuda.CudaOutOfMemoryError} on the GPU, a RuntimeException the program can catch and go on.
 */
public class CpuOutOfMemoryError extends RuntimeException {
    public CpuOutOfMemoryError(String message, Throwable cause) { super(message, cause); }

    /** PyTorch 1.13's message (c10/core/impl/alloc_cpu.cpp) followed by {@code detail}. */
    static CpuOutOfMemoryError of(long bytes, String detail, Throwable cause) {
        return new CpuOutOfMemoryError("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                + bytes + " bytes. Error code 12 (Cannot allocate memory); " + detail, cause);
    }
}
