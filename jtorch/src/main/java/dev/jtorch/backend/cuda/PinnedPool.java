package dev.jtorch.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A cache of page-locked host blocks, like PyTorch's CachingHostAllocator. {@code cuMemAllocHost} is slow and
 * {@code cuMemFreeHost} waits for the whole device, so a loop that pins a batch per step must not reach the
 * driver per step: a block whose storage died goes back to this pool, is reused once every copy queued on it
 * has completed, and is handed back to the driver only by {@link #emptyCache} (or to make room when the driver
 * refuses an allocation). Sizes round up to a power of two so that blocks of a loop's batches fit each other.
 */
final class PinnedPool {
    /** Where blocks come from and go back to: the driver, or a fake in tests. */
    interface Host {
        /** A new block of exactly {@code bytes}, or null when the driver is out of page-locked memory. */
        MemorySegment allocOrNull(long bytes);

        void free(MemorySegment block);
    }

    /** A copy queued on a block (an event recorded after it). */
    interface Use {
        /** True once the stream has passed the copy; a done use is never asked again. */
        boolean done();

        /** Gives back what tracking the use took (the event). */
        void release();
    }

    /** A block whose storage died while copies queued on it may still run. */
    private record Returned(MemorySegment block, List<Use> uses) {}

    private static final long MIN_BLOCK = 512;

    private final Host host;
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private final List<Returned> awaiting = new ArrayList<>();
    /** Bytes in blocks held by storages or awaiting their copies; bytes in free blocks. */
    private long inUse, cached;

    PinnedPool(Host host) { this.host = host; }

    /** The pool of {@code device}'s context. */
    static PinnedPool of(CudaDevice device) {
        return new PinnedPool(new Host() {
            @Override public MemorySegment allocOrNull(long bytes) {
                PinnedStorage.fetched(bytes);
                device.makeCurrent();
                return Driver.memAllocHostOrNull(bytes);
            }

            @Override public void free(MemorySegment block) {
                device.makeCurrent();
                Driver.memFreeHost(block);
            }
        });
    }

    static long blockSize(long bytes) {
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        long high = Long.highestOneBit(bytes);
        return high == bytes ? bytes : Math.multiplyExact(high, 2L);
    }

    /**
     * A block of {@link #blockSize}{@code (bytes)}: a cached one whose queued copies are done, else a new one; when
     * the driver refuses, the free blocks go back to it and it is asked once more. Null when it still refuses.
     */
    synchronized MemorySegment allocate(long bytes) {
        long size = blockSize(bytes);
        reclaim();
        ArrayDeque<MemorySegment> blocks = free.get(size);
        MemorySegment block = blocks == null ? null : blocks.poll();
        if (block != null) {
            cached -= size;
        } else {
            block = host.allocOrNull(size);
            if (block == null && cached > 0) {
                emptyCache();
                block = host.allocOrNull(size);
            }
            if (block == null) return null;
        }
        inUse += size;
        return block;
    }

    /** Takes back a block whose storage died; it is reused only after {@code uses} are done. */
    synchronized void release(MemorySegment block, List<Use> uses) {
        awaiting.add(new Returned(block, new ArrayList<>(uses)));
        reclaim();
    }

    /** Moves returned blocks whose copies have all completed to the free lists. */
    private void reclaim() {
        for (Iterator<Returned> it = awaiting.iterator(); it.hasNext(); ) {
            Returned r = it.next();
            r.uses.removeIf(u -> {
                if (!u.done()) return false;
                u.release();
                return true;
            });
            if (!r.uses.isEmpty()) continue;
            it.remove();
            long size = r.block.byteSize();
            inUse -= size;
            cached += size;
            free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(r.block);
        }
    }

    /** Gives every free block back to the driver; returns the bytes freed. */
    synchronized long emptyCache() {
        reclaim();
        long freed = 0;
        for (ArrayDeque<MemorySegment> blocks : free.values())
            for (MemorySegment b; (b = blocks.poll()) != null; ) {
                host.free(b);
                freed += b.byteSize();
            }
        cached -= freed;
        return freed;
    }

    /** Bytes in blocks held by live storages or by copies still queued on them. */
    synchronized long inUseBytes() {
        reclaim();
        return inUse;
    }

    /** Bytes in free blocks, kept for reuse. */
    synchronized long cachedBytes() {
        reclaim();
        return cached;
    }
}
