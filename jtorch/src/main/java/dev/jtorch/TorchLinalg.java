package dev.jtorch;

/** The {@code torch.linalg} namespace. */
public final class TorchLinalg {
    TorchLinalg() {}

    /** The inverse of a square matrix (or batch), like {@code torch.linalg.inv}. */
    public Tensor inv(Tensor a) { return LinalgImpl.inv(a); }

    /** Like {@code torch.linalg.svd(a, full_matrices=False)}. */
    public ReturnTypes.LinalgSvd svd(Tensor a) { return LinalgImpl.svd(a); }

    ReturnTypes.Svd svdLegacy(Tensor a) {
        ReturnTypes.LinalgSvd r = svd(a);
        return new ReturnTypes.Svd(r.U(), r.S(), r.Vh().mT());
    }

    /** Like {@code torch.linalg.det}. */
    public Tensor det(Tensor a) { return LinalgImpl.det(a); }

    /** Solves {@code a x = b}, like {@code torch.linalg.solve}. */
    public Tensor solve(Tensor a, Tensor b) { return inv(a).matmul(b); }

    /** Like {@code torch.linalg.norm(x)} for vectors and the Frobenius norm for matrices. */
    public Tensor norm(Tensor x) { return x.norm(); }

    /** Like {@code torch.linalg.vector_norm(x, ord)}. */
    public Tensor vectorNorm(Tensor x, double ord) { return x.norm(ord); }
}
