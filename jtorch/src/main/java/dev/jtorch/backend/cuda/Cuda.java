package dev.jtorch.backend.cuda;

import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import java.util.Map;

/**
 * Entry point of the CUDA backend. The driver (libcuda.so.1) is found through FFM; a machine without
 * one simply has no GPUs ({@link #deviceCount()} is 0 and {@link #unavailableReason()} says why).
 * NVRTC and cuBLAS are loaded on first use (see {@link Nvrtc} and {@link Cublas} for where they are
 * looked for).
 */
public final class Cuda {
    private Cuda() {}

    private static final Object lock = new Object();
    private static volatile Integer count;
    private static volatile String reason = "not probed";
    private static volatile CudaDevice[] devices;
    private static final Map<Integer, CudaGenerator> generators = new java.util.HashMap<>();
    /** The seed a generator created from now on starts with ({@code torch.manual_seed} before CUDA is used). */
    private static long pendingSeed = CudaGenerator.DEFAULT_SEED;

    /** The number of GPUs the driver reports, 0 when there is no usable driver. */
    public static int deviceCount() {
        Integer c = count;
        if (c != null) return c;
        synchronized (lock) {
            if (count == null) count = probe();
            return count;
        }
    }

    /** Why {@link #deviceCount()} is 0 (or "ok"). */
    public static String unavailableReason() {
        deviceCount();
        return reason;
    }

    private static int probe() {
        if ("false".equals(System.getProperty("jtorch.cuda.enabled"))) {
            reason = "disabled by -Djtorch.cuda.enabled=false";
            return 0;
        }
        try {
            int rc = Driver.init();
            if (rc != 0) {
                reason = "cuInit failed: " + Driver.errorName(rc) + " (" + Driver.errorString(rc) + ")";
                return 0;
            }
            int n = Driver.deviceCount();
            reason = n == 0 ? "the CUDA driver reports no GPU" : "ok";
            devices = new CudaDevice[n];
            return n;
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            reason = cause instanceof IllegalArgumentException ? "libcuda.so.1 (the CUDA driver) not found" : cause.toString();
            return 0;
        } catch (IllegalArgumentException | IllegalCallerException | UnsatisfiedLinkError e) {
            reason = "libcuda.so.1 (the CUDA driver) not found: " + e.getMessage();
            return 0;
        } catch (Throwable t) {
            reason = t.toString();
            return 0;
        }
    }

    private static void checkAvailable() {
        if (deviceCount() == 0) throw new IllegalStateException("Torch not compiled with CUDA enabled: no CUDA driver or GPU was found (" + reason + ")");
    }

    static CudaDevice device(int index) {
        checkAvailable();
        int i = index < 0 ? 0 : index;
        if (i >= devices.length) throw new IllegalArgumentException("CUDA error: invalid device ordinal: device " + i + " of " + devices.length);
        CudaDevice d = devices[i];
        if (d != null) return d;
        synchronized (lock) {
            if (devices[i] == null) devices[i] = new CudaDevice(i);
            return devices[i];
        }
    }

    /** The first initialized device, or device 0. */
    private static CudaDevice current() { return device(0); }

    /** Like {@code torch.cuda.get_device_name(i)}. */
    public static String deviceName(int device) {
        checkAvailable();
        if (device < 0 || device >= devices.length) throw new IllegalArgumentException("Invalid device id " + device);
        CudaDevice d = devices[device];
        if (d != null) return d.name;
        Driver.init();
        return Driver.deviceName(Driver.deviceGet(device));
    }

    /** (major, minor), like {@code torch.cuda.get_device_capability(i)}. */
    public static int[] deviceCapability(int device) {
        CudaDevice d = device(device);
        return new int[]{d.ccMajor, d.ccMinor};
    }

    public static Backend createBackend(Device device) { return new CudaBackend(device(device.index())); }

    /** {multiprocessors, max resident threads per multiprocessor} of a device: what sizes random-number launches ({@link Philox#grid}). */
    public static int[] launchLimits(int device) {
        CudaDevice d = device(device);
        return new int[]{d.smCount, d.maxThreadsPerSm};
    }

    // ---------------------------------------------------------------- random numbers

    /**
     * The default generator of device {@code device} ({@code torch.cuda.default_generators[device]}). It is
     * plain state and needs no GPU: seeding before CUDA is used works as PyTorch's queued seeding does.
     */
    public static CudaGenerator generator(int device) {
        int i = Math.max(device, 0);
        synchronized (generators) {
            return generators.computeIfAbsent(i, k -> new CudaGenerator(k, pendingSeed));
        }
    }

    /** Seeds every CUDA generator, those of devices not used yet included, like {@code torch.cuda.manual_seed_all(seed)}. */
    public static void manualSeed(long s) {
        synchronized (generators) {
            pendingSeed = s;
            for (CudaGenerator g : generators.values()) g.manualSeed(s);
        }
    }

