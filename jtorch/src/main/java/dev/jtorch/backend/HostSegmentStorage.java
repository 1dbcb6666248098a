package dev.jtorch.backend;

import dev.jtorch.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CPU storage in native memory for tensors too large for a Java array (more than
 * {@code Integer.MAX_VALUE - 8} elements): zero-filled memory from its own {@link Arena}, freed when the
 * storage becomes unreachable or on {@link #release()}. The CPU backend reaches it through
 * {@link SegmentStorage}'s staging, a bounded piece at a time.
 */
public final class HostSegmentStorage implements SegmentStorage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DType dtype;
    private final long numel;
    private final MemorySegment segment;
    /** Closes the arena, once: on {@link #release()} or when the storage becomes unreachable. */
    private Cleaner.Cleanable cleanable;
    private volatile boolean released;

    private HostSegmentStorage(DType dtype, long numel, MemorySegment segment) {
        this.dtype = dtype;
        this.numel = numel;
        this.segment = segment;
    }

    /**
     * Zero-filled native memory for {@code numel} elements. A request larger than the memory the system has
     * available is refused before anything is touched: zero-filling pages the kernel cannot back would get
     * the process killed instead of failing with a message.
     */
    public static HostSegmentStorage allocate(DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("negative size " + numel);
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Storage size calculation overflowed with sizes=[" + numel + "]");
        }
        long available = availableBytes();
        if (bytes > available)
            throw CpuOutOfMemoryError.of(bytes, "native memory: " + available + " bytes available", null);
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(bytes, 64);
        } catch (OutOfMemoryError e) {
            arena.close();
            throw CpuOutOfMemoryError.of(bytes, "native memory: " + available + " bytes available", e);
        }
        HostSegmentStorage s = new HostSegmentStorage(dtype, numel, segment);
        s.cleanable = CLEANER.register(s, arena::close);
        return s;
    }

    @Override public MemorySegment segment() {
        if (released) throw new IllegalStateException("this storage's native memory was released");
        return segment;
    }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    @Override public void release() {
        released = true;
        cleanable.clean();
    }

    @Override public boolean isReleased() { return released; }

    @Override public String toString() { return "HostSegmentStorage(" + dtype + ", " + numel + " elements)"; }

    /**
     * Bytes the system can still hand out: MemAvailable from /proc/meminfo plus free swap where readable
     * (Linux), else the free physical memory the JVM reports; the smaller one inside a container whose limit
     * the JVM sees.
     */
    static long availableBytes() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long jvmFree = os.getFreeMemorySize() + os.getFreeSwapSpaceSize();
        long proc = procMemAvailable();
        if (proc < 0) return jvmFree;
        long procTotal = procMemTotal();
        boolean containerLimit = procTotal > 0 && os.getTotalMemorySize() < procTotal;
        long swap = os.getFreeSwapSpaceSize();
        return containerLimit ? Math.min(proc + swap, jvmFree) : proc + swap;
    }

    private static long procMemAvailable() { return meminfo("MemAvailable:"); }

    private static long procMemTotal() { return meminfo("MemTotal:"); }

    private static long meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).replace("kB", "").trim()) * 1024;
        } catch (Exception e) {
            // not Linux, or not readable: the caller falls back to the JVM's figure
        }
        return -1;
    }
}
