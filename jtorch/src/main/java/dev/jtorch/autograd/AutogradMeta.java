package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A tensor's autograd state. jtorch internals: users go through {@code Tensor}'s methods. */
public final class AutogradMeta {
    volatile boolean requiresGrad;
    volatile Tensor grad;
    volatile Node gradFn;
    int outputNr;
    volatile boolean retainsGrad;
    /** The leaf's accumulator while some graph holds it (PyTorch keeps it weakly too). */
    WeakReference<AccumulateGrad> accumulator;
    /** A leaf's tensor hooks (a non-leaf's live on its grad_fn). */
    private volatile List<UnaryOperator<Tensor>> hooks = List.of();

    public boolean requiresGrad() { return requiresGrad || gradFn != null; }

    public void setRequiresGrad(boolean on) { requiresGrad = on; }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) { grad = g; }

    public Node gradFn() { return gradFn; }

    public void setGradFn(Node fn, int outputNr) {
        gradFn = fn;
        this.outputNr = outputNr;
    }

    public int outputNr() { return outputNr; }

    public boolean retainsGrad() { return retainsGrad; }

    public void setRetainsGrad(boolean on) { retainsGrad = on; }

    /** The leaf tensor hooks, in registration order. */
    public List<UnaryOperator<Tensor>> hooks() { return hooks; }

    synchronized RemovableHandle addHook(UnaryOperator<Tensor> hook) {
        List<UnaryOperator<Tensor>> l = new ArrayList<>(hooks);
        l.add(hook);
        hooks = List.copyOf(l);
        return () -> removeHook(hook);
    }

    private synchronized void removeHook(UnaryOperator<Tensor> hook) {
        List<UnaryOperator<Tensor>> l = new ArrayList<>(hooks);
        l.remove(hook);
        hooks = List.copyOf(l);
    }
}
