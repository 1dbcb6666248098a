package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * A tensor a node keeps for its backward formula, like PyTorch's {@code SavedVariable}: it remembers
 * the tensor's version when saved, so an in-place change made since is reported instead of giving
 * wrong gradients, and it is dropped when a backward pass that does not retain the graph has used it.
 */
public final class SavedTensor {
    static final String BACKWARD_TWICE = "Trying to backward through the graph a second time (or directly access saved tensors after "
            + "they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
            + "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you "
            + "need to access saved tensors after calling backward.";

    private Tensor tensor;
    private final int version;
    private final boolean isOutput, wasLeaf;
    /** Which output of its node an output was, for the error message (it changes when an in-place op takes the tensor over). */
    private final int outputNr;
    private Node owner;

    SavedTensor(Tensor t, boolean isOutput) {
        this.tensor = t;
        this.version = t.version();
        this.isOutput = isOutput;
        this.wasLeaf = t.isLeaf();
        this.outputNr = t.autogradMeta().outputNr();
    }

    void setOwner(Node owner) { this.owner = owner; }

    /** The saved tensor; throws PyTorch's errors when it was freed or modified in place since it was saved. */
    public Tensor get() {
        Tensor t = tensor;
        if (t == null) throw new IllegalStateException(BACKWARD_TWICE);
        if (t.version() != version) throw modified(t);
        if (isOutput && t.gradFn() == null && !wasLeaf)
            throw new IllegalStateException("Trying to use a saved tensor that has been detached in-place, i.e. with .detach_()."
                    + "This is not supported, please use out-of-place `.detach()` instead");
        return t;
    }

    boolean isReleased() { return tensor == null; }

    void release() { tensor = null; }

    private IllegalStateException modified(Tensor t) {
        Node fn = isOutput ? owner : t.gradFn();
        if (fn == null && !wasLeaf) fn = owner;
        StringBuilder shape = new StringBuilder("[");
        for (int i = 0; i < t.dim(); i++) shape.append(i == 0 ? "" : ", ").append(t.size(i));
        shape.append(']');
        return new IllegalStateException("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [" + t.type() + " " + shape + "]"
                + (fn != null ? ", which is output " + (isOutput ? outputNr : t.autogradMeta().outputNr()) + " of " + fn.name() + "," : "")
                + " is at version " + t.version() + "; expected version " + version + " instead. Hint: enable anomaly detection "
                + "to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
    }
}
