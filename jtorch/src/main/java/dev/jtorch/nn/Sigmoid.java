package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** {@code 1 / (1 + exp(-x))}, like {@code torch.nn.Sigmoid()}. */
public final class Sigmoid extends Module {
    @Override public Tensor forward(Tensor x) { return x.sigmoid(); }
}
