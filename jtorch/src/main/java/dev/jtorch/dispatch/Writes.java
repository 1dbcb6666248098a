package dev.jtorch.dispatch;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.autograd.InPlace;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.Kernel;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.MemoryOp;

/** Tensor's in-place writes (copy_, fill_, zero_): the version counter, the leaf checks and the rebased history; {@code Tensor}'s methods are one line into these. */
public final class Writes {
    private static final TensorAccess T = TensorAccess.get();

    private Writes() {}

    /** Like {@code x.copy_(src, non_blocking=...)}: queued without waiting between a GPU and pinned memory (see {@link #to(Device, DType, boolean)}). */
    public static Tensor copy_(Tensor self, Tensor src, boolean nonBlocking) {
        Dispatch.checkNoInternalOverlap(self);
        Dispatch.checkInPlaceShape(self, T.shape(src)); // copy_impl's TensorIterator
        InPlace.checkLeaf(self);
        Tensor before = InPlace.snapshotForGrad(self, src);
        Dispatch.copyInto(self, src, nonBlocking);
        T.bumpVersion(self);
        if (before != null) InPlace.record(MemoryOp.COPY, Variant.COPY_, self, new Tensor[]{src.expand(T.shape(self))}, SavedArgs.NONE);
        return self;
    }

    /** Fills with a value, like {@code x.fill_(v)}. */
    public static Tensor fill_(Tensor self, double value) {
        Dispatch.checkScalarFits(value, T.dtype(self));
        InPlace.checkLeaf(self);
        Number v = T.dtype(self).isFloatingPoint() ? (Number) value : (Number) (long) value;
        if (T.dtype(self) == DType.bool) v = value != 0 ? 1L : 0L;
        Dispatch.execute(new Kernel.Fill(Dispatch.strided(self), v));
        T.bumpVersion(self);
        if (self.requiresGrad()) self.autogradMeta().setGradFn(null, 0);
        return self;
    }

    /** Fills with an exact integer value. */
    public static Tensor fill_(Tensor self, long value) {
        Dispatch.checkScalarFits(value, T.dtype(self));
        InPlace.checkLeaf(self);
        Dispatch.execute(new Kernel.Fill(Dispatch.strided(self), T.dtype(self).isFloatingPoint() ? (Number) (double) value : (Number) value));
        T.bumpVersion(self);
        return self;
    }

    public static Tensor fill_(Tensor self, Tensor value) {
        if (value.dim() != 0) throw new IllegalArgumentException("fill_ only supports 0-dimension value tensor but got tensor with " + value.dim() + " dimensions.");
        return self.copy_(value);
    }
}
