package dev.jtorch;

import dev.jtorch.autograd.GradMode;
import dev.jtorch.autograd.Graph;
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
        if (self.base != null && (self.requiresGrad() || self.base.requiresGrad()))
            throw new UnsupportedOperationException("in-place operations on views of tensors that require grad are not supported yet; use an out-of-place op");
        Tensor old = self.contiguousNoGrad().cloneNoGrad();
        old.autogradMeta().setGradFn(self.autogradMeta().gradFn(), self.autogradMeta().outputNr());
        old.autogradMeta().setRequiresGrad(self.autogradMeta().requiresGrad());
        return old;
    }

    static void rebase(Op op, Tensor self, Tensor before, Tensor other) {
        Tensor[] inputs = other == null ? new Tensor[]{before} : new Tensor[]{before, other};
        Graph.record(op, null, self, inputs);
    }
}
