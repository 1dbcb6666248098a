package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** {@code max(x, 0)}, like {@code torch.nn.ReLU()}. */
public final class ReLU extends Module {
    private final boolean inplace;

    /** Like {@code nn.ReLU()}: returns a new tensor. */
    public ReLU() { this(false); }

    /** Like {@code nn.ReLU(inplace=True)}: overwrites the input. */
    public ReLU(boolean inplace) { this.inplace = inplace; }

    @Override public Tensor forward(Tensor x) { return inplace ? x.relu_() : x.relu(); }

    @Override public String extraRepr() { return inplace ? "inplace=True" : ""; }
}
