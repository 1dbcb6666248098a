package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A function in the backward graph, like {@code tensor.grad_fn}: named as PyTorch names it
 * ({@code MulBackward0}), with the edges its gradients flow along ({@link #nextFunctions()}).
 *
 * <p>A node holds the tensors its formula needs only until a backward pass that does not retain
 * the graph has run through it ({@link #release()}); its edges stay, as in PyTorch.
 */
public abstract class Node {
    private static final AtomicLong sequence = new AtomicLong();
    static final Edge[] NO_EDGES = new Edge[0];

    private String name;
    final Edge[] next;
    /** Later nodes run first when several are ready, as in PyTorch's engine. */
    final long sequenceNr = sequence.getAndIncrement();
    /** Hooks on the gradient of the tensor this node produced (PyTorch's tensor pre-hooks); null until one is added. */
    private volatile List<UnaryOperator<Tensor>> preHooks;
    /** The {@code retain_grad()} hook of the tensor this node produced: runs after the other hooks. */
    volatile UnaryOperator<Tensor> retainGradHook;

    protected Node(String name, Edge[] next) {
        this.name = name;
        this.next = next;
    }

    /** The PyTorch class name of this node, e.g. {@code "AddBackward0"}. */
    public String name() { return name; }

    /** Renames a node just created (an op recorded under another op's primitive, e.g. {@code RsubBackward1}). */
    void rename(String newName) { name = newName; }

    /** The nodes this one sends gradients to, like {@code grad_fn.next_functions}: one edge per input. */
    public List<Edge> nextFunctions() { return Collections.unmodifiableList(Arrays.asList(next)); }

    /** Computes the gradients for the inputs (one per edge, null where none) given the gradient of the output. */
    protected abstract Tensor[] apply(Tensor gradOutput);

    /** Frees saved tensors after a backward pass that does not retain the graph. */
    protected void release() {}

    synchronized RemovableHandle addPreHook(UnaryOperator<Tensor> hook) {
        List<UnaryOperator<Tensor>> list = preHooks == null ? new ArrayList<>() : new ArrayList<>(preHooks);
        list.add(hook);
        preHooks = list;
        return () -> removePreHook(hook);
    }

    private synchronized void removePreHook(UnaryOperator<Tensor> hook) {
        if (preHooks == null) return;
        List<UnaryOperator<Tensor>> list = new ArrayList<>(preHooks);
        list.remove(hook);
        preHooks = list.isEmpty() ? null : list;
    }

    List<UnaryOperator<Tensor>> preHooks() {
        List<UnaryOperator<Tensor>> l = preHooks;
        return l == null ? List.of() : l;
    }

    @Override public String toString() { return "<" + name + " object>"; }
}
