package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * The node that adds incoming gradients into a leaf's {@code .grad}, like PyTorch's
 * {@code AccumulateGrad}. It holds its leaf; the leaf holds it only weakly, so it lives as long as
 * some graph uses it.
 */
public final class AccumulateGrad extends Node {
    final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("AccumulateGrad", NO_EDGES);
        this.variable = variable;
    }

    /** The leaf this node accumulates into, like {@code grad_fn.variable}. */
    public Tensor variable() { return variable; }

    @Override protected Tensor[] apply(Tensor g) {
        AutogradMeta m = variable.autogradMeta();
        synchronized (m) {
            Tensor old = m.grad;
            if (old == null) {
                // A fresh tensor, so that later in-place accumulation never writes into a gradient someone else holds.
                if (GradMode.isEnabled()) {
                    m.grad = g.clone();
                } else {
                    try (var noGrad = GradMode.set(false)) {
                        m.grad = g.detach().clone();
                    }
                }
            } else if (GradMode.isEnabled()) {
                m.grad = old.add(g);
            } else {
                old.add_(g.detach());
            }
            dev.jtorch.TensorScope.escape(m.grad); // a leaf's gradient outlives the scopes it was computed in
        }
        return new Tensor[0];
    }
}
