package dev.jtorch.nn;

import dev.jtorch.Tensor;

/**
 * Cross entropy between logits and class indices (or class probabilities), like {@code torch.nn.CrossEntropyLoss()}:
 * log_softmax over the class dim followed by the negative log likelihood.
 */
public final class CrossEntropyLoss extends Loss {
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** Unweighted, averaged over the samples, ignoring targets equal to -100, no label smoothing. */
    public CrossEntropyLoss() { this(null, -100, "mean", 0.0); }

    /** Like {@code nn.CrossEntropyLoss(weight)}: one weight per class, kept as the buffer {@code weight}. */
    public CrossEntropyLoss(Tensor weight) { this(weight, -100, "mean", 0.0); }

    /** Like {@code nn.CrossEntropyLoss(reduction=...)}. */
    public CrossEntropyLoss(String reduction) { this(null, -100, reduction, 0.0); }

    /** Like {@code nn.CrossEntropyLoss(label_smoothing=...)}. */
    public CrossEntropyLoss(double labelSmoothing) { this(null, -100, "mean", labelSmoothing); }

    /** Like {@code nn.CrossEntropyLoss(weight, ignore_index=..., reduction=..., label_smoothing=...)}; {@code weight} may be null. */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        super(reduction);
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The class weights, or null, like {@code loss.weight}. */
    public Tensor weight() { return getBuffer("weight"); }

    /** Like {@code loss.ignore_index}. */
    public int ignoreIndex() { return ignoreIndex; }

    /** Like {@code loss.label_smoothing}. */
    public double labelSmoothing() { return labelSmoothing; }

    @Override public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
    }
}
