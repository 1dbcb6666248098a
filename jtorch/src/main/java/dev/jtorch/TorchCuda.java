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
    public int deviceCount() { return Cuda.deviceCount(); }

    /** Like {@code torch.cuda.get_device_name(i)}. */
    public String getDeviceName(int device) { return Cuda.deviceName(device); }

    public String getDeviceName() { return getDeviceName(0); }

    /** Waits for all queued GPU work, like {@code torch.cuda.synchronize()}. */
    public void synchronize() {
        if (!isAvailable()) throw new IllegalStateException("Torch not compiled with CUDA enabled");
        Backends.of(Device.of("cuda")).synchronize();
    }

    // ---------------------------------------------------------------- random numbers

    /**
     * Seeds the current device's generator, like {@code torch.cuda.manual_seed(seed)}. Random tensors on
     * CUDA ({@code rand}, {@code randn}, {@code randint}, {@code uniform_}, {@code normal_},
     * {@code bernoulli}, {@code random_}) are drawn on the device by its Philox generator, the numbers
     * PyTorch's CUDA generator gives for the same seed. Needs no GPU: seeds set before CUDA is used apply.
     */
    public void manualSeed(long seed) { Cuda.generator(0).manualSeed(seed); }

    /** Seeds every device's generator, like {@code torch.cuda.manual_seed_all(seed)} ({@code Torch.manualSeed} does this too). */
    public void manualSeedAll(long seed) { Cuda.manualSeed(seed); }

    /** Seeds the current device's generator non-deterministically, like {@code torch.cuda.seed()}. */
    public void seed() { Cuda.generator(0).seed(); }

    /** Seeds every device's generator with one non-deterministic seed, like {@code torch.cuda.seed_all()}. */
    public void seedAll() { Cuda.manualSeed(Cuda.generator(0).seed()); }

    /** The current device's seed, like {@code torch.cuda.initial_seed()}. */
    public long initialSeed() { return Cuda.initialSeed(); }

    /** Device {@code device}'s generator, like {@code torch.cuda.default_generators[device]}. */
    public dev.jtorch.backend.cuda.CudaGenerator defaultGenerator(int device) { return Cuda.generator(device); }

    /** The generator state (seed and offset, 16 bytes), like {@code torch.cuda.get_rng_state()}. */
    public byte[] getRngState() { return getRngState(0); }

    public byte[] getRngState(int device) { return Cuda.generator(device).getState(); }

    /** Like {@code torch.cuda.set_rng_state(state)}. */
    public void setRngState(byte[] state) { setRngState(state, 0); }

    public void setRngState(byte[] state, int device) { Cuda.generator(device).setState(state); }

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

    // ---------------------------------------------------------------- settings reached from torch.backends

    /** Pushes {@code torch.set_float32_matmul_precision} ("highest", "high", "medium") to the CUDA matmuls. */
    static void setFloat32MatmulPrecision(String precision) { Cuda.setFloat32MatmulPrecision(precision); }

    private void requireCuda() {
        if (!isAvailable()) throw new IllegalStateException("Torch not compiled with CUDA enabled (" + Cuda.unavailableReason() + ")");
    }
}
