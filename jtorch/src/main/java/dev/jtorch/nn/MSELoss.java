package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** Mean squared error, like {@code torch.nn.MSELoss(reduction="mean")}. */
public final class MSELoss extends Loss {
    /** The mean over all elements. */
    public MSELoss() { this("mean"); }

    /** Like {@code nn.MSELoss(reduction=...)}: {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public MSELoss(String reduction) { super(reduction); }

    @Override public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction()); }
}
