package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import java.util.function.UnaryOperator;

/** Tensor hooks and retain_grad, attached to the node that receives the tensor's gradient. */
public final class Hooks {
    private Hooks() {}

    public static void register(Tensor t, UnaryOperator<Tensor> hook) {
        Node target = Graph.edgeOf(t).function();
        target.preHooks.add(hook);
    }

    public static void retainGrad(Tensor t) {
        Node target = t.gradFn();
        target.preHooks.add(g -> {
            AutogradMeta m = t.autogradMeta();
            synchronized (m) {
                m.grad = m.grad == null ? g.detach().clone() : m.grad.add(g.detach());
            }
            return null;
        });
    }
}
