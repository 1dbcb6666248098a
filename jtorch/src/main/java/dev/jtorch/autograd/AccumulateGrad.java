package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/** The node that adds incoming gradients into a leaf's {@code .grad}. */
final class AccumulateGrad extends Node {
    final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("AccumulateGrad", new Edge[0]);
        this.variable = variable;
    }

    @Override protected Tensor[] apply(Tensor g) {
        AutogradMeta m = variable.autogradMeta();
        synchronized (m) {
            Tensor old = m.grad;
            if (old == null) {
                // A fresh tensor, so that later in-place accumulation never writes into the caller's gradient.
                m.grad = GradMode.isEnabled() ? g.clone() : g.detach().clone();
            } else if (GradMode.isEnabled()) {
                m.grad = old.add(g);
            } else {
                old.add_(g);
            }
        }
        return new Tensor[0];
    }
}
