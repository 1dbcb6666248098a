package dev.jtorch.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * A CUDA stream, like {@code torch.cuda.Stream}: an ordered queue of GPU work. Each thread has a
 * current stream (the device's default stream until {@link #use()} changes it); jtorch queues
 * every kernel, copy and cuBLAS call of that thread on it.
 *
 * <pre>{@code
 * Stream s = cuda.Stream();
 * try (var g = s.use()) { y = x.mul(2); }   // like `with torch.cuda.stream(s):`
 * s.synchronize();
 * }</pre>
 */
public final class Stream {
    private static final Cleaner CLEANER = Cleaner.create();

    final CudaDevice device;
    /** The CUstream; NULL for the default (legacy) stream. */
    final MemorySegment handle;

    Stream(CudaDevice device, MemorySegment handle) {
        this.device = device;
        this.handle = handle;
    }

    /** A new non-blocking stream on {@code device}, destroyed when unreachable. */
    static Stream create(CudaDevice device) {
        device.makeCurrent();
        MemorySegment h = Driver.streamCreate(1 /* CU_STREAM_NON_BLOCKING */);
        Stream s = new Stream(device, h);
        CLEANER.register(s, () -> {
            try {
                device.makeCurrent();
                Driver.streamSynchronize(h);
                Driver.streamDestroy(h);
            } catch (Throwable ignored) {
                // the context may already be gone at exit
            }
        });
        return s;
    }

    /** Waits until all work queued on this stream has finished. */
    public void synchronize() {
        device.makeCurrent();
        Driver.streamSynchronize(handle);
    }

    /** True when all work queued on this stream has finished. */
    public boolean query() {
        device.makeCurrent();
        return Driver.streamQuery(handle);
    }

    /** Makes future work on this stream wait for {@code event}. */
    public void waitEvent(Event event) {
        device.makeCurrent();
        Driver.streamWaitEvent(handle, event.handle);
    }

    /** Makes future work on this stream wait for everything queued on {@code other} so far. */
    public void waitStream(Stream other) {
        Event e = new Event(device, false);
        e.record(other);
        waitEvent(e);
    }

    /** Records a new event on this stream. */
    public Event recordEvent() {
        Event e = new Event(device, false);
        e.record(this);
        return e;
    }

    /** The raw CUstream address (0 for the default stream), like {@code stream.cuda_stream}. */
    public long cudaStream() { return handle.address(); }

    /** Makes this the calling thread's current stream until the guard is closed. */
    public Guard use() {
        Stream previous = device.currentStream();
        device.setCurrentStream(this);
        return new Guard(device, previous);
    }

    /** Restores the previous current stream; {@link #close()} throws no checked exception. */
    public static final class Guard implements AutoCloseable {
        private final CudaDevice device;
        private final Stream previous;

        Guard(CudaDevice device, Stream previous) {
            this.device = device;
            this.previous = previous;
        }

        @Override public void close() { device.setCurrentStream(previous); }
    }

    @Override public boolean equals(Object o) { return o instanceof Stream s && s.device == device && s.handle.equals(handle); }

    @Override public int hashCode() { return Long.hashCode(handle.address()); }

    @Override public String toString() { return "<torch.cuda.Stream device=" + device.device + " cuda_stream=0x" + Long.toHexString(handle.address()) + ">"; }
}
