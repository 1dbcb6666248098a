package dev.jtorch;

import dev.jtorch.backend.Backends;

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
}
