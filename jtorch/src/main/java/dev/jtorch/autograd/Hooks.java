package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.function.UnaryOperator;

/** Tensor hooks and retain_grad: a leaf keeps its hooks, a non-leaf's live on the node that makes its gradient. */
public final class Hooks {
    private Hooks() {}

    /**
     * Like {@code t.register_hook(hook)}: the hook sees the gradient of {@code t} and may return a replacement (null keeps it);
     * as in PyTorch it sees null when {@code t} is one output of a multi-output node that runs without a gradient for it.
     */
    public static RemovableHandle register(Tensor t, UnaryOperator<Tensor> hook) {
        if (!t.requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        Node fn = t.gradFn();
        if (fn == null) return t.autogradMeta().addHook(hook);
        return fn.addPreHook(t.autogradMeta().outputNr(), hook);
    }

    /** Like {@code t.retain_grad()} for a non-leaf: its gradient is kept in {@code t.grad()}, after the tensor's other hooks ran. */
    public static void retainGrad(Tensor t) {
        Node target = t.gradFn();
        if (target == null) return;
        target.setRetainGradHook(t.autogradMeta().outputNr(), g -> {
            AutogradMeta m = t.autogradMeta();
            synchronized (m) {
                m.grad = m.grad == null ? g.clone() : m.grad.add(g);
            }
            return null;
        });
    }
}
