package dev.jtorch.nn;

import dev.jtorch.Tensor;

/** Log-softmax along a dim, like {@code torch.nn.LogSoftmax(dim)}. */
public final class LogSoftmax extends Module {
    private final Integer dim;

    /** Like {@code nn.LogSoftmax()}: PyTorch's deprecated implicit dim, with its warning. */
    public LogSoftmax() { this.dim = null; }

    /** Like {@code nn.LogSoftmax(dim=dim)}. */
    public LogSoftmax(int dim) { this.dim = dim; }

    @Override public Tensor forward(Tensor x) { return F.logSoftmax(x, dim != null ? dim : Softmax.implicitDim("log_softmax", x)); }

    @Override public String extraRepr() { return "dim=" + (dim == null ? "None" : dim); }
}
