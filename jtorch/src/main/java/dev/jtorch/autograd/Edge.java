package dev.jtorch.autograd;

/** One input of a node: the node that receives the gradient and which of its inputs it is, like PyTorch's {@code (fn, index)} pairs. */
public record Edge(Node function, int inputNr) {
    static final Edge NONE = new Edge(null, 0);

    @Override public String toString() { return "(" + (function == null ? "None" : function) + ", " + inputNr + ")"; }
}
