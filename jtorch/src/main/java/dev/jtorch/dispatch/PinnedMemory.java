package dev.jtorch.dispatch;

import dev.jtorch.Tensor;
import dev.jtorch.DType;
import dev.jtorch.internal.TensorAccess;

import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Dispatch;
import dev.jtorch.autograd.Graph;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.SegmentStorage;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.MemoryOp;


/**
 * Pinned (page-locked) host memory, as PyTorch has it: {@code x.pinMemory()} gives a CPU tensor whose storage the
 * accelerator's backend allocated ({@link Backends#allocatePinned}); CPU ops work on it as on any CPU tensor (the CPU
 * backend stages it through arrays). The tensor-level rules live here, the memory and the copies behind
 * {@link dev.jtorch.backend.Backend#copyFromPinned} and {@link dev.jtorch.backend.Backend#copyToPinned}.
 * Copies between pinned memory and a GPU go straight between the two on the current stream; with
 * {@code nonBlocking} they return at once, as {@code non_blocking=True} does from pinned memory: the caller
 * synchronizes the stream (or waits for an event) before reading a device-to-host result or writing a
 * host-to-device source again. From or into pageable memory, {@code nonBlocking} changes nothing: the copy
 * waits, as PyTorch's does in effect.
 */
public final class PinnedMemory {
    private static final TensorAccess T = TensorAccess.get();

    private PinnedMemory() {}

    public static boolean isPinned(Tensor t) { return T.storage(t).isPinned(); }

    /**
     * {@code x.pin_memory()}: {@code x} when already pinned, else a pinned copy with the same strides (offset 0,
     * storage just large enough), or contiguous when {@code x} is broadcast (overlapping).
     */
    public static Tensor pin(Tensor x) {
        if (isPinned(x)) return x;
        if (x.device().isCuda()) throw new IllegalArgumentException("cannot pin '" + x.type() + "' only dense CPU tensors can be pinned");
        long numel = x.numel();
        boolean overlapping = false;
        for (int d = 0; d < x.dim(); d++) if (T.shape(x)[d] > 1 && T.stride(x)[d] <= 0) overlapping = true;
        long[] stride = overlapping ? Strided.contiguousStrides(T.shape(x)) : T.stride(x).clone();
        long extent = numel == 0 ? 0 : 1;
        if (numel > 0) for (int d = 0; d < x.dim(); d++) extent += (T.shape(x)[d] - 1) * stride[d];
        Storage ps = Backends.allocatePinned(T.dtype(x), extent);
        Tensor out = T.make(ps, T.dtype(x), T.shape(x).clone(), stride, 0);
        if (!overlapping && extent == numel && denseFromOffset(x) && T.storage(x) instanceof ArrayStorage as && ps instanceof SegmentStorage seg)
            seg.write(as, T.offset(x), 0, numel); // the same dense block: one copy
        else if (numel > 0)
            Dispatch.copy(out, Dispatch.strided(x));
        if (T.dtype(x).isFloatingPoint() && Graph.needsRecording(x)) Graph.record(MemoryOp.COPY, dev.jtorch.autograd.Variant.PIN_MEMORY, out, new Tensor[]{x}, dev.jtorch.autograd.SavedArgs.NONE);
        return out;
    }

    /** True when x's elements fill [offset, offset + numel) of its storage without gaps or overlap (any dim order). */
    private static boolean denseFromOffset(Tensor x) {
        int nd = x.dim();
        Integer[] dims = new Integer[nd];
        for (int d = 0; d < nd; d++) dims[d] = d;
        java.util.Arrays.sort(dims, (a, b) -> Long.compare(T.stride(x)[a], T.stride(x)[b]));
        long expected = 1;
        for (int d : dims) {
            if (T.shape(x)[d] == 1) continue;
            if (T.stride(x)[d] != expected) return false;
            expected *= T.shape(x)[d];
        }
        return true;
    }

    /** A new contiguous pinned CPU tensor with undefined contents (the output of a non-blocking copy to the CPU). */
    public static Tensor empty(long[] shape, DType dtype) {
        return T.make(Backends.allocatePinned(dtype, Shapes.numel(shape)), dtype, shape.clone(), Strided.contiguousStrides(shape), 0);
    }

    /**
     * out ← src between a GPU and pinned host memory, when one side is pinned (a same-dtype pinned source, or a
     * contiguous pinned destination: a dtype conversion then happens on the device first); false when neither
     * applies and the dispatcher's pageable path should copy. Shapes were checked by the caller.
     */
    public static boolean copy(Tensor out, Tensor src, boolean nonBlocking) {
        if (out.device().isCuda() && T.storage(src).isPinned() && T.dtype(src) == T.dtype(out)) {
            Dispatch.backend(out.device()).copyFromPinned(Dispatch.broadcastTo(src, T.shape(out)), Dispatch.strided(out), nonBlocking);
            return true;
        }
        if (src.device().isCuda() && T.storage(out).isPinned() && out.isContiguous()) {
            Tensor s = T.dtype(src) == T.dtype(out) ? src : Dispatch.convert(src, T.dtype(out));
            Dispatch.backend(src.device()).copyToPinned(Dispatch.broadcastTo(s, T.shape(out)), Dispatch.strided(out), nonBlocking);
            if (s != src) T.storage(s).release(); // the converted temporary: stream order makes its block safe to reuse
            return true;
        }
        return false;
    }
}
