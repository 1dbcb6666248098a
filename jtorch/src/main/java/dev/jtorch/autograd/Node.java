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
    /** Hooks on the gradients of the tensors this node produced (PyTorch's tensor pre-hooks), in registration order; null until one is added. */
    private volatile List<PreHook> preHooks;
    /** The {@code retain_grad()} hooks of the tensors this node produced: run after the other hooks; null until one is set. */
    private volatile List<PreHook> retainGradHooks;

    /** A hook on the gradient of output {@code outputNr}. */
    record PreHook(int outputNr, UnaryOperator<Tensor> hook) {}

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

    /** How many outputs the op had, so how many gradients this node takes (PyTorch's {@code num_inputs()}). */
    int numOutputs() { return 1; }

    /** Runs the node on one gradient per output (null where none arrived); a single-output node gets a defined one. */
    Tensor[] applyAll(Tensor[] gradOutputs) { return apply(gradOutputs[0]); }

    /** Whether the engine runs this node even when no gradient reached it (PyTorch's custom Functions get zeros then). */
    boolean runsWithoutGradient() { return false; }

    /** Frees saved tensors after a backward pass that does not retain the graph. */
    protected void release() {}

    synchronized RemovableHandle addPreHook(int outputNr, UnaryOperator<Tensor> hook) {
        PreHook h = new PreHook(outputNr, hook);
        List<PreHook> list = preHooks == null ? new ArrayList<>() : new ArrayList<>(preHooks);
        list.add(h);
        preHooks = list;
        return () -> removePreHook(h);
    }

    private synchronized void removePreHook(PreHook hook) {
        if (preHooks == null) return;
        List<PreHook> list = new ArrayList<>(preHooks);
        list.removeIf(h -> h == hook);
        preHooks = list.isEmpty() ? null : list;
    }

    List<PreHook> preHooks() {
        List<PreHook> l = preHooks;
        return l == null ? List.of() : l;
    }

    /** Sets output {@code outputNr}'s retain_grad hook, replacing an earlier one. */
    synchronized void setRetainGradHook(int outputNr, UnaryOperator<Tensor> hook) {
        List<PreHook> list = retainGradHooks == null ? new ArrayList<>() : new ArrayList<>(retainGradHooks);
        list.removeIf(h -> h.outputNr() == outputNr);
        list.add(new PreHook(outputNr, hook));
        retainGradHooks = list;
    }

    List<PreHook> retainGradHooks() {
        List<PreHook> l = retainGradHooks;
        return l == null ? List.of() : l;
    }

    @Override public String toString() { return "<" + name + " object>"; }
}
