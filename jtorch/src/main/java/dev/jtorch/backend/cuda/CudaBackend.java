package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * The CUDA backend: device storage from a caching allocator, kernels generated per (op, dtypes,
 * layout) and compiled with NVRTC, matmul through cuBLAS. All work of a thread is queued on its
 * current {@link Stream}; results are read back through {@link #copyToHost}, which waits for it.
 *
 * <p>Semantics follow the CPU backend, with PyTorch-on-CUDA's differences where a kernel cannot
 * raise: integer division or remainder by zero gives an unspecified value instead of an error, and
 * non-accumulating index_put with duplicate indices keeps one of the values. Floating results may
 * differ from the CPU's in the last bits (float32 math in float, sums in a different order).
 */
public final class CudaBackend implements Backend {
    final CudaDevice dev;

    CudaBackend(CudaDevice dev) { this.dev = dev; }

    @Override public Device device() { return dev.device; }

    @Override public Storage allocate(DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("negative size " + numel);
        dev.makeCurrent();
        return new CudaStorage(dev, dtype, numel);
    }

    @Override public void execute(Kernel kernel) {
        dev.makeCurrent();
        switch (kernel) {
            case Kernel.Fill k -> fill(k.out(), k.value());
            case Kernel.Copy k -> copy(k.out(), k.in());
            case Kernel.Unary k -> EwKernels.run(this, EwKernels.What.UNARY, k.op(), k.out(), new Strided[]{k.in()}, 0);
            case Kernel.Binary k -> EwKernels.run(this, EwKernels.What.BINARY, k.op(), k.out(), new Strided[]{k.a(), k.b()}, 0, k.alpha());
            case Kernel.Ternary k -> {
                switch (k.op()) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case WHERE -> EwKernels.run(this, EwKernels.What.WHERE, null, k.out(), new Strided[]{k.a(), k.b(), k.c()}, 0);
                }
            }
            case Kernel.Reduce k -> ReduceKernels.run(this, k.op(), k.out(), k.in());
            case Kernel.Scan k -> ScanKernels.run(this, k.op(), k.out(), k.in(), k.dim(), k.descending());
            case Kernel.Matmul k -> MatmulKernels.run(this, k.out(), k.a(), k.b());
            case Kernel.Join k -> {
                switch (k.op()) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case CAT -> cat(k.out(), k.in(), k.dim());
                }
            }
            case Kernel.Index k -> IndexKernels.run(this, false, k.out(), k.inputs(), k.strides(), k.sizes(), false);
            case Kernel.IndexPut k -> IndexKernels.run(this, true, k.out(), k.inputs(), k.strides(), k.sizes(), k.accumulate());
        }
    }

    @Override public RandomEngine defaultGenerator() { return Cuda.generator(dev.ordinal); }

    /** Draws with one of this device's {@link CudaGenerator}s in generated Philox kernels ({@link RandomKernels}). */
    @Override public void sample(Sample s, Strided out, RandomEngine generator) {
        if (!(generator instanceof CudaGenerator g) || g.device() != dev.ordinal)
            throw new IllegalArgumentException("Expected a 'cuda:" + dev.ordinal + "' generator but found " + generator);
        dev.makeCurrent();
        RandomKernels.run(this, s, out, g);
    }

    // ---------------------------------------------------------------- fill and copy

    /** The stored bits of {@code value} in {@code t}, converted exactly as the CPU backend's FILL does. */
    static long fillBits(DType t, Number value) {
        boolean viaDouble = t.isFloatingPoint() || (t == DType.bool && !(value instanceof Long || value instanceof Integer));
        if (viaDouble) {
            double v = value.doubleValue();
            return switch (t) {
                case float32 -> Float.floatToRawIntBits((float) v) & 0xffffffffL;
                case float64 -> Double.doubleToRawLongBits(v);
                case float16 -> Float.floatToFloat16((float) v) & 0xffffL;
                case bfloat16 -> bfloat16Bits((float) v);
                case bool -> v != 0 ? 1 : 0;
                default -> throw new IllegalStateException();
            };
        }
        long v = value.longValue();
        return switch (t) {
            case bool -> v != 0 ? 1 : 0;
            case uint8, int8 -> v & 0xffL;
            case int16 -> v & 0xffffL;
            case int32 -> v & 0xffffffffL;
            default -> v;
        };
    }

    static long bfloat16Bits(float f) {
        if (Float.isNaN(f)) return 0x7fc0;
        int bits = Float.floatToRawIntBits(f);
        int bias = ((bits >>> 16) & 1) + 0x7fff;
        return ((bits + bias) >>> 16) & 0xffffL;
    }

    void fill(Strided out, Number value) {
        Operand o = Operand.of(out, dev);
        long n = out.numel();
        if (n == 0) return;
        long bits = fillBits(out.dtype(), value);
        Stream stream = dev.currentStream();
        if (out.isContiguous()) {
            prepareOutput(out, o.storage, stream);
            long addr = o.address();
            int size = out.dtype().itemSize();
            switch (size) {
                case 1 -> { Driver.memsetD8Async(addr, (byte) bits, n, stream.handle); keepAlive(out, null); return; }
                case 2 -> { Driver.memsetD16Async(addr, (short) bits, n, stream.handle); keepAlive(out, null); return; }
                case 4 -> { Driver.memsetD32Async(addr, (int) bits, n, stream.handle); keepAlive(out, null); return; }
                default -> {
                    if ((bits >>> 32) == (bits & 0xffffffffL)) {
                        Driver.memsetD32Async(addr, (int) bits, 2 * n, stream.handle);
                        keepAlive(out, null);
                        return;
                    }
                }
            }
        }
        EwKernels.run(this, EwKernels.What.FILL, null, out, new Strided[0], bits);
    }

    void copy(Strided out, Strided in) {
        if (out.numel() == 0) return;
        if (in.storage() instanceof CudaStorage cs && in.dtype() == out.dtype() && in.isContiguous() && out.isContiguous()) {
            Operand o = Operand.of(out, dev), i = Operand.of(in, dev);
            Stream stream = dev.currentStream();
            cs.materialize(stream);
            prepareOutput(out, o.storage, stream);
            if (o.address() != i.address())
                Driver.memcpyDtoDAsync(o.address(), i.address(), out.numel() * out.dtype().itemSize(), stream.handle);
            keepAlive(out, new Strided[]{in});
            return;
        }
        EwKernels.run(this, EwKernels.What.COPY, null, out, new Strided[]{in}, 0);
    }

    private void cat(Strided out, Strided[] in, int dim) {
        Operand o = Operand.of(out, dev);
        prepareOutput(out, o.storage, dev.currentStream()); // CAT writes every element of out
        long at = 0;
        for (Strided t : in) {
            copy(out.narrow(dim, at, t.shape()[dim]), t);
            at += t.shape()[dim];
        }
    }

    // ---------------------------------------------------------------- host transfers

    private static MemorySegment heap(Object array) {
        return switch (array) {
            case byte[] a -> MemorySegment.ofArray(a);
            case short[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalArgumentException("no heap segment for " + array.getClass());
        };
    }

    @Override public void copyFromHost(ArrayStorage src, Strided dst) {
        long n = dst.numel();
        if (n == 0) return;
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException("copyFromHost: " + src.dtype() + " into " + dst.dtype());
        if (src.numel() < n) throw new IllegalArgumentException("copyFromHost: " + src.numel() + " host elements for " + n);
        dev.makeCurrent();
        Operand o = Operand.of(dst, dev);
        Object array = src.array();
        if (array instanceof boolean[] b) {
            byte[] bytes = new byte[(int) n];
            for (int i = 0; i < n; i++) bytes[i] = (byte) (b[i] ? 1 : 0);
            array = bytes;
        }
        long bytes = n * dst.dtype().itemSize();
        Stream stream = dev.currentStream();
        if (dst.isContiguous()) {
            prepareOutput(dst, o.storage, stream);
            Driver.streamSynchronize(stream.handle);
            Driver.memcpyHtoDHeap(o.address(), heap(array), bytes, stream.handle);
            keepAlive(dst, null);
            return;
        }
        CudaStorage tmp = new CudaStorage(dev, dst.dtype(), n);
        tmp.needsZero = false;
        Driver.streamSynchronize(stream.handle);
        Driver.memcpyHtoDHeap(tmp.ptr, heap(array), bytes, stream.handle);
        copy(dst, new Strided(tmp, dst.dtype(), dst.shape(), Strided.contiguousStrides(dst.shape()), 0));
        tmp.release(); // stream order makes the block safe to reuse at once
    }

    @Override public ArrayStorage copyToHost(Strided src) {
        long n = src.numel();
        ArrayStorage out = ArrayStorage.allocate(src.dtype(), n);
        if (n == 0) return out;
        dev.makeCurrent();
        Operand s = Operand.of(src, dev);
        if (s.scalar) throw new IllegalArgumentException("copyToHost expects a CUDA tensor");
        Stream stream = dev.currentStream();
        s.storage.materialize(stream);
        Strided from = contiguousSource(src);
        long addr = Operand.of(from, dev).address();
        Object array = out.array();
        Object target = array instanceof boolean[] ? new byte[(int) n] : array;
        Driver.streamSynchronize(stream.handle);
        Driver.memcpyDtoHHeap(heap(target), addr, n * src.dtype().itemSize(), stream.handle);
        if (array instanceof boolean[] b) {
            byte[] bytes = (byte[]) target;
            for (int i = 0; i < n; i++) b[i] = bytes[i] != 0;
        }
        if (from != src) ((CudaStorage) from.storage()).release(); // stream order makes the block safe to reuse at once
        keepAlive(src, null);
        return out;
    }

    @Override public void synchronize() {
        dev.makeCurrent();
        Driver.ctxSynchronize();
    }

    // ---------------------------------------------------------------- pinned host memory

    /** Pinned memory from this device's {@link PinnedPool}, allocated in its context. */
    @Override public Storage allocatePinned(DType dtype, long numel) { return PinnedStorage.allocate(dev, dtype, numel); }

    /**
     * Copies {@code src}, a view of pinned host memory, into {@code dst}, a view on this device of the same dtype
     * and shape (either may be strided; {@code src} may be broadcast). The copy is queued on the current stream;
     * with {@code nonBlocking} this returns at once (the caller synchronizes the stream, or waits for an event,
     * before writing {@code src} again), otherwise it waits for the stream. A strided source is copied as the
     * span of memory it reaches and gathered on the device.
     */
    @Override public void copyFromPinned(Strided src, Strided dst, boolean nonBlocking) {
        if (!(src.storage() instanceof PinnedStorage ps)) throw new IllegalArgumentException("copyFromPinned: the source is not pinned memory");
        if (src.dtype() != dst.dtype() || ps.dtype() != src.dtype())
            throw new IllegalArgumentException("copyFromPinned: " + src.dtype() + " into " + dst.dtype());
        if (!java.util.Arrays.equals(src.shape(), dst.shape())) throw new IllegalArgumentException("copyFromPinned: shapes differ");
        long n = dst.numel();
        if (n == 0) return;
        dev.makeCurrent();
        Operand o = Operand.of(dst, dev);
        long[] span = span(src, ps);
        int item = dst.dtype().itemSize();
        long bytes = (span[1] - span[0] + 1) * item;
        MemorySegment from = ps.segment().asSlice(span[0] * item, bytes);
        Stream stream = dev.currentStream();
        if (src.isContiguous() && dst.isContiguous()) {
            prepareOutput(dst, o.storage, stream);
            Driver.memcpyHtoDAsync(o.address(), from, bytes, stream.handle);
        } else {
            CudaStorage tmp = new CudaStorage(dev, dst.dtype(), span[1] - span[0] + 1);
            tmp.needsZero = false;
            Driver.memcpyHtoDAsync(tmp.ptr, from, bytes, stream.handle);
            copy(dst, new Strided(tmp, dst.dtype(), src.shape(), src.stride(), src.offset() - span[0]));
            tmp.release(); // stream order makes the block safe to reuse at once
        }
        ps.recordUse(stream);
        o.storage.recordStream(stream);
        if (!nonBlocking) Driver.streamSynchronize(stream.handle);
        keepAlive(dst, new Strided[]{src});
    }

    /**
     * Copies {@code src}, a view on this device, into {@code dst}, a contiguous view of pinned host memory of the
     * same dtype and shape ({@code src} may be strided or broadcast: it is made contiguous on the device first).
     * Queued on the current stream; with {@code nonBlocking} this returns at once and {@code dst} holds the values
     * once the stream has passed this point, otherwise it waits for the stream.
     */
    @Override public void copyToPinned(Strided src, Strided dst, boolean nonBlocking) {
        if (!(dst.storage() instanceof PinnedStorage ps)) throw new IllegalArgumentException("copyToPinned: the destination is not pinned memory");
        if (src.dtype() != dst.dtype() || ps.dtype() != dst.dtype())
            throw new IllegalArgumentException("copyToPinned: " + src.dtype() + " into " + dst.dtype());
        if (!java.util.Arrays.equals(src.shape(), dst.shape())) throw new IllegalArgumentException("copyToPinned: shapes differ");
        if (!dst.isContiguous()) throw new IllegalArgumentException("copyToPinned: the destination must be contiguous");
        long n = dst.numel();
        if (n == 0) return;
        span(dst, ps);
        dev.makeCurrent();
        Operand s = Operand.of(src, dev);
        if (s.scalar) throw new IllegalArgumentException("copyToPinned expects a CUDA tensor");
        Stream stream = dev.currentStream();
        s.storage.materialize(stream);
        Strided from = contiguousSource(src);
        int item = dst.dtype().itemSize();
        Driver.memcpyDtoHAsync(ps.segment().asSlice(dst.offset() * item, n * item), Operand.of(from, dev).address(), n * item, stream.handle);
        ps.recordUse(stream);
        s.storage.recordStream(stream);
        if (from != src) ((CudaStorage) from.storage()).release(); // stream order makes the block safe to reuse at once
        if (!nonBlocking) Driver.streamSynchronize(stream.handle);
        keepAlive(src, new Strided[]{dst});
    }

    /** {first, last} storage element a non-empty view of pinned memory reaches, checked against the storage. */
    private static long[] span(Strided v, PinnedStorage ps) {
        long lo = v.offset(), hi = v.offset();
        for (int d = 0; d < v.dim(); d++) {
            long reach = (v.shape()[d] - 1) * v.stride()[d];
            if (reach < 0) throw new IllegalStateException("negative stride in " + java.util.Arrays.toString(v.stride()));
            hi += reach;
        }
        if (lo < 0 || hi >= ps.numel())
            throw new IllegalStateException("view (offset " + v.offset() + ", shape " + java.util.Arrays.toString(v.shape()) + ", stride "
                    + java.util.Arrays.toString(v.stride()) + ") reaches outside its pinned storage of " + ps.numel());
        return new long[]{lo, hi};
    }

    // ---------------------------------------------------------------- helpers for the kernel families

    /** Settles a fresh buffer's promised zeros before {@code out} is written: skipped when the write covers the whole buffer. */
    void prepareOutput(Strided out, CudaStorage storage, Stream stream) {
        storage.checkLive();
        if (!storage.needsZero) return;
        if (out.offset() == 0 && out.numel() == storage.numel && out.isContiguous()) {
            synchronized (storage) { storage.needsZero = false; }
        } else {
            storage.materialize(stream);
        }
    }

    /** Keeps the storages reachable until here, so that no cleaner recycles a block while its launch is being queued. */
    void keepAlive(Strided out, Strided[] in) {
        Reference.reachabilityFence(out.storage());
        if (in != null) for (Strided s : in) Reference.reachabilityFence(s.storage());
    }

    /** {@code src} itself when contiguous, else a contiguous device copy of it (a temporary for the caller to release). */
    private Strided contiguousSource(Strided src) {
        if (src.isContiguous()) return src;
        Strided tmp = contiguousTemp(src.dtype(), src.shape());
        copy(tmp, src);
        return tmp;
    }

    Strided contiguousTemp(DType dtype, long[] shape) {
        CudaStorage s = new CudaStorage(dev, dtype, Layout.numel(shape));
        s.needsZero = false;
        return new Strided(s, dtype, shape, Strided.contiguousStrides(shape), 0);
    }

    Strided contiguousCopy(Strided a) {
        Strided t = contiguousTemp(a.dtype(), a.shape());
        copy(t, a);
        return t;
    }

    /** The device this backend runs on, as its public handle. */
    public String deviceName() { return dev.name; }
}
