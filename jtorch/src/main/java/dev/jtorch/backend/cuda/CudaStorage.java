package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Storage;
import java.lang.ref.Cleaner;

/**
 * A buffer in device memory. Its block goes back to the caching allocator when the storage becomes
 * unreachable (a {@link Cleaner}). A fresh storage reads as zeros, but the zeros are written
 * lazily: a kernel that overwrites the whole buffer first skips the memset.
 */
final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    final CudaDevice device;
    final DType dtype;
    final long numel;
    /** Device address of element 0 (0 for an empty storage). */
    final long ptr;
    /** Bytes usable from {@link #ptr}: at least numel * itemSize (the allocator rounds up). */
    final long capacity;
    /** True while the buffer is promised to be zero but not yet written. */
    volatile boolean needsZero;

    private record Release(Allocator allocator, Allocator.Block block) implements Runnable {
        @Override public void run() { allocator.free(block); }
    }

    CudaStorage(CudaDevice device, DType dtype, long numel) {
        this.device = device;
        this.dtype = dtype;
        this.numel = numel;
        long bytes = Math.multiplyExact(numel, (long) dtype.itemSize());
        if (bytes == 0) {
            ptr = 0;
            capacity = 0;
        } else {
            Allocator.Block b = device.allocator.malloc(bytes, device.currentStream().handle);
            ptr = b.ptr;
            capacity = b.size;
            needsZero = true;
            CLEANER.register(this, new Release(device.allocator, b));
        }
    }

    @Override public Device device() { return device.device; }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    long bytes() { return numel * dtype.itemSize(); }

    /** Writes the promised zeros now, if they are still owed (before any read or partial write). */
    void materialize(Stream stream) {
        if (needsZero) {
            synchronized (this) {
                if (needsZero) {
                    Driver.memsetD8Async(ptr, (byte) 0, bytes(), stream.handle);
                    needsZero = false;
                }
            }
        }
    }

    @Override public String toString() { return "CudaStorage(" + dtype + ", " + numel + " elements at 0x" + Long.toHexString(ptr) + " on " + device.device + ")"; }
}
