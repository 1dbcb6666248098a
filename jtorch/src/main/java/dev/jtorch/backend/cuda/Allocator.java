package dev.jtorch.backend.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A caching device allocator, one per GPU. Requests are rounded to size classes (512-byte steps up
 * to 1 MiB, 2 MiB steps up to 16 MiB, then steps of 1/8 of the power of two below); each class has
 * a pool of free blocks, and a freed block goes back to its pool instead of to the driver. Blocks of
 * up to 1 MiB are carved from 2 MiB segments, so small tensors cost no driver call. Work runs in
 * stream order, so a block freed while kernels on its stream still use it is safe to hand out again
 * on that stream; a block handed out on another stream first waits for its old stream. A block that
 * work on other streams used too ({@link #recordStream}: asynchronous copies queued on a stream other
 * than the one the block was allocated on) gets an event recorded on each such stream when it comes
 * back, and its next user's stream waits for those events, like PyTorch's {@code record_stream}: the
 * block is never reused before those copies complete.
 *
 * <p>Blocks come back when their storage becomes unreachable and the GC has noticed. So that the GC
 * notices in time, every {@link #gcEveryBytes} of fresh driver allocations a collection is requested
 * on a background thread. On out-of-memory the allocator releases its cached blocks, runs the GC,
 * waits briefly and retries, and finally fails with a {@link CudaOutOfMemoryError} saying how much
 * was asked, allocated and free.
 */
final class Allocator {
    static final long SMALL_MAX = 1L << 20, SEGMENT = 2L << 20;

    /** A 2 MiB driver allocation that small blocks are carved from. */
    static final class Segment {
        final long ptr;
        long used;
        int outstanding;

        Segment(long ptr) { this.ptr = ptr; }
    }

    /** A device allocation: address, rounded size, its segment (small blocks), the stream it was last handed out on. */
    static final class Block {
        final long ptr, size;
        final Segment segment;
        java.lang.foreign.MemorySegment stream;
        /** Other streams that queued work on the block while handed out (held, so none is destroyed meanwhile); null when none. */
        List<Stream> usedOn;
        /** Events recorded on {@link #usedOn} when the block came back, for its next user to wait for; null when none. */
        List<java.lang.foreign.MemorySegment> pending;

        Block(long ptr, long size, Segment segment) {
            this.ptr = ptr;
            this.size = size;
            this.segment = segment;
        }
    }

    private final CudaDevice device;
    private final TreeMap<Long, ArrayDeque<Block>> pools = new TreeMap<>();
    private final List<Segment> segments = new ArrayList<>();
    private Segment carving;
    private long allocated, peakAllocated, reserved, peakReserved, cached;
    private long allocCount, cudaMallocCount, oomRetries, gcRequests;
    private long freshSinceGc;
    /** Fresh driver allocations between two requested collections: {@code -Djtorch.cuda.gcEveryBytes}, default 1 GiB. */
    final long gcEveryBytes = Long.getLong("jtorch.cuda.gcEveryBytes", 1L << 30);
    private static final AtomicBoolean gcPending = new AtomicBoolean();

    Allocator(CudaDevice device) { this.device = device; }

    static long roundSize(long bytes) {
        if (bytes <= 512) return 512;
        if (bytes <= SMALL_MAX) return (bytes + 511) & ~511L;
        if (bytes <= (16L << 20)) return (bytes + (2L << 20) - 1) & ~((2L << 20) - 1);
        long step = Long.highestOneBit(bytes) >>> 3;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes} for use on {@code stream}. */
    Block malloc(long bytes, java.lang.foreign.MemorySegment stream) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        long size = roundSize(bytes);
        Block b = size <= SMALL_MAX ? small(size) : takeCached(size);
        if (b == null) b = fresh(size, bytes);
        List<java.lang.foreign.MemorySegment> waits;
        synchronized (this) {
            waits = b.pending;
            b.pending = null;
        }
        if (waits != null) {
            device.makeCurrent();
            for (java.lang.foreign.MemorySegment e : waits) {
                Driver.streamWaitEvent(stream, e);
                Driver.eventDestroy(e); // released by the driver once it has completed
            }
        }
        if (b.stream != null && !b.stream.equals(stream)) Driver.streamSynchronize(b.stream);
        b.stream = stream;
        return b;
    }

    /** Notes that work on {@code s} (not the stream the block was handed out on) uses the block; see {@link #free}. */
    synchronized void recordStream(Block b, Stream s) {
        if (s.handle.equals(b.stream)) return;
        if (b.usedOn == null) b.usedOn = new ArrayList<>(1);
        if (!b.usedOn.contains(s)) b.usedOn.add(s);
    }

    private synchronized Block takeCached(long size) {
        ArrayDeque<Block> q = pools.get(size);
        if (q == null || q.isEmpty()) return null;
        Block b = q.pop();
        cached -= size;
        handOut(b);
        return b;
    }

    private void handOut(Block b) {
        allocated += b.size;
        peakAllocated = Math.max(peakAllocated, allocated);
        allocCount++;
        if (b.segment != null) b.segment.outstanding++;
    }

    /** A small block: from its pool, else carved from the current segment (a new one when it is full). */
    private Block small(long size) {
        synchronized (this) {
            Block b = takeCached(size);
            if (b != null) return b;
            if (carving != null && carving.used + size <= SEGMENT) {
                b = new Block(carving.ptr + carving.used, size, carving);
                carving.used += size;
                handOut(b);
                return b;
            }
        }
        long ptr = driverAlloc(SEGMENT, size);
        synchronized (this) {
            Segment s = new Segment(ptr);
            segments.add(s);
            reserved += SEGMENT;
            peakReserved = Math.max(peakReserved, reserved);
            // the rest of the previous segment stays unused until emptyCache frees the segment
            carving = s;
            Block b = new Block(s.ptr, size, s);
            s.used = size;
            handOut(b);
            return b;
        }
    }

    private Block fresh(long size, long asked) {
        long ptr = driverAlloc(size, asked);
        synchronized (this) {
            reserved += size;
            peakReserved = Math.max(peakReserved, reserved);
            Block b = new Block(ptr, size, null);
            handOut(b);
            return b;
        }
    }

    /** cuMemAlloc with the out-of-memory fallbacks; requests a background GC every {@link #gcEveryBytes}. */
    private long driverAlloc(long size, long asked) {
        device.makeCurrent();
        boolean collect;
        synchronized (this) {
            freshSinceGc += size;
            collect = freshSinceGc >= gcEveryBytes;
            if (collect) freshSinceGc = 0;
        }
        if (collect) requestGc();
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
        synchronized (this) { cudaMallocCount++; }
        return ptr;
    }

    /** Asks the JVM for a collection on a daemon thread, so that unreachable storages return their blocks. */
    private void requestGc() {
        synchronized (this) { gcRequests++; }
        collectInBackground(gcPending, "jtorch-cuda-gc");
    }

    /** Runs {@code System.gc()} on a daemon thread unless one started under {@code pending} is still running. */
    static void collectInBackground(AtomicBoolean pending, String threadName) {
        if (!pending.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                System.gc();
            } finally {
                pending.set(false);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Returns a block to its pool (called by storage cleaners, from any thread). When other streams used it,
     * an event is recorded on each, for the block's next user to wait for.
     */
    synchronized void free(Block b) {
        if (b.usedOn != null) {
            List<java.lang.foreign.MemorySegment> events = new ArrayList<>(b.usedOn.size());
            try {
                device.makeCurrent();
                for (Stream s : b.usedOn) {
                    java.lang.foreign.MemorySegment e = Driver.eventCreate(2 /* CU_EVENT_DISABLE_TIMING */);
                    events.add(e);
                    Driver.eventRecord(e, s.handle);
                }
            } catch (RuntimeException e) {
                try {
                    for (Stream s : b.usedOn) Driver.streamSynchronize(s.handle); // no event: wait here instead
                } catch (RuntimeException ignored) {
                    // the context is gone (exit): nothing runs any more
                }
            }
            b.usedOn = null;
            if (b.pending == null) b.pending = events;
            else b.pending.addAll(events);
        }
        allocated -= b.size;
        cached += b.size;
        if (b.segment != null) b.segment.outstanding--;
        pools.computeIfAbsent(b.size, k -> new ArrayDeque<>()).push(b);
    }

    /** Gives cached blocks (and segments whose blocks are all free) back to the driver, like {@code torch.cuda.empty_cache()}. */
    void emptyCache() {
        List<Long> release = new ArrayList<>();
        List<java.lang.foreign.MemorySegment> waits = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Long, ArrayDeque<Block>>> it = pools.entrySet().iterator(); it.hasNext(); ) {
                ArrayDeque<Block> q = it.next().getValue();
                for (Iterator<Block> bi = q.iterator(); bi.hasNext(); ) {
                    Block b = bi.next();
                    if (b.segment != null && b.segment.outstanding > 0) continue;
                    bi.remove();
                    cached -= b.size;
                    if (b.pending != null) waits.addAll(b.pending);
                    b.pending = null;
                    if (b.segment == null) {
                        reserved -= b.size;
                        release.add(b.ptr);
                    }
                }
                if (q.isEmpty()) it.remove();
            }
            for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
                Segment s = it.next();
                if (s.outstanding == 0) {
                    it.remove();
                    reserved -= SEGMENT;
                    release.add(s.ptr);
                    if (carving == s) carving = null;
                }
            }
        }
        if (release.isEmpty() && waits.isEmpty()) return;
        device.makeCurrent();
        for (java.lang.foreign.MemorySegment e : waits) {
            Driver.eventSynchronize(e);
            Driver.eventDestroy(e);
        }
        // cuMemFree waits for the device to finish with the memory
        for (long p : release) Driver.memFree(p);
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
                "allocation.all.allocated", allocCount, "segment.all.allocated", cudaMallocCount, "num_gc_requests", gcRequests);
    }

    static String fmt(long bytes) {
        if (bytes >= (1L << 30)) return String.format("%.2f GiB", bytes / (double) (1L << 30));
        if (bytes >= (1L << 20)) return String.format("%.2f MiB", bytes / (double) (1L << 20));
        if (bytes >= (1L << 10)) return String.format("%.2f KiB", bytes / (double) (1L << 10));
        return bytes + " bytes";
    }
}
