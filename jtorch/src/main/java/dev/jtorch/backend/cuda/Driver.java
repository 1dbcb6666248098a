package dev.jtorch.backend.cuda;

import static dev.jtorch.backend.cuda.Native.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver API (libcuda.so.1) through FFM. Every call checks its CUresult and throws a
 * {@link CudaException} naming the error. Device pointers are {@code long}; handles (contexts,
 * streams, events, modules, functions) are {@link MemorySegment} addresses.
 */
final class Driver {
    private Driver() {}

    static final int CUDA_SUCCESS = 0;
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;
    static final int CUDA_ERROR_NOT_READY = 600;

    static final int ATTR_MAX_THREADS_PER_BLOCK = 1;
    static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    static final int ATTR_MAX_THREADS_PER_MULTIPROCESSOR = 39;
    static final int ATTR_CC_MAJOR = 75;
    static final int ATTR_CC_MINOR = 76;
    static final int ATTR_MAX_SHARED_PER_BLOCK_OPTIN = 97;

    private static final String LIB = "libcuda.so.1";
    private static final SymbolLookup lib = SymbolLookup.libraryLookup(LIB, Arena.global());

    private static MethodHandle h(FunctionDescriptor fd, String... names) { return required(lib, LIB, fd, names); }

    private static final MethodHandle cuInit = h(FunctionDescriptor.of(I, I), "cuInit");
    private static final MethodHandle cuDriverGetVersion = h(FunctionDescriptor.of(I, P), "cuDriverGetVersion");
    private static final MethodHandle cuDeviceGetCount = h(FunctionDescriptor.of(I, P), "cuDeviceGetCount");
    private static final MethodHandle cuDeviceGet = h(FunctionDescriptor.of(I, P, I), "cuDeviceGet");
    private static final MethodHandle cuDeviceGetName = h(FunctionDescriptor.of(I, P, I, I), "cuDeviceGetName");
    private static final MethodHandle cuDeviceGetAttribute = h(FunctionDescriptor.of(I, P, I, I), "cuDeviceGetAttribute");
    private static final MethodHandle cuDeviceTotalMem = h(FunctionDescriptor.of(I, P, I), "cuDeviceTotalMem_v2", "cuDeviceTotalMem");
    private static final MethodHandle cuDevicePrimaryCtxRetain = h(FunctionDescriptor.of(I, P, I), "cuDevicePrimaryCtxRetain");
    private static final MethodHandle cuCtxSetCurrent = h(FunctionDescriptor.of(I, P), "cuCtxSetCurrent");
    private static final MethodHandle cuCtxSynchronize = h(FunctionDescriptor.of(I), "cuCtxSynchronize");
    private static final MethodHandle cuMemAlloc = h(FunctionDescriptor.of(I, P, J), "cuMemAlloc_v2");
    private static final MethodHandle cuMemFree = h(FunctionDescriptor.of(I, J), "cuMemFree_v2");
    private static final MethodHandle cuMemGetInfo = h(FunctionDescriptor.of(I, P, P), "cuMemGetInfo_v2");
    private static final MethodHandle cuMemAllocHost = h(FunctionDescriptor.of(I, P, J), "cuMemAllocHost_v2", "cuMemAllocHost");
    private static final MethodHandle cuMemFreeHost = h(FunctionDescriptor.of(I, P), "cuMemFreeHost");
    private static final MethodHandle cuMemcpyHtoDAsync = h(FunctionDescriptor.of(I, J, P, J, P), "cuMemcpyHtoDAsync_v2");
    private static final MethodHandle cuMemcpyDtoHAsync = h(FunctionDescriptor.of(I, P, J, J, P), "cuMemcpyDtoHAsync_v2");
    private static final MethodHandle cuMemcpyDtoDAsync = h(FunctionDescriptor.of(I, J, J, J, P), "cuMemcpyDtoDAsync_v2");
    /** Synchronous copies that take Java heap arrays directly (critical: the GC holds still for the call). */
    private static final MethodHandle cuMemcpyHtoDHeap = requiredCritical(lib, LIB, FunctionDescriptor.of(I, J, P, J, P), "cuMemcpyHtoDAsync_v2");
    private static final MethodHandle cuMemcpyDtoHHeap = requiredCritical(lib, LIB, FunctionDescriptor.of(I, P, J, J, P), "cuMemcpyDtoHAsync_v2");
    private static final MethodHandle cuMemsetD8Async = h(FunctionDescriptor.of(I, J, java.lang.foreign.ValueLayout.JAVA_BYTE, J, P), "cuMemsetD8Async");
    private static final MethodHandle cuMemsetD16Async = h(FunctionDescriptor.of(I, J, java.lang.foreign.ValueLayout.JAVA_SHORT, J, P), "cuMemsetD16Async");
    private static final MethodHandle cuMemsetD32Async = h(FunctionDescriptor.of(I, J, I, J, P), "cuMemsetD32Async");
    private static final MethodHandle cuStreamCreate = h(FunctionDescriptor.of(I, P, I), "cuStreamCreate");
    private static final MethodHandle cuStreamDestroy = h(FunctionDescriptor.of(I, P), "cuStreamDestroy_v2", "cuStreamDestroy");
    private static final MethodHandle cuStreamSynchronize = h(FunctionDescriptor.of(I, P), "cuStreamSynchronize");
    private static final MethodHandle cuStreamQuery = h(FunctionDescriptor.of(I, P), "cuStreamQuery");
    private static final MethodHandle cuStreamWaitEvent = h(FunctionDescriptor.of(I, P, P, I), "cuStreamWaitEvent");
    private static final MethodHandle cuEventCreate = h(FunctionDescriptor.of(I, P, I), "cuEventCreate");
    private static final MethodHandle cuEventRecord = h(FunctionDescriptor.of(I, P, P), "cuEventRecord");
    private static final MethodHandle cuEventSynchronize = h(FunctionDescriptor.of(I, P), "cuEventSynchronize");
    private static final MethodHandle cuEventQuery = h(FunctionDescriptor.of(I, P), "cuEventQuery");
    private static final MethodHandle cuEventElapsedTime = h(FunctionDescriptor.of(I, P, P, P), "cuEventElapsedTime_v2", "cuEventElapsedTime");
    private static final MethodHandle cuEventDestroy = h(FunctionDescriptor.of(I, P), "cuEventDestroy_v2", "cuEventDestroy");
    private static final MethodHandle cuModuleLoadData = h(FunctionDescriptor.of(I, P, P), "cuModuleLoadData");
    private static final MethodHandle cuModuleGetFunction = h(FunctionDescriptor.of(I, P, P, P), "cuModuleGetFunction");
    private static final MethodHandle cuFuncSetAttribute = h(FunctionDescriptor.of(I, P, I, I), "cuFuncSetAttribute");
    private static final MethodHandle cuLaunchKernel = h(FunctionDescriptor.of(I, P, I, I, I, I, I, I, I, P, P, P), "cuLaunchKernel");
    private static final MethodHandle cuGetErrorName = h(FunctionDescriptor.of(I, I, P), "cuGetErrorName");
    private static final MethodHandle cuGetErrorString = h(FunctionDescriptor.of(I, I, P), "cuGetErrorString");

