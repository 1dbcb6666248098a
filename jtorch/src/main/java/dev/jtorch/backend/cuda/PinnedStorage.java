package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.backend.SegmentStorage;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Page-locked ("pinned") host memory: the storage of a CPU tensor made by {@code x.pinMemory()} or by a
 * non-blocking copy to the CPU, like PyTorch's pinned CPU storages. The GPU's copy engines read and write it
 * directly, so copies between it and the device are queued on a stream and return at once
 * ({@link CudaBackend#copyFromPinned}, {@link CudaBackend#copyToPinned}). CPU kernels reach it through
 * {@link SegmentStorage}'s staging.
 *
 * <p>The memory is a block of the device's {@link PinnedPool}. It goes back to the pool when the storage becomes
 * unreachable (a {@link Cleaner}), and the pool hands it out again only after the copies queued on it have
 * completed: every queued copy records an event ({@link #recordUse}). Its contents are undefined until written
 * (every jtorch path that makes one writes all of it). A background collection is requested every
 * {@code -Djtorch.cuda.gcEveryBytes} (1 GiB) of blocks the pool had to get from the driver, and a failing
 * allocation collects and retries before throwing {@link CudaOutOfMemoryError}.
 */
public final class PinnedStorage implements SegmentStorage {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong freshSinceGc = new AtomicLong();
    private static final AtomicBoolean gcPending = new AtomicBoolean();
    private static final long GC_EVERY = Long.getLong("jtorch.cuda.gcEveryBytes", 1L << 30);

    final CudaDevice device;
    private final DType dtype;
    private final long numel;
    private final MemorySegment segment;
    /** What the cleaner gives back; null for an empty storage. */
    private final Block block;

    /** An event recorded after a queued copy, in the context of the device whose stream it was. */
    private record QueuedCopy(CudaDevice device, MemorySegment event) implements PinnedPool.Use {
        @Override public boolean done() {
            device.makeCurrent();
            return Driver.eventQuery(event);
        }

        @Override public void release() {
            device.makeCurrent();
            Driver.eventDestroy(event);
        }
    }

    /** The pool's block and the events of copies queued on it; runs once, as the storage's cleaning action. */
    private static final class Block implements Runnable {
        final PinnedPool pool;
        final MemorySegment memory;
        /** Events recorded after queued copies that may not have completed yet; guarded by this. */
        private List<PinnedPool.Use> events = new ArrayList<>(1);

        Block(PinnedPool pool, MemorySegment memory) {
            this.pool = pool;
            this.memory = memory;
        }

        synchronized void record(Stream stream) {
            events.removeIf(e -> {
                if (!e.done()) return false;
                e.release();
                return true;
            });
            stream.device.makeCurrent();
            MemorySegment e = Driver.eventCreate(2 /* CU_EVENT_DISABLE_TIMING */);
            events.add(new QueuedCopy(stream.device, e));
            Driver.eventRecord(e, stream.handle);
        }

        @Override public void run() {
            List<PinnedPool.Use> pending;
            synchronized (this) {
                pending = events;
                events = List.of();
            }
            try {
                pool.release(memory, pending);
            } catch (Throwable ignored) {
                // the context is gone (exit): the process releases the memory
            }
        }
    }

    private PinnedStorage(CudaDevice device, DType dtype, long numel, MemorySegment segment, Block block) {
        this.device = device;
        this.dtype = dtype;
        this.numel = numel;
        this.segment = segment;
        this.block = block;
    }

    /** Uninitialized page-locked memory for {@code numel} elements from {@code device}'s pool. */
    static PinnedStorage allocate(CudaDevice device, DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("negative size " + numel);
        long bytes = Math.multiplyExact(numel, (long) dtype.itemSize());
        if (bytes == 0) return new PinnedStorage(device, dtype, numel, MemorySegment.NULL, null);
        PinnedPool pool = device.pinned;
        MemorySegment m = pool.allocate(bytes);
        for (int attempt = 0; m == null && attempt < 4; attempt++) {
            System.gc(); // unreachable pinned storages give their blocks back through the cleaner
            try {
                Thread.sleep(20L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            m = pool.allocate(bytes);
        }
        if (m == null)
            throw new CudaOutOfMemoryError("CUDA out of memory. Tried to allocate " + Allocator.fmt(bytes) + " of page-locked host memory ("
                    + Allocator.fmt(pool.inUseBytes()) + " already pinned by jtorch).");
        Block blk = new Block(pool, m);
        PinnedStorage s = new PinnedStorage(device, dtype, numel, m.asSlice(0, bytes), blk);
        CLEANER.register(s, blk);
        return s;
    }

    /** Counts a block the pool had to get from the driver: past a threshold, dead storages may be holding blocks it could reuse. */
    static void fetched(long bytes) {
        if (freshSinceGc.addAndGet(bytes) < GC_EVERY) return;
        freshSinceGc.set(0);
        Allocator.collectInBackground(gcPending, "jtorch-pinned-gc");
    }


    /**
     * Notes a copy queued on {@code stream} that reads or writes this memory: the memory is not freed before
     * the stream has passed this point.
     */
    void recordUse(Stream stream) {
        if (block != null) block.record(stream);
    }

    @Override public MemorySegment segment() { return segment; }

    @Override public boolean isPinned() { return true; }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    @Override public String toString() {
        return "PinnedStorage(" + dtype + ", " + numel + " elements at 0x" + Long.toHexString(segment.address()) + ")";
    }
}
