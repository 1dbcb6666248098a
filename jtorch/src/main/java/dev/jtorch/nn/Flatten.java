package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** Flattens dims {@code startDim..endDim} into one, like {@code torch.nn.Flatten(start_dim=1, end_dim=-1)}. */
public final class Flatten extends Module {
    private final int startDim, endDim;

    /** Keeps the batch dim: [N, C, H, W] becomes [N, C*H*W]. */
    public Flatten() { this(1, -1); }

    /** Like {@code nn.Flatten(start_dim, end_dim)}; negative dims count from the end. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override public String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
