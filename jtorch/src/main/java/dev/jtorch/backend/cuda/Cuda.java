package dev.jtorch.backend.cuda;

import dev.jtorch.Device;
import dev.jtorch.backend.Backend;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Entry point of the CUDA backend: finds the driver through FFM; a machine without one simply has no GPUs. */
public final class Cuda {
    private Cuda() {}

    private static final Object lock = new Object();
    private static volatile Integer count;
    private static volatile String reason = "not probed";

    /** The number of GPUs the driver reports, 0 when there is no usable driver. */
    public static int deviceCount() {
        Integer c = count;
        if (c != null) return c;
        synchronized (lock) {
            if (count == null) count = probe();
            return count;
        }
    }

    public static String unavailableReason() { return reason; }

    private static int probe() {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            MethodHandle init = linker.downcallHandle(lib.find("cuInit").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle getCount = linker.downcallHandle(lib.find("cuDeviceGetCount").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            int rc = (int) init.invokeExact(0);
            if (rc != 0) { reason = "cuInit returned " + rc; return 0; }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment n = a.allocate(ValueLayout.JAVA_INT);
                rc = (int) getCount.invokeExact(n);
                if (rc != 0) { reason = "cuDeviceGetCount returned " + rc; return 0; }
                return n.get(ValueLayout.JAVA_INT, 0);
            }
        } catch (IllegalArgumentException | IllegalCallerException e) {
            reason = "libcuda.so.1 not found";
            return 0;
        } catch (Throwable t) {
            reason = t.toString();
            return 0;
        }
    }

    public static String deviceName(int device) {
        if (deviceCount() == 0) throw new IllegalStateException("Torch not compiled with CUDA enabled: no CUDA driver or GPU was found (" + reason + ")");
        throw new UnsupportedOperationException("torch.cuda.get_device_name is not implemented yet");
    }

    public static void manualSeed(long seed) {}

    public static Backend createBackend(Device device) {
        throw new UnsupportedOperationException("CUDA tensors are not implemented yet in this build");
    }
}
