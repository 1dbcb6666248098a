package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.Tensor;

/**
 * In training mode zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}; in eval
 * mode returns the input, like {@code torch.nn.Dropout(p=0.5)}. On the CPU it draws the same mask as PyTorch.
 */
public final class Dropout extends Module {
    private final double p;
    private final boolean inplace;

    /** Like {@code nn.Dropout()}: p = 0.5. */
    public Dropout() { this(0.5); }

    /** Like {@code nn.Dropout(p)}. */
    public Dropout(double p) { this(p, false); }

    /** Like {@code nn.Dropout(p, inplace)}. */
    public Dropout(double p, boolean inplace) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + Python.repr(p));
        this.p = p;
        this.inplace = inplace;
    }

    /** Like {@code dropout.p}. */
    public double p() { return p; }

    @Override public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining(), inplace); }

    @Override public String extraRepr() { return "p=" + Python.repr(p) + ", inplace=" + Python.repr(inplace); }
}
