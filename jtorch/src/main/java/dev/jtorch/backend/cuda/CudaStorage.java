package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Storage;
import java.lang.ref.Cleaner;

/**
 * A buffer in device memory. Its block goes back to the caching allocator when the storage becomes
 * unreachable (a {@link Cleaner}) or at once by {@link #release()} (a closing {@code TensorScope});
 * a released storage refuses every later use with an {@link IllegalStateException}, so no kernel ever
 * touches a block after it went back. A fresh storage reads as zeros, but the zeros are written
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
    /** The allocator's block (null when empty). */
    private final Allocator.Block block;
    /** True while the buffer is promised to be zero but not yet written. */
    volatile boolean needsZero;
    /** Returns the block (once: by {@link #release()} or by the cleaner, whichever comes first); null when empty. */
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;

    static final String RELEASED = "this tensor's CUDA memory was freed when the TensorScope it was allocated in closed; "
            + "keep it (scope.keep(t) or TensorScope.keep(t)) to use it after the scope";

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
            block = null;
            cleanable = null;
        } else {
            Allocator.Block b = device.allocator.malloc(bytes, device.currentStream().handle);
            ptr = b.ptr;
            capacity = b.size;
            block = b;
            needsZero = true;
            cleanable = CLEANER.register(this, new Release(device.allocator, b));
        }
    }

    @Override public Device device() { return device.device; }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    long bytes() { return numel * dtype.itemSize(); }

    @Override public void release() {
        if (released) return;
        synchronized (this) {
            if (released) return;
            released = true;
            needsZero = false;
        }
        if (cleanable != null) cleanable.clean();
    }

    @Override public boolean isReleased() { return released; }

    /** Fails when the buffer was {@link #release() released}. */
    void checkLive() {
        if (released) throw new IllegalStateException(RELEASED);
    }

    /**
     * Notes that work queued on {@code stream} uses this buffer (an asynchronous copy), so that when the buffer
     * goes back the allocator does not hand it out again before that work is done; a no-op on the stream the
     * buffer was allocated on, whose order already guarantees it.
     */
    void recordStream(Stream stream) {
        if (block != null) device.allocator.recordStream(block, stream);
    }

    /** Writes the promised zeros now, if they are still owed (before any read or partial write). */
    void materialize(Stream stream) {
        checkLive();
        if (needsZero) {
            synchronized (this) {
                if (needsZero && !released) {
                    Driver.memsetD8Async(ptr, (byte) 0, bytes(), stream.handle);
                    needsZero = false;
                }
            }
        }
    }

    @Override public String toString() { return "CudaStorage(" + dtype + ", " + numel + " elements at 0x" + Long.toHexString(ptr) + " on " + device.device + ")"; }
}
