package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A tensor's autograd state. jtorch internals: users go through {@code Tensor}'s methods. */
public final class AutogradMeta {
    volatile boolean requiresGrad;
    volatile Tensor grad;
    volatile Node gradFn;
    int outputNr;
    volatile boolean retainsGrad;
    AccumulateGrad accumulator;
    final List<UnaryOperator<Tensor>> hooks = new CopyOnWriteArrayList<>();

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

    public List<UnaryOperator<Tensor>> hooks() { return hooks; }
}
