package dev.jtorch.backend.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching device allocator, one per GPU. Requests are rounded to size classes (512-byte steps up
 * to 1 MiB, 2 MiB steps up to 16 MiB, then steps of 1/8 of the power of two below), each class has
 * a pool of free blocks, and a freed block goes back to its pool instead of to the driver. Work runs
 * in stream order, so a block freed while kernels on its stream still use it is safe to hand out
 * again on that stream; a block handed out on another stream first waits for its old stream.
 *
 * <p>On out-of-memory the allocator releases its cached blocks, runs the GC (so that unreachable
 * tensors return their blocks through their cleaners), waits briefly and retries, and finally
 * fails with a {@link CudaOutOfMemoryError} saying how much was asked, allocated and free.
 */
final class Allocator {
    /** A device allocation: address, rounded size, and the stream it was last handed out on. */
    static final class Block {
        final long ptr, size;
        java.lang.foreign.MemorySegment stream;

        Block(long ptr, long size) {
            this.ptr = ptr;
            this.size = size;
        }
    }

    private final CudaDevice device;
    private final TreeMap<Long, ArrayDeque<Block>> pools = new TreeMap<>();
    private long allocated, peakAllocated, reserved, peakReserved, cached;
    private long allocCount, cudaMallocCount, oomRetries;

    Allocator(CudaDevice device) { this.device = device; }

    static long roundSize(long bytes) {
        if (bytes <= 512) return 512;
        if (bytes <= (1L << 20)) return (bytes + 511) & ~511L;
        if (bytes <= (16L << 20)) return (bytes + (2L << 20) - 1) & ~((2L << 20) - 1);
        long step = Long.highestOneBit(bytes) >>> 3;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes} for use on {@code stream}. */
    Block malloc(long bytes, java.lang.foreign.MemorySegment stream) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        long size = roundSize(bytes);
        Block b = takeCached(size);
        if (b == null) b = fresh(size, bytes);
        if (b.stream != null && !b.stream.equals(stream)) Driver.streamSynchronize(b.stream);
        b.stream = stream;
        return b;
    }

    private synchronized Block takeCached(long size) {
        ArrayDeque<Block> q = pools.get(size);
        if (q == null || q.isEmpty()) return null;
        Block b = q.pop();
        cached -= size;
        allocated += size;
        peakAllocated = Math.max(peakAllocated, allocated);
        allocCount++;
        return b;
    }

    private Block fresh(long size, long asked) {
        device.makeCurrent();
        long ptr = Driver.memAllocOrZero(size);
        for (int attempt = 0; ptr == 0 && attempt < 4; attempt++) {
            synchronized (this) { oomRetries++; }
            emptyCache();
            ptr = Driver.memAllocOrZero(size);
            if (ptr != 0) break;
            System.gc();
            try {
                Thread.sleep(20L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            emptyCache();
            ptr = Driver.memAllocOrZero(size);
        }
        if (ptr == 0) {
            long[] info = Driver.memGetInfo();
            long alloc, res;
            synchronized (this) { alloc = allocated; res = reserved; }
            throw new CudaOutOfMemoryError(String.format(
                    "CUDA out of memory. Tried to allocate %s. GPU %d has a total capacity of %s of which %s is free. "
                            + "Of the allocated memory %s is allocated by jtorch, and %s is reserved by jtorch but unallocated.",
                    fmt(asked), device.ordinal, fmt(info[1]), fmt(info[0]), fmt(alloc), fmt(Math.max(0, res - alloc))));
        }
        synchronized (this) {
            reserved += size;
            peakReserved = Math.max(peakReserved, reserved);
            allocated += size;
            peakAllocated = Math.max(peakAllocated, allocated);
            allocCount++;
            cudaMallocCount++;
        }
        return new Block(ptr, size);
    }

    /** Returns a block to its pool (called by storage cleaners, from any thread). */
    synchronized void free(Block b) {
        allocated -= b.size;
        cached += b.size;
        pools.computeIfAbsent(b.size, k -> new ArrayDeque<>()).push(b);
    }

    /** Gives every cached (free) block back to the driver, like {@code torch.cuda.empty_cache()}. */
    void emptyCache() {
        List<Block> release = new ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<Block> q : pools.values()) release.addAll(q);
            pools.clear();
            for (Block b : release) {
                reserved -= b.size;
                cached -= b.size;
            }
        }
        if (release.isEmpty()) return;
        device.makeCurrent();
        // cuMemFree waits for the device to finish with the memory
        for (Block b : release) Driver.memFree(b.ptr);
    }

    synchronized long allocated() { return allocated; }

    synchronized long peakAllocated() { return peakAllocated; }

    synchronized long reserved() { return reserved; }

    synchronized long peakReserved() { return peakReserved; }

    synchronized void resetPeak() {
        peakAllocated = allocated;
        peakReserved = reserved;
    }

    synchronized Map<String, Long> stats() {
        return Map.of("allocated_bytes.all.current", allocated, "allocated_bytes.all.peak", peakAllocated,
                "reserved_bytes.all.current", reserved, "reserved_bytes.all.peak", peakReserved,
                "inactive_split_bytes.all.current", cached, "num_alloc_retries", oomRetries,
                "allocation.all.allocated", allocCount, "segment.all.allocated", cudaMallocCount);
    }

    static String fmt(long bytes) {
        if (bytes >= (1L << 30)) return String.format("%.2f GiB", bytes / (double) (1L << 30));
        if (bytes >= (1L << 20)) return String.format("%.2f MiB", bytes / (double) (1L << 20));
        if (bytes >= (1L << 10)) return String.format("%.2f KiB", bytes / (double) (1L << 10));
        return bytes + " bytes";
    }
}
