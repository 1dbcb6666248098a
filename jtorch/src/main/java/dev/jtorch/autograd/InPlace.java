package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.internal.TensorAccess;

import dev.jtorch.autograd.GradMode;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.ops.Op;

/** Autograd bookkeeping for in-place ops: the leaf check and rebasing self's history onto the new node. */
public final class InPlace {
    private static final TensorAccess T = TensorAccess.get();

    private InPlace() {}

    public static void checkLeaf(Tensor self) {
        if (GradMode.isEnabled() && self.isLeaf() && self.requiresGrad())
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (GradMode.isEnabled() && T.base(self) != null && !self.isLeaf() && T.base(self).isLeaf() && T.base(self).requiresGrad())
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /** When the op must be recorded, a stand-in for self's old value carrying its old history; otherwise null. */
    public static Tensor snapshotForGrad(Tensor self, Tensor... others) {
        Tensor[] all = new Tensor[others.length + 1];
        all[0] = self;
        System.arraycopy(others, 0, all, 1, others.length);
        if (!Graph.needsRecording(all) || !self.dtype().isFloatingPoint()) return null;
        if (isGradView(self) && !T.base(self).isContiguous())
            throw new UnsupportedOperationException("in-place operations on views of non-contiguous tensors that require grad are not supported; use an out-of-place op");
        Tensor old = T.cloneNoGrad(T.contiguousNoGrad(self));
        old.autogradMeta().setGradFn(self.autogradMeta().gradFn(), self.autogradMeta().outputNr());
        old.autogradMeta().setRequiresGrad(self.autogradMeta().requiresGrad());
        return old;
    }

    public static void rebase(Op op, Tensor self, Tensor before, Tensor other, SavedArgs args) {
        Tensor[] inputs = other == null ? new Tensor[]{before} : new Tensor[]{before, other};
        record(op, Variant.PRIMARY, self, inputs, args);
    }

    /**
     * A view whose base's history a write must rewrite, as PyTorch's CopySlices does: one made while recording, or
     * a view of a tensor that does not require grad (writing a value that requires grad into it makes the base
     * require grad too). A view of a tensor requiring grad made without recording is left alone.
     */
    private static boolean isGradView(Tensor self) {
        return T.base(self) != null && (self.gradFn() != null || !T.base(self).requiresGrad());
    }

    /**
     * Records an in-place op as self's new history. For a view, the op's node is recorded on the written
     * region and the base becomes CopySlices over its old history and that region; the view then reads
     * its history from the base.
     */
    public static void record(Op op, Variant variant, Tensor self, Tensor[] inputs, SavedArgs args) {
        if (!isGradView(self)) {
            Graph.record(op, variant, self, inputs, args);
            return;
        }
        Tensor region = self.detach();
        Graph.record(op, variant, region, inputs, args);
        Graph.recordWriteIntoView(T.base(self), self, region, flatIndex(T.base(self), self));
    }

    /** For each element of a view (row-major), its position in its contiguous base. */
    private static Tensor flatIndex(Tensor base, Tensor view) {
        int n = Math.toIntExact(view.numel());
        long[] idx = new long[n], counter = new long[T.shape(view).length];
        long at = T.offset(view) - T.offset(base);
        for (int i = 0; i < n; i++) {
            idx[i] = at;
            for (int d = T.shape(view).length - 1; d >= 0; d--) {
                counter[d]++;
                at += T.stride(view)[d];
                if (counter[d] < T.shape(view)[d]) break;
                at -= T.stride(view)[d] * T.shape(view)[d];
                counter[d] = 0;
            }
        }
        Tensor t = Torch.tensor(idx);
        return base.device().isCuda() ? t.to(base.device()) : t;
    }
}