    // ---------------------------------------------------------------- errors

    static String errorName(int rc) {
        try {
            MemorySegment s = scratch();
            int r = (int) cuGetErrorName.invokeExact(rc, s);
            return r == 0 ? cString(s.get(P, 0)) : "CUDA_ERROR_" + rc;
        } catch (Throwable t) {
            return "CUDA_ERROR_" + rc;
        }
    }

    static String errorString(int rc) {
        try {
            MemorySegment s = scratch();
            int r = (int) cuGetErrorString.invokeExact(rc, s);
            return r == 0 ? cString(s.get(P, 0)) : "unknown error";
        } catch (Throwable t) {
            return "unknown error";
        }
    }

    static void check(int rc, String call) {
        if (rc != CUDA_SUCCESS) throw error(rc, call);
    }

    static CudaException error(int rc, String call) {
        String name = errorName(rc);
        return new CudaException("CUDA error: " + errorString(rc) + " (" + name + ") in " + call, rc, name);
    }

    // ---------------------------------------------------------------- init and devices

    /** cuInit(0); returns the CUresult rather than throwing, so a probe can report it. */
    static int init() {
        try { return (int) cuInit.invokeExact(0); } catch (Throwable t) { throw rethrow(t); }
    }

    static int driverVersion() {
        try {
            MemorySegment s = scratch();
            check((int) cuDriverGetVersion.invokeExact(s), "cuDriverGetVersion");
            return s.get(I, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static int deviceCount() {
        try {
            MemorySegment s = scratch();
            check((int) cuDeviceGetCount.invokeExact(s), "cuDeviceGetCount");
            return s.get(I, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static int deviceGet(int ordinal) {
        try {
            MemorySegment s = scratch();
            check((int) cuDeviceGet.invokeExact(s, ordinal), "cuDeviceGet");
            return s.get(I, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static String deviceName(int dev) {
        try {
            MemorySegment s = scratch();
            check((int) cuDeviceGetName.invokeExact(s, 256, dev), "cuDeviceGetName");
            return s.getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static int attribute(int attr, int dev) {
        try {
            MemorySegment s = scratch();
            check((int) cuDeviceGetAttribute.invokeExact(s, attr, dev), "cuDeviceGetAttribute");
            return s.get(I, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static long totalMem(int dev) {
        try {
            MemorySegment s = scratch();
            check((int) cuDeviceTotalMem.invokeExact(s, dev), "cuDeviceTotalMem");
            return s.get(J, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static MemorySegment primaryCtxRetain(int dev) {
        try {
            MemorySegment s = scratch();
            check((int) cuDevicePrimaryCtxRetain.invokeExact(s, dev), "cuDevicePrimaryCtxRetain");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void ctxSetCurrent(MemorySegment ctx) {
        try { check((int) cuCtxSetCurrent.invokeExact(ctx), "cuCtxSetCurrent"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void ctxSynchronize() {
        try { check((int) cuCtxSynchronize.invokeExact(), "cuCtxSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- memory

    /** cuMemAlloc; returns 0 on CUDA_ERROR_OUT_OF_MEMORY so the caller can free caches and retry. */
    static long memAllocOrZero(long bytes) {
        try {
            MemorySegment s = scratch();
            int rc = (int) cuMemAlloc.invokeExact(s, bytes);
            if (rc == CUDA_ERROR_OUT_OF_MEMORY) return 0;
            check(rc, "cuMemAlloc(" + bytes + " bytes)");
            return s.get(J, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void memFree(long ptr) {
        try { check((int) cuMemFree.invokeExact(ptr), "cuMemFree"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** {free, total} bytes. */
    static long[] memGetInfo() {
        try {
            MemorySegment s = scratch();
            check((int) cuMemGetInfo.invokeExact(s, s.asSlice(8)), "cuMemGetInfo");
            return new long[]{s.get(J, 0), s.get(J, 8)};
        } catch (Throwable t) { throw rethrow(t); }
    }

    static MemorySegment memAllocHost(long bytes) {
        try {
            MemorySegment s = scratch();
            check((int) cuMemAllocHost.invokeExact(s, bytes), "cuMemAllocHost(" + bytes + " bytes)");
            return s.get(P, 0).reinterpret(bytes);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** cuMemAllocHost; null on CUDA_ERROR_OUT_OF_MEMORY so the caller can collect and retry. */
    static MemorySegment memAllocHostOrNull(long bytes) {
        try {
            MemorySegment s = scratch();
            int rc = (int) cuMemAllocHost.invokeExact(s, bytes);
            if (rc == CUDA_ERROR_OUT_OF_MEMORY) return null;
            check(rc, "cuMemAllocHost(" + bytes + " bytes)");
            return s.get(P, 0).reinterpret(bytes);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void memFreeHost(MemorySegment p) {
        try { check((int) cuMemFreeHost.invokeExact(p), "cuMemFreeHost"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memcpyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoDAsync"); } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * Host-to-device copy straight from a heap segment (a Java array), queued on {@code stream}. Pageable
     * memory is staged by the driver before the call returns, so the array is free to move afterwards.
     */
    static void memcpyHtoDHeap(long dst, MemorySegment heapSrc, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyHtoDHeap.invokeExact(dst, heapSrc, bytes, stream), "cuMemcpyHtoDAsync"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Device-to-host copy straight into a heap segment (a Java array); returns once the copy is complete (pageable memory). */
    static void memcpyDtoHHeap(MemorySegment heapDst, long src, long bytes, MemorySegment stream) {
        try { check((int) cuMemcpyDtoHHeap.invokeExact(heapDst, src, bytes, stream), "cuMemcpyDtoHAsync"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memsetD8Async(long dst, byte v, long n, MemorySegment stream) {
        try { check((int) cuMemsetD8Async.invokeExact(dst, v, n, stream), "cuMemsetD8Async"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memsetD16Async(long dst, short v, long n, MemorySegment stream) {
        try { check((int) cuMemsetD16Async.invokeExact(dst, v, n, stream), "cuMemsetD16Async"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void memsetD32Async(long dst, int v, long n, MemorySegment stream) {
        try { check((int) cuMemsetD32Async.invokeExact(dst, v, n, stream), "cuMemsetD32Async"); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- streams and events

    static MemorySegment streamCreate(int flags) {
        try {
            MemorySegment s = scratch();
            check((int) cuStreamCreate.invokeExact(s, flags), "cuStreamCreate");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void streamDestroy(MemorySegment stream) {
        try { check((int) cuStreamDestroy.invokeExact(stream), "cuStreamDestroy"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void streamSynchronize(MemorySegment stream) {
        try { check((int) cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    /** True when all work on the stream is done. */
    static boolean streamQuery(MemorySegment stream) {
        try {
            int rc = (int) cuStreamQuery.invokeExact(stream);
            if (rc == CUDA_ERROR_NOT_READY) return false;
            check(rc, "cuStreamQuery");
            return true;
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void streamWaitEvent(MemorySegment stream, MemorySegment event) {
        try { check((int) cuStreamWaitEvent.invokeExact(stream, event, 0), "cuStreamWaitEvent"); } catch (Throwable t) { throw rethrow(t); }
    }

    static MemorySegment eventCreate(int flags) {
        try {
            MemorySegment s = scratch();
            check((int) cuEventCreate.invokeExact(s, flags), "cuEventCreate");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void eventRecord(MemorySegment event, MemorySegment stream) {
        try { check((int) cuEventRecord.invokeExact(event, stream), "cuEventRecord"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void eventSynchronize(MemorySegment event) {
        try { check((int) cuEventSynchronize.invokeExact(event), "cuEventSynchronize"); } catch (Throwable t) { throw rethrow(t); }
    }

    static boolean eventQuery(MemorySegment event) {
        try {
            int rc = (int) cuEventQuery.invokeExact(event);
            if (rc == CUDA_ERROR_NOT_READY) return false;
            check(rc, "cuEventQuery");
            return true;
        } catch (Throwable t) { throw rethrow(t); }
    }

    static float eventElapsedTime(MemorySegment start, MemorySegment end) {
        try {
            MemorySegment s = scratch();
            check((int) cuEventElapsedTime.invokeExact(s, start, end), "cuEventElapsedTime");
            return s.get(F, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void eventDestroy(MemorySegment event) {
        try { check((int) cuEventDestroy.invokeExact(event), "cuEventDestroy"); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- modules and launches

    static MemorySegment moduleLoadData(MemorySegment image) {
        try {
            MemorySegment s = scratch();
            check((int) cuModuleLoadData.invokeExact(s, image), "cuModuleLoadData");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static int moduleLoadDataRc(MemorySegment image, MemorySegment out) {
        try { return (int) cuModuleLoadData.invokeExact(out, image); } catch (Throwable t) { throw rethrow(t); }
    }

    static MemorySegment moduleGetFunction(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = scratch();
            check((int) cuModuleGetFunction.invokeExact(s, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return s.get(P, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    static void funcSetAttribute(MemorySegment f, int attr, int value) {
        try { check((int) cuFuncSetAttribute.invokeExact(f, attr, value), "cuFuncSetAttribute"); } catch (Throwable t) { throw rethrow(t); }
    }

    static void launch(MemorySegment f, int gx, int gy, int gz, int bx, int by, int bz, int smem, MemorySegment stream,
                       MemorySegment params, KernelCache.Spec what) {
        int rc;
        try {
            rc = (int) cuLaunchKernel.invokeExact(f, gx, gy, gz, bx, by, bz, smem, stream, params, MemorySegment.NULL);
        } catch (Throwable t) { throw rethrow(t); }
        if (rc != 0) throw error(rc, "cuLaunchKernel(" + what.key() + ", grid " + gx + "x" + gy + "x" + gz + ", block " + bx + ")");
    }
}
