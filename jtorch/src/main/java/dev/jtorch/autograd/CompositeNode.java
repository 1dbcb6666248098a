package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * The node of a composite op that PyTorch has as one function (softmax, var, mm, ...): named as
 * PyTorch names it, with edges to the op's real inputs, while its gradient comes from the graph of
 * primitives the op was computed with. That inner graph starts at {@link IdentityNode}s standing for
 * the inputs, so higher-order gradients still reach the real inputs.
 */
final class CompositeNode extends Node {
    private Node inner;
    private final int innerNr;
    private final IdentityNode[] identities;

    CompositeNode(String name, Edge[] next, Node inner, int innerNr, IdentityNode[] identities) {
        super(name, next);
        this.inner = inner;
        this.innerNr = innerNr;
        this.identities = identities;
    }

    @Override protected Tensor[] apply(Tensor g) {
        Node root = inner;
        if (root == null) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        return Engine.runInner(new Edge(root, innerNr), g, identities, GradMode.isEnabled());
    }

    @Override protected void release() { inner = null; }

    boolean holdsNoTensors() { return inner == null; }
}
