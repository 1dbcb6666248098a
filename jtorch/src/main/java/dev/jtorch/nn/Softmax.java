package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.Tensor;

/** Softmax along a dim, like {@code torch.nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final Integer dim;

    /** Like {@code nn.Softmax()}: PyTorch's deprecated implicit dim (0 for 0-D, 1-D and 3-D inputs, else 1), with its warning. */
    public Softmax() { this.dim = null; }

    /** Like {@code nn.Softmax(dim=dim)}: the values along {@code dim} sum to 1. */
    public Softmax(int dim) { this.dim = dim; }

    @Override public Tensor forward(Tensor x) { return F.softmax(x, dim != null ? dim : implicitDim("softmax", x)); }

    @Override public String extraRepr() { return "dim=" + (dim == null ? "None" : dim); }

    /** {@code torch.nn.functional._get_softmax_dim}. */
    static int implicitDim(String name, Tensor x) {
        Python.warn("Implicit dimension choice for " + name + " has been deprecated. Change the call to include dim=X as an argument.");
        int n = x.dim();
        return n == 0 || n == 1 || n == 3 ? 0 : 1;
    }
}
