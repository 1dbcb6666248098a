package dev.jtorch;

import dev.jtorch.dispatch.LinearAlgebra;
/**
 * The {@code torch.linalg} namespace. Everything is computed on the host in float64 and returned in
 * the input's dtype and device; leading dimensions are batch dimensions. Of these ops only
 * {@link #inv} records a backward graph; the others throw when an input requires grad.
 *
 * <p>Singular vectors and eigenvectors are unique only up to sign. {@link #svd} ports LAPACK's
 * {@code gesdd} with MKL's switch points, so for matrices up to 25 rows or columns it reproduces the
 * signs of the x86-64 PyTorch wheels (MKL); PyTorch on OpenBLAS or reference LAPACK, and larger
 * matrices, may differ in sign. {@link #eigh} makes the largest-magnitude component of each
 * eigenvector positive.
 */
public final class TorchLinalg {
    TorchLinalg() {}

    /** Like {@code torch.linalg.LinAlgError}: a matrix is singular, not positive-definite, or an algorithm failed to converge. */
    public static final class LinAlgError extends IllegalArgumentException {
        public LinAlgError(String message) { super(message); }
    }

    /** Like {@code torch.return_types.linalg_qr}: {@code A = Q R}. */
    public record Qr(Tensor Q, Tensor R) {
        @Override public String toString() { return ReturnTypes.show("linalg_qr", new String[]{"Q", "R"}, Q, R); }
    }

    /** Like {@code torch.return_types.linalg_eigh}: eigenvalues ascending, eigenvectors as columns. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {
        @Override public String toString() {
            return ReturnTypes.show("linalg_eigh", new String[]{"eigenvalues", "eigenvectors"}, eigenvalues, eigenvectors);
        }
    }

    /** The inverse of a square matrix (or batch), like {@code torch.linalg.inv}. Differentiable. */
    public Tensor inv(Tensor a) { return LinearAlgebra.inv(a); }

    /** Like {@code torch.linalg.svd(a, full_matrices=False)}: {@code a = U diag(S) Vh}, S descending. */
    public ReturnTypes.LinalgSvd svd(Tensor a) { return LinearAlgebra.svd(a); }

    /**
     * Like {@code torch.linalg.svd(a, full_matrices)}; {@code fullMatrices=true} is supported for square
     * matrices only (where it equals the reduced SVD).
     */
    public ReturnTypes.LinalgSvd svd(Tensor a, boolean fullMatrices) {
        if (fullMatrices && a.dim() >= 2 && a.size(-2) != a.size(-1))
            throw new UnsupportedOperationException("linalg.svd: full_matrices=True is not implemented yet for non-square matrices; use full_matrices=False");
        return LinearAlgebra.svd(a);
    }

    ReturnTypes.Svd svdLegacy(Tensor a) {
        ReturnTypes.LinalgSvd r = svd(a);
        return new ReturnTypes.Svd(r.U(), r.S(), r.Vh().mT());
    }

    /** The singular values in descending order, like {@code torch.linalg.svdvals}. */
    public Tensor svdvals(Tensor a) { return LinearAlgebra.svdvals(a); }

    /** Like {@code torch.linalg.det}. */
    public Tensor det(Tensor a) { return LinearAlgebra.det(a); }

    /** Solves {@code a x = b}, like {@code torch.linalg.solve}; b may be a vector (or batch of vectors). */
    public Tensor solve(Tensor a, Tensor b) { return LinearAlgebra.solve(a, b); }

    /** Like {@code torch.linalg.qr(a)} (mode "reduced"). */
    public Qr qr(Tensor a) { return LinearAlgebra.qr(a, "reduced"); }

    /** Like {@code torch.linalg.qr(a, mode)} with mode "reduced", "complete" or "r" (Q is then empty). */
    public Qr qr(Tensor a, String mode) { return LinearAlgebra.qr(a, mode); }

    /** Like {@code torch.linalg.eigh(a)}: reads the lower triangle. */
    public Eigh eigh(Tensor a) { return LinearAlgebra.eigh(a, "L", true); }

    /** Like {@code torch.linalg.eigh(a, UPLO)} with uplo "L" or "U". */
    public Eigh eigh(Tensor a, String uplo) { return LinearAlgebra.eigh(a, uplo, true); }

    /** Like {@code torch.linalg.eigvalsh(a)}: eigenvalues ascending. */
    public Tensor eigvalsh(Tensor a) { return LinearAlgebra.eigh(a, "L", false).eigenvalues(); }

    public Tensor eigvalsh(Tensor a, String uplo) { return LinearAlgebra.eigh(a, uplo, false).eigenvalues(); }

    /** The lower Cholesky factor, like {@code torch.linalg.cholesky}; reads the lower triangle. */
    public Tensor cholesky(Tensor a) { return LinearAlgebra.cholesky(a, false); }

    /** Like {@code torch.linalg.cholesky(a, upper=upper)}. */
    public Tensor cholesky(Tensor a, boolean upper) { return LinearAlgebra.cholesky(a, upper); }

    /** Like {@code torch.linalg.matrix_rank(a)}: singular values above {@code eps * max(m, n) * sigma_max}. */
    public Tensor matrixRank(Tensor a) { return LinearAlgebra.matrixRank(a, null, null); }

    /** Like {@code torch.linalg.matrix_rank(a, atol=atol, rtol=rtol)}; either may be null. */
    public Tensor matrixRank(Tensor a, Double atol, Double rtol) { return LinearAlgebra.matrixRank(a, atol, rtol); }

    /** The pseudo-inverse via the SVD, like {@code torch.linalg.pinv(a)}. */
    public Tensor pinv(Tensor a) { return LinearAlgebra.pinv(a, null, null); }

    /** Like {@code torch.linalg.pinv(a, atol=atol, rtol=rtol)}; either may be null. */
    public Tensor pinv(Tensor a, Double atol, Double rtol) { return LinearAlgebra.pinv(a, atol, rtol); }

    /** The Frobenius norm over the last two dims, like {@code torch.linalg.matrix_norm(a)}. */
    public Tensor matrixNorm(Tensor a) { return LinearAlgebra.matrixNorm(a, "fro"); }

    /** Like {@code torch.linalg.matrix_norm(a, ord)} with ord "fro" or "nuc". */
    public Tensor matrixNorm(Tensor a, String ord) { return LinearAlgebra.matrixNorm(a, ord); }

    /** Like {@code torch.linalg.matrix_norm(a, ord)} with ord 1, -1, 2, -2, inf or -inf. */
    public Tensor matrixNorm(Tensor a, double ord) { return LinearAlgebra.matrixNorm(a, ord); }

    /** Like {@code torch.linalg.norm(x)}: the 2-norm of a vector, the Frobenius norm of a matrix (of all elements). */
    public Tensor norm(Tensor x) { return x.norm(); }

    /** Like {@code torch.linalg.vector_norm(x, ord)}. */
    public Tensor vectorNorm(Tensor x, double ord) { return x.norm(ord); }
}
