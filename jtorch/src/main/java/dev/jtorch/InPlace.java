package dev.jtorch;

import dev.jtorch.autograd.GradMode;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.ops.Op;

/** Autograd bookkeeping for in-place ops: the leaf check and rebasing self's history onto the new node. */
final class InPlace {
    private InPlace() {}

    static void checkLeaf(Tensor self) {
        if (GradMode.isEnabled() && self.isLeaf() && self.requiresGrad())
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (GradMode.isEnabled() && self.base != null && !self.isLeaf() && self.base.isLeaf() && self.base.requiresGrad())
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /** When the op must be recorded, a stand-in for self's old value carrying its old history; otherwise null. */
    static Tensor snapshotForGrad(Tensor self, Tensor... others) {
        Tensor[] all = new Tensor[others.length + 1];
        all[0] = self;
        System.arraycopy(others, 0, all, 1, others.length);
        if (!Graph.needsRecording(all) || !self.dtype().isFloatingPoint()) return null;
        if (isGradView(self) && !self.base.isContiguous())
            throw new UnsupportedOperationException("in-place operations on views of non-contiguous tensors that require grad are not supported; use an out-of-place op");
        Tensor old = self.contiguousNoGrad().cloneNoGrad();
        old.autogradMeta().setGradFn(self.autogradMeta().gradFn(), self.autogradMeta().outputNr());
        old.autogradMeta().setRequiresGrad(self.autogradMeta().requiresGrad());
        return old;
    }

    static void rebase(Op op, Tensor self, Tensor before, Tensor other, SavedArgs args) {
        Tensor[] inputs = other == null ? new Tensor[]{before} : new Tensor[]{before, other};
        record(op, Variant.PRIMARY, self, inputs, args);
    }

    /**
     * A view whose base's history a write must rewrite, as PyTorch's CopySlices does: one made while recording, or
     * a view of a tensor that does not require grad (writing a value that requires grad into it makes the base
     * require grad too). A view of a tensor requiring grad made without recording is left alone.
     */
    private static boolean isGradView(Tensor self) {
        return self.base != null && (self.gradFn() != null || !self.base.requiresGrad());
    }

    /**
     * Records an in-place op as self's new history. For a view, the op's node is recorded on the written
     * region and the base becomes CopySlices over its old history and that region; the view then reads
     * its history from the base.
     */
    static void record(Op op, Variant variant, Tensor self, Tensor[] inputs, SavedArgs args) {
        if (!isGradView(self)) {
            Graph.record(op, variant, self, inputs, args);
            return;
        }
        Tensor region = self.detach();
        Graph.record(op, variant, region, inputs, args);
        Graph.recordWriteIntoView(self.base, self, region, flatIndex(self.base, self));
    }

    /** For each element of a view (row-major), its position in its contiguous base. */
    private static Tensor flatIndex(Tensor base, Tensor view) {
        int n = Math.toIntExact(view.numel());
        long[] idx = new long[n], counter = new long[view.shape.length];
        long at = view.offset - base.offset;
        for (int i = 0; i < n; i++) {
            idx[i] = at;
            for (int d = view.shape.length - 1; d >= 0; d--) {
                counter[d]++;
                at += view.stride[d];
                if (counter[d] < view.shape[d]) break;
                at -= view.stride[d] * view.shape[d];
                counter[d] = 0;
            }
        }
        Tensor t = Torch.tensor(idx);
        return base.device().isCuda() ? t.to(base.device()) : t;
    }
}
