package dev.jtorch.backend;

/**
 * The numeric routines behind {@code torch.linalg}, on float64 host arrays, one matrix of a batch at a time: what
 * LAPACK is to PyTorch. The tensor API ({@code dev.jtorch.TorchLinalg}) checks arguments, copies the batch to the
 * host, calls these, reports failures with PyTorch's messages and records autograd. Row-major unless a routine
 * says column-major; LAPACK's conventions otherwise (pivots 0-based here).
 */
public interface Linalg {
    /**
     * LU factorisation with partial pivoting of the row-major n x n matrix at {@code a[off..]}, in place,
     * like LAPACK's getrf: rows {@code k} and {@code piv[k]} were swapped at step k. Returns 0, or the
     * 1-based index of the first exactly zero pivot (the factorisation still completes).
     */
    int getrf(double[] a, int off, int n, int[] piv);

    /** Solves {@code M X = B} (or {@code M^T X = B} when {@code transposed}) given getrf's factors of M; B is n x nrhs row-major, overwritten. */
    void getrs(double[] lu, int off, int n, int[] piv, double[] b, int boff, int nrhs, boolean transposed);

    /**
     * Cholesky–Banachiewicz: the lower factor of the symmetric positive-definite n x n matrix at {@code a[off..]}
     * into {@code l[off..]}. Returns 0, or the order of the first leading minor that is not positive-definite
     * ({@code l} then holds the columns before it).
     */
    int potrf(double[] a, double[] l, int off, int n);

    /** Householder QR of the column-major m x n {@code a}, in place as LAPACK's geqr2 leaves it (R above the diagonal); returns tau. */
    double[] geqrf(int m, int n, double[] a);

    /** The first {@code cols} columns of Q (column-major m x cols) from geqrf's {@code a} and {@code tau}, of {@code k} reflectors. */
    double[] orgqr(int m, int cols, int k, double[] a, double[] tau);

    /** The SVD of the column-major m x n {@code a} (destroyed): {U (m x k), S (k, descending), Vt (k x n)}, column-major, k = min(m, n). */
    double[][] gesdd(int m, int n, double[] a);

    /**
     * Eigenvalues (ascending, into {@code w[woff..]}) and eigenvectors (the columns of row-major {@code v}, each with
     * its largest-magnitude component positive) of the symmetric row-major n x n {@code a}, which is destroyed.
     */
    void syev(int n, double[] a, double[] v, double[] w, int woff);

    /** A routine's iteration did not converge (LAPACK's {@code info > 0}); the caller reports it in PyTorch's words. */
    final class NotConverged extends ArithmeticException {
        public final int info;

        public NotConverged(int info) {
            super("did not converge (info " + info + ")");
            this.info = info;
        }
    }

    /** The row-major m x n matrix at {@code rowMajor[off..]} as a new column-major array. */
    static double[] colMajor(double[] rowMajor, int off, int m, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i + j * m] = rowMajor[off + i * n + j];
        return c;
    }
}
