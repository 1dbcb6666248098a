package dev.jtorch;

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
final class PinnedMemory {
    private PinnedMemory() {}

    static boolean isPinned(Tensor t) { return t.storage.isPinned(); }

    /**
     * {@code x.pin_memory()}: {@code x} when already pinned, else a pinned copy with the same strides (offset 0,
     * storage just large enough), or contiguous when {@code x} is broadcast (overlapping).
     */
    static Tensor pin(Tensor x) {
        if (isPinned(x)) return x;
        if (x.device().isCuda()) throw new IllegalArgumentException("cannot pin '" + x.type() + "' only dense CPU tensors can be pinned");
        long numel = x.numel();
        boolean overlapping = false;
        for (int d = 0; d < x.dim(); d++) if (x.shape[d] > 1 && x.stride[d] <= 0) overlapping = true;
        long[] stride = overlapping ? Strided.contiguousStrides(x.shape) : x.stride.clone();
        long extent = numel == 0 ? 0 : 1;
        if (numel > 0) for (int d = 0; d < x.dim(); d++) extent += (x.shape[d] - 1) * stride[d];
        Storage ps = Backends.allocatePinned(x.dtype, extent);
        Tensor out = new Tensor(ps, x.dtype, x.shape.clone(), stride, 0);
        if (!overlapping && extent == numel && denseFromOffset(x) && x.storage instanceof ArrayStorage as && ps instanceof SegmentStorage seg)
            seg.write(as, x.offset, 0, numel); // the same dense block: one copy
        else if (numel > 0)
            Dispatch.copy(out, Dispatch.strided(x));
        if (x.dtype.isFloatingPoint() && Graph.needsRecording(x)) Graph.record(MemoryOp.COPY, dev.jtorch.autograd.Variant.PIN_MEMORY, out, new Tensor[]{x}, dev.jtorch.autograd.SavedArgs.NONE);
        return out;
    }

    /** True when x's elements fill [offset, offset + numel) of its storage without gaps or overlap (any dim order). */
    private static boolean denseFromOffset(Tensor x) {
        int nd = x.dim();
        Integer[] dims = new Integer[nd];
        for (int d = 0; d < nd; d++) dims[d] = d;
        java.util.Arrays.sort(dims, (a, b) -> Long.compare(x.stride[a], x.stride[b]));
        long expected = 1;
        for (int d : dims) {
            if (x.shape[d] == 1) continue;
            if (x.stride[d] != expected) return false;
            expected *= x.shape[d];
        }
        return true;
    }

    /** A new contiguous pinned CPU tensor with undefined contents (the output of a non-blocking copy to the CPU). */
    static Tensor empty(long[] shape, DType dtype) {
        return new Tensor(Backends.allocatePinned(dtype, Shapes.numel(shape)), dtype, shape.clone(), Strided.contiguousStrides(shape), 0);
    }

    /**
     * out ← src between a GPU and pinned host memory, when one side is pinned (a same-dtype pinned source, or a
     * contiguous pinned destination: a dtype conversion then happens on the device first); false when neither
     * applies and the dispatcher's pageable path should copy. Shapes were checked by the caller.
     */
    static boolean copy(Tensor out, Tensor src, boolean nonBlocking) {
        if (out.device().isCuda() && src.storage.isPinned() && src.dtype == out.dtype) {
            Dispatch.backend(out.device()).copyFromPinned(Dispatch.broadcastTo(src, out.shape), Dispatch.strided(out), nonBlocking);
            return true;
        }
        if (src.device().isCuda() && out.storage.isPinned() && out.isContiguous()) {
            Tensor s = src.dtype == out.dtype ? src : Dispatch.convert(src, out.dtype);
            Dispatch.backend(src.device()).copyToPinned(Dispatch.broadcastTo(s, out.shape), Dispatch.strided(out), nonBlocking);
            if (s != src) s.storage.release(); // the converted temporary: stream order makes its block safe to reuse
            return true;
        }
        return false;
    }
}
