package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** Negative log likelihood of class indices given log-probabilities, like {@code torch.nn.NLLLoss()}. */
public final class NLLLoss extends Loss {
    private final int ignoreIndex;

    /** Unweighted, averaged over the samples, ignoring targets equal to -100. */
    public NLLLoss() { this(null, -100, "mean"); }

    /** Like {@code nn.NLLLoss(weight)}: one weight per class, kept as the buffer {@code weight}. */
    public NLLLoss(Tensor weight) { this(weight, -100, "mean"); }

    /** Like {@code nn.NLLLoss(reduction=...)}. */
    public NLLLoss(String reduction) { this(null, -100, reduction); }

    /** Like {@code nn.NLLLoss(weight, ignore_index=..., reduction=...)}; {@code weight} may be null. */
    public NLLLoss(Tensor weight, int ignoreIndex, String reduction) {
        super(reduction);
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    /** The class weights, or null, like {@code loss.weight}. */
    public Tensor weight() { return getBuffer("weight"); }

    /** Like {@code loss.ignore_index}. */
    public int ignoreIndex() { return ignoreIndex; }

    @Override public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, weight(), ignoreIndex, reduction()); }
}