    /** The seed of device 0's generator, like {@code torch.cuda.initial_seed()}. */
    public static long initialSeed() { return generator(0).initialSeed(); }

    // ---------------------------------------------------------------- memory

    public static long memoryAllocated(int device) { return deviceCount() == 0 ? 0 : device(device).allocator.allocated(); }

    public static long maxMemoryAllocated(int device) { return deviceCount() == 0 ? 0 : device(device).allocator.peakAllocated(); }

    public static long memoryReserved(int device) { return deviceCount() == 0 ? 0 : device(device).allocator.reserved(); }

    public static long maxMemoryReserved(int device) { return deviceCount() == 0 ? 0 : device(device).allocator.peakReserved(); }

    public static void resetPeakMemoryStats(int device) { if (deviceCount() > 0) device(device).allocator.resetPeak(); }

    public static Map<String, Long> memoryStats(int device) { return deviceCount() == 0 ? Map.of() : device(device).allocator.stats(); }

    /**
     * Releases all cached, unused device memory to the driver, like {@code torch.cuda.empty_cache()}, and the
     * cached page-locked host blocks too (PyTorch's {@code torch._C._host_emptyCache()}).
     */
    public static void emptyCache() {
        if (deviceCount() == 0) return;
        for (CudaDevice d : devices)
            if (d != null) {
                d.allocator.emptyCache();
                d.pinned.emptyCache();
            }
    }

    /** {free, total} bytes on the device, like {@code torch.cuda.mem_get_info()}. */
    public static long[] memGetInfo(int device) {
        device(device).makeCurrent();
        return Driver.memGetInfo();
    }

    // ---------------------------------------------------------------- pinned host memory

    /** PyTorch's message when pinned memory is asked for and there is no accelerator. */
    public static final String NO_ACCELERATOR = "Cannot access accelerator device when none is available.";

    /**
     * Bytes of page-locked host memory held by jtorch's pinned storages and by copies still queued on the memory of
     * collected ones; blocks past both are cached for reuse ({@link #pinnedMemoryCached}).
     */
    public static long pinnedMemoryBytes() { return deviceCount() == 0 ? 0 : device(0).pinned.inUseBytes(); }

    /** Bytes of page-locked host memory cached for reuse, given back to the driver by {@link #emptyCache}. */
    public static long pinnedMemoryCached() { return deviceCount() == 0 ? 0 : device(0).pinned.cachedBytes(); }

    // ---------------------------------------------------------------- streams, events, sync

    public static void synchronize(int device) {
        CudaDevice d = device(device);
        d.makeCurrent();
        Driver.ctxSynchronize();
    }

    public static Stream newStream(int device) { return Stream.create(device(device)); }

    public static Stream currentStream(int device) { return device(device).currentStream(); }

    public static Stream defaultStream(int device) { return device(device).defaultStream; }

    public static Event newEvent(int device, boolean enableTiming) { return new Event(device(device), enableTiming); }

    // ---------------------------------------------------------------- settings and diagnostics

    /** Set by {@code torch.set_float32_matmul_precision} / {@code backends.cuda.matmul.allowTf32}: "highest", "high" or "medium". */
    public static void setFloat32MatmulPrecision(String precision) { MatmulKernels.float32Precision = precision; }

    /** Kernel-cache counters: kernels compiled, loaded from the disk cache, and milliseconds spent in NVRTC. */
    public static Map<String, Long> kernelCacheStats() {
        return Map.of("compiled", KernelCache.compiled.get(), "diskHits", KernelCache.diskHits.get(),
                "compileMillis", KernelCache.compileNanos.get() / 1_000_000);
    }

    /** Versions and library paths in use, for diagnostics. */
    public static String describe() {
        if (deviceCount() == 0) return "CUDA unavailable: " + reason;
        CudaDevice d = current();
        StringBuilder s = new StringBuilder();
        s.append(d.name).append(" (sm_").append(d.computeCapability()).append(", ").append(d.smCount).append(" SMs, ")
                .append(Allocator.fmt(d.totalMemory)).append("), driver API ").append(d.driverVersion / 1000).append('.').append(d.driverVersion % 1000 / 10);
        try { Nvrtc n = Nvrtc.get(d.driverVersion); s.append(", NVRTC ").append(n.version()).append(" (").append(n.path).append(')'); }
        catch (RuntimeException e) { s.append(", NVRTC unavailable: ").append(e.getMessage()); }
        try { s.append(", cuBLAS ").append(Cublas.get(d.driverVersion).path); }
        catch (RuntimeException e) { s.append(", cuBLAS unavailable: ").append(e.getMessage()); }
        return s.toString();
    }
}
