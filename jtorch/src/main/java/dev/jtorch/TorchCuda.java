package dev.jtorch;

import dev.jtorch.backend.Backends;
import dev.jtorch.backend.cuda.Cuda;
import dev.jtorch.backend.cuda.Event;
import dev.jtorch.backend.cuda.Stream;
import java.util.Map;

/** The {@code torch.cuda} namespace. */
public final class TorchCuda {
    TorchCuda() {}

    /** True when a CUDA driver and at least one GPU are present, like {@code torch.cuda.is_available()}. */
    public boolean isAvailable() { return deviceCount() > 0; }

    /** Like {@code torch.cuda.device_count()}. */
    public int deviceCount() { return Backends.cudaDeviceCount(); }

    /** Like {@code torch.cuda.get_device_name(i)}. */
    public String getDeviceName(int device) { return Backends.cudaDeviceName(device); }

    public String getDeviceName() { return getDeviceName(0); }

    /** Waits for all queued GPU work, like {@code torch.cuda.synchronize()}. */
    public void synchronize() {
        if (!isAvailable()) throw new IllegalStateException("Torch not compiled with CUDA enabled");
        Backends.of(Device.of("cuda")).synchronize();
    }

    /** Seeds the CUDA generators, like {@code torch.cuda.manual_seed(seed)}. */
    public void manualSeed(long seed) { Backends.cudaManualSeed(seed); }

    /** Like {@code torch.cuda.manual_seed_all(seed)}. */
    public void manualSeedAll(long seed) { manualSeed(seed); }

    /** Like {@code torch.cuda.current_device()}: jtorch uses device 0 unless a tensor names another. */
    public int currentDevice() {
        requireCuda();
        return 0;
    }

    /** (major, minor), like {@code torch.cuda.get_device_capability()}. */
    public int[] getDeviceCapability() { return getDeviceCapability(0); }

    public int[] getDeviceCapability(int device) {
        requireCuda();
        return Cuda.deviceCapability(device);
    }

    // ---------------------------------------------------------------- memory

    /** Bytes held by live tensors, like {@code torch.cuda.memory_allocated()}. */
    public long memoryAllocated() { return memoryAllocated(0); }

    public long memoryAllocated(int device) { return Cuda.memoryAllocated(device); }

    /** The peak of {@link #memoryAllocated()}, like {@code torch.cuda.max_memory_allocated()}. */
    public long maxMemoryAllocated() { return maxMemoryAllocated(0); }

    public long maxMemoryAllocated(int device) { return Cuda.maxMemoryAllocated(device); }

    /** Bytes held by the caching allocator (live plus cached), like {@code torch.cuda.memory_reserved()}. */
    public long memoryReserved() { return memoryReserved(0); }

    public long memoryReserved(int device) { return Cuda.memoryReserved(device); }

    public long maxMemoryReserved() { return Cuda.maxMemoryReserved(0); }

    /** Like {@code torch.cuda.reset_peak_memory_stats()}. */
    public void resetPeakMemoryStats() { Cuda.resetPeakMemoryStats(0); }

    /** A few of {@code torch.cuda.memory_stats()}'s counters, under PyTorch's key names. */
    public Map<String, Long> memoryStats() { return Cuda.memoryStats(0); }

    /** Returns cached, unused blocks to the driver, like {@code torch.cuda.empty_cache()}. */
    public void emptyCache() { Cuda.emptyCache(); }

    /** {free, total} bytes, like {@code torch.cuda.mem_get_info()}. */
    public long[] memGetInfo() {
        requireCuda();
        return Cuda.memGetInfo(0);
    }

    // ---------------------------------------------------------------- streams and events

    /** A new stream, like {@code torch.cuda.Stream()}; make it current with {@code try (var g = s.use()) {...}}. */
    public Stream Stream() {
        requireCuda();
        return Cuda.newStream(0);
    }

    /** The calling thread's current stream, like {@code torch.cuda.current_stream()}. */
    public Stream currentStream() {
        requireCuda();
        return Cuda.currentStream(0);
    }

    /** Like {@code torch.cuda.default_stream()}. */
    public Stream defaultStream() {
        requireCuda();
        return Cuda.defaultStream(0);
    }

    /** Makes {@code s} current until the guard closes, like {@code with torch.cuda.stream(s):}. */
    public Stream.Guard stream(Stream s) { return s.use(); }

    /** An event without timing, like {@code torch.cuda.Event()}. */
    public Event Event() { return Event(false); }

    /** Like {@code torch.cuda.Event(enable_timing=True)}. */
    public Event Event(boolean enableTiming) {
        requireCuda();
        return Cuda.newEvent(0, enableTiming);
    }

    private void requireCuda() {
        if (!isAvailable()) throw new IllegalStateException("Torch not compiled with CUDA enabled (" + Cuda.unavailableReason() + ")");
    }
}
