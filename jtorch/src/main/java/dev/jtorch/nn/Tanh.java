package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** Like {@code torch.nn.Tanh()}. */
public final class Tanh extends Module {
    @Override public Tensor forward(Tensor x) { return x.tanh(); }
}
