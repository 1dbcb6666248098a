package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** The base of loss modules, like PyTorch's {@code torch.nn.modules.loss._Loss}: called with {@code forward(input, target)}. */
public abstract class Loss extends Module {
    private final String reduction;

    /** {@code reduction} is {@code "mean"}, {@code "sum"} or {@code "none"}; like PyTorch it is checked when the loss runs. */
    protected Loss(String reduction) { this.reduction = reduction; }

    /** Like {@code loss.reduction}. */
    public final String reduction() { return reduction; }

    /** The loss of {@code input} against {@code target}, like calling {@code loss_fn(input, target)}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: use {@link #forward(Tensor, Tensor)}. */
    @Override public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException(typeName() + ".forward() missing 1 required positional argument: 'target'");
    }
}
