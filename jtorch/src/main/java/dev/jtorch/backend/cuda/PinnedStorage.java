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
 * Page-locked ("pinned") host memory from {@code cuMemAllocHost}: the storage of a CPU tensor made by
 * {@code x.pinMemory()} or by a non-blocking copy to the CPU, like PyTorch's pinned CPU storages. The GPU's
 * copy engines read and write it directly, so copies between it and the device are queued on a stream and
 * return at once ({@link CudaBackend#copyFromPinned}, {@link CudaBackend#copyToPinned}). CPU kernels reach it
 * through {@link SegmentStorage}'s staging.
 *
 * <p>The memory goes back with {@code cuMemFreeHost} when the storage becomes unreachable (a {@link Cleaner}),
 * but not before the copies queued on it have completed: every queued copy records an event
 * ({@link #recordUse}), and the cleaner waits for those. Its contents are undefined until written (every
 * jtorch path that makes one writes all of it). Not cached: each storage is one driver allocation; a
 * background collection is requested every {@code -Djtorch.cuda.gcEveryBytes} (1 GiB) of fresh pinned
 * memory, and a failing allocation collects and retries before throwing {@link CudaOutOfMemoryError}.
 */
public final class PinnedStorage implements SegmentStorage {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong liveBytes = new AtomicLong(), freshSinceGc = new AtomicLong();
    private static final AtomicBoolean gcPending = new AtomicBoolean();
    private static final long GC_EVERY = Long.getLong("jtorch.cuda.gcEveryBytes", 1L << 30);

    final CudaDevice device;
    private final DType dtype;
    private final long numel;
    private final MemorySegment segment;
    /** What the cleaner frees; null for an empty storage. */
    private final Host host;

    /** An event recorded after a queued copy, in the context of the device whose stream it was. */
    private record Pending(CudaDevice device, MemorySegment event) {}

    /** The allocation and the events of copies queued on it; runs once, as the storage's cleaning action. */
    private static final class Host implements Runnable {
        final CudaDevice device;
        final MemorySegment memory;
        /** Events recorded after queued copies that may not have completed yet; guarded by this. */
        private List<Pending> events = new ArrayList<>(1);

        Host(CudaDevice device, MemorySegment memory) {
            this.device = device;
            this.memory = memory;
        }

        synchronized void record(Stream stream) {
            events.removeIf(p -> {
                p.device.makeCurrent();
                if (!Driver.eventQuery(p.event)) return false;
                Driver.eventDestroy(p.event);
                return true;
            });
            stream.device.makeCurrent();
            MemorySegment e = Driver.eventCreate(2 /* CU_EVENT_DISABLE_TIMING */);
            events.add(new Pending(stream.device, e));
            Driver.eventRecord(e, stream.handle);
        }

        @Override public void run() {
            try {
                List<Pending> pending;
                synchronized (this) {
                    pending = events;
                    events = List.of();
                }
                for (Pending p : pending) {
                    p.device.makeCurrent();
                    Driver.eventSynchronize(p.event);
                    Driver.eventDestroy(p.event);
                }
                device.makeCurrent();
                Driver.memFreeHost(memory);
            } catch (Throwable ignored) {
                // the context is gone (exit): the process releases the memory
            } finally {
                liveBytes.addAndGet(-memory.byteSize());
            }
        }
    }

    private PinnedStorage(CudaDevice device, DType dtype, long numel, MemorySegment segment, Host host) {
        this.device = device;
        this.dtype = dtype;
        this.numel = numel;
        this.segment = segment;
        this.host = host;
    }

    /** Uninitialized page-locked memory for {@code numel} elements, allocated in {@code device}'s context. */
    static PinnedStorage allocate(CudaDevice device, DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("negative size " + numel);
        long bytes = Math.multiplyExact(numel, (long) dtype.itemSize());
        if (bytes == 0) return new PinnedStorage(device, dtype, numel, MemorySegment.NULL, null);
        device.makeCurrent();
        if (freshSinceGc.addAndGet(bytes) >= GC_EVERY) {
            freshSinceGc.set(0);
            requestGc();
        }
        MemorySegment m = Driver.memAllocHostOrNull(bytes);
        for (int attempt = 0; m == null && attempt < 4; attempt++) {
            System.gc(); // unreachable pinned storages give their memory back through the cleaner
            try {
                Thread.sleep(20L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            m = Driver.memAllocHostOrNull(bytes);
        }
        if (m == null)
            throw new CudaOutOfMemoryError("CUDA out of memory. Tried to allocate " + Allocator.fmt(bytes) + " of page-locked host memory ("
                    + Allocator.fmt(liveBytes.get()) + " already pinned by jtorch).");
        liveBytes.addAndGet(bytes);
        Host h = new Host(device, m);
        PinnedStorage s = new PinnedStorage(device, dtype, numel, m, h);
        CLEANER.register(s, h);
        return s;
    }

    private static void requestGc() {
        if (!gcPending.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                System.gc();
            } finally {
                gcPending.set(false);
            }
        }, "jtorch-pinned-gc");
        t.setDaemon(true);
        t.start();
    }

    /** Bytes of page-locked memory held by live (not yet cleaned) pinned storages. */
    static long liveBytes() { return liveBytes.get(); }

    /**
     * Notes a copy queued on {@code stream} that reads or writes this memory: the memory is not freed before
     * the stream has passed this point.
     */
    void recordUse(Stream stream) {
        if (host != null) host.record(stream);
    }

    @Override public MemorySegment segment() { return segment; }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    @Override public String toString() {
        return "PinnedStorage(" + dtype + ", " + numel + " elements at 0x" + Long.toHexString(segment.address()) + ")";
    }
}
