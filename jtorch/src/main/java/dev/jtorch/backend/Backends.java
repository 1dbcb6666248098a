package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.cpu.CpuBackend;
import dev.jtorch.backend.cpu.Parallel;
import dev.jtorch.backend.cuda.Cuda;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the backend for a device, creating accelerator backends lazily on first use. */
public final class Backends {
    private static final Map<Device, Backend> backends = new ConcurrentHashMap<>();
    private static final Backend CPU = new CpuBackend();

    private Backends() {}

    public static Backend cpu() { return CPU; }

    public static Backend of(Device device) {
        if (!device.isCuda()) return CPU;
        Device key = device.index() < 0 ? new Device(Device.Type.CUDA, 0) : device;
        return backends.computeIfAbsent(key, Backends::createCuda);
    }

    private static Backend createCuda(Device device) {
        int count = cudaDeviceCount();
        if (count == 0) throw new IllegalStateException("Torch not compiled with CUDA enabled: no CUDA driver or GPU was found (" + Cuda.unavailableReason() + ")");
        if (device.index() >= count)
            throw new IllegalArgumentException("CUDA error: invalid device ordinal: device " + device.index() + " of " + count);
        return Cuda.createBackend(device);
    }

    /** GPUs visible through the CUDA driver; 0 when there is no driver. */
    public static int cudaDeviceCount() { return Cuda.deviceCount(); }

    /**
     * Pinned host memory for {@code x.pinMemory()}: page-locked by the accelerator (CUDA device 0, as PyTorch's
     * default), with PyTorch's message when there is none.
     */
    public static Storage allocatePinned(DType dtype, long numel) {
        if (cudaDeviceCount() == 0) throw new IllegalStateException(Cuda.NO_ACCELERATOR);
        return of(new Device(Device.Type.CUDA, 0)).allocatePinned(dtype, numel);
    }

    /** The CPU backend's intra-op threads, like {@code torch.set_num_threads}. */
    public static void setCpuThreads(int n) { Parallel.setNumThreads(n); }

    public static int cpuThreads() { return Parallel.getNumThreads(); }
}
