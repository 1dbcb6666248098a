package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A function in the backward graph, like {@code tensor.grad_fn}: named as PyTorch names it ({@code MulBackward0}). */
public abstract class Node {
    private static final AtomicLong sequence = new AtomicLong();

    private final String name;
    final Edge[] next;
    /** Later nodes run first when several are ready, as in PyTorch's engine. */
    final long sequenceNr = sequence.getAndIncrement();
    final java.util.List<java.util.function.UnaryOperator<Tensor>> preHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    protected Node(String name, Edge[] next) {
        this.name = name;
        this.next = next;
    }

    /** The PyTorch class name of this node, e.g. {@code "AddBackward0"}. */
    public String name() { return name; }

    /** The nodes this one sends gradients to, like {@code grad_fn.next_functions}. */
    public List<Edge> nextFunctions() { return Arrays.asList(next); }

    /** Computes the gradients for the inputs given the gradient of the output. */
    protected abstract Tensor[] apply(Tensor gradOutput);

    /** Frees saved tensors after a backward pass that does not retain the graph. */
    protected void release() {}

    @Override public String toString() { return "<" + name + " object>"; }
}
