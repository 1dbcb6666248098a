package dev.jtorch.backend;

import dev.jtorch.Device;
import dev.jtorch.backend.cpu.CpuBackend;
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

    public static String cudaDeviceName(int device) { return Cuda.deviceName(device); }

    public static void cudaManualSeed(long seed) { Cuda.manualSeed(seed); }

    /** Pushes {@code torch.set_float32_matmul_precision} ("highest", "high", "medium") to the CUDA backend's matmuls. */
    public static void cudaSetFloat32MatmulPrecision(String precision) { Cuda.setFloat32MatmulPrecision(precision); }
}
