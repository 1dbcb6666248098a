package dev.jtorch.backend.cuda;

import dev.jtorch.Device;
import java.lang.foreign.MemorySegment;

/** One GPU: its primary context, properties, allocator, kernel cache, streams and cuBLAS handle. */
final class CudaDevice {
    final int ordinal;
    final Device device;
    final int cuDevice;
    final MemorySegment ctx;
    final String name;
    final int ccMajor, ccMinor, smCount, maxThreadsPerSm;
    final long totalMemory;
    final int driverVersion;
    final Allocator allocator;
    final PinnedPool pinned;
    final KernelCache kernels;
    final Stream defaultStream;
    private final ThreadLocal<Stream> current;
    private final ThreadLocal<Boolean> contextSet = new ThreadLocal<>();
    private MemorySegment cublasHandle;
    private MemorySegment cublasStream;
    private int cublasMathMode = -1;

    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        this.device = new Device(Device.Type.CUDA, ordinal);
        this.driverVersion = Driver.driverVersion();
        this.cuDevice = Driver.deviceGet(ordinal);
        this.ctx = Driver.primaryCtxRetain(cuDevice);
        Driver.ctxSetCurrent(ctx);
        this.name = Driver.deviceName(cuDevice);
        this.ccMajor = Driver.attribute(Driver.ATTR_CC_MAJOR, cuDevice);
        this.ccMinor = Driver.attribute(Driver.ATTR_CC_MINOR, cuDevice);
        this.smCount = Driver.attribute(Driver.ATTR_MULTIPROCESSOR_COUNT, cuDevice);
        this.maxThreadsPerSm = Driver.attribute(Driver.ATTR_MAX_THREADS_PER_MULTIPROCESSOR, cuDevice);
        this.totalMemory = Driver.totalMem(cuDevice);
        this.allocator = new Allocator(this);
        this.pinned = PinnedPool.of(this);
        this.kernels = new KernelCache(this);
        this.defaultStream = new Stream(this, MemorySegment.NULL);
        this.current = ThreadLocal.withInitial(() -> defaultStream);
    }

    /** Makes this device's context current on the calling thread (cheap after the first time on a platform thread). */
    void makeCurrent() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Driver.ctxSetCurrent(ctx);
            return;
        }
        if (contextSet.get() == null) {
            Driver.ctxSetCurrent(ctx);
            contextSet.set(Boolean.TRUE);
        }
    }

    Stream currentStream() { return current.get(); }

    void setCurrentStream(Stream s) {
        if (s.device != this) throw new IllegalArgumentException("stream " + s + " belongs to another device");
        current.set(s);
    }

    int computeCapability() { return ccMajor * 10 + ccMinor; }

    /** The cuBLAS handle, bound to {@code stream} and the given math mode. */
    synchronized MemorySegment cublas(Cublas lib, MemorySegment stream, int mathMode) {
        if (cublasHandle == null) {
            makeCurrent();
            cublasHandle = lib.createHandle();
        }
        if (cublasStream == null || !cublasStream.equals(stream)) {
            lib.setStream(cublasHandle, stream);
            cublasStream = stream;
        }
        if (cublasMathMode != mathMode) {
            lib.setMathMode(cublasHandle, mathMode);
            cublasMathMode = mathMode;
        }
        return cublasHandle;
    }
}
