package dev.jtorch.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * A CUDA event, like {@code torch.cuda.Event}: a marker in a stream to wait for or to time with.
 *
 * <pre>{@code
 * Event start = cuda.Event(true), end = cuda.Event(true);
 * start.record(); ...; end.record(); end.synchronize();
 * float ms = start.elapsedTime(end);
 * }</pre>
 */
public final class Event {
    private static final Cleaner CLEANER = Cleaner.create();

    final CudaDevice device;
    final MemorySegment handle;
    private final boolean timing;
    private volatile boolean recorded;

    Event(CudaDevice device, boolean enableTiming) {
        this.device = device;
        this.timing = enableTiming;
        device.makeCurrent();
        MemorySegment h = Driver.eventCreate(enableTiming ? 0 : 2 /* CU_EVENT_DISABLE_TIMING */);
        this.handle = h;
        CLEANER.register(this, () -> {
            try {
                device.makeCurrent();
                Driver.eventDestroy(h);
            } catch (Throwable ignored) {
                // the context may already be gone at exit
            }
        });
    }

    /** Records the event on the calling thread's current stream. */
    public Event record() { return record(device.currentStream()); }

    public Event record(Stream stream) {
        device.makeCurrent();
        Driver.eventRecord(handle, stream.handle);
        recorded = true;
        return this;
    }

    /** Waits until the work before the recorded point has finished. */
    public void synchronize() {
        if (!recorded) return;
        device.makeCurrent();
        Driver.eventSynchronize(handle);
    }

    /** True when the recorded work has finished (or the event was never recorded). */
    public boolean query() {
        if (!recorded) return true;
        device.makeCurrent();
        return Driver.eventQuery(handle);
    }

    /** Makes future work on {@code stream} wait for this event. */
    public void wait(Stream stream) { stream.waitEvent(this); }

    /** Milliseconds between this event and {@code end}, like {@code start.elapsed_time(end)}; both need timing enabled. */
    public float elapsedTime(Event end) {
        if (!timing || !end.timing)
            throw new IllegalStateException("Both events must be created with enable_timing=True to measure elapsed time");
        if (!recorded || !end.recorded)
            throw new IllegalStateException("Both events must be recorded before calculating elapsed time.");
        device.makeCurrent();
        return Driver.eventElapsedTime(handle, end.handle);
    }

    @Override public String toString() { return "<torch.cuda.Event 0x" + Long.toHexString(handle.address()) + ">"; }
}
