package dev.jtorch;

import dev.jtorch.autograd.GradMode;
import dev.jtorch.autograd.Graph;
import java.util.Arrays;

/**
 * Dense linear algebra on the host in float64: every op copies its input to a float64 host array,
 * works on one matrix of the (flattened) batch at a time and converts the result back to the
 * input's dtype and device.
 *
 * <p>The SVD is a port of LAPACK's {@code dgesdd} path for small matrices (the driver PyTorch calls on
 * CPU): Householder bidiagonalisation ({@code dgebd2}, after a QR or LQ step for tall or wide inputs),
 * then the implicit-shift QR iteration of {@code dbdsqr}, with the QR/LQ switch points MKL uses. Its
 * singular vectors therefore carry the same signs as the x86-64 PyTorch wheels (MKL) whenever
 * min(m, n) &lt;= 25 and the singular values are well separated; PyTorch on reference LAPACK or
 * OpenBLAS differs for some shapes, and larger matrices (where LAPACK switches to divide and conquer)
 * may differ too. Singular vectors are only defined up to sign: compare through {@code U diag(S) Vh}.
 * Eigenvectors from {@link #eigh} (cyclic Jacobi) are normalised so that the component of largest
 * magnitude in each is positive; PyTorch's signs are arbitrary there too.
 */
final class LinalgImpl {
    private LinalgImpl() {}

    // ================================================================ checks and conversions

    static void checkMatrix(String fn, Tensor a) {
        if (a.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor A must have at least 2 dimensions.");
    }

    static void checkSquare(String fn, Tensor a) {
        checkMatrix(fn, a);
        long m = a.size(-2), n = a.size(-1);
        if (m != n) throw new IllegalArgumentException(fn + ": A must be batches of square matrices, but they are " + m + " by " + n + " matrices");
    }

    static void checkFloat(String fn, Tensor a) {
        if (!a.dtype().isFloatingPoint())
            throw new IllegalArgumentException(fn + ": Expected a floating point or complex tensor as input. Got " + a.dtype().scalarTypeName());
    }

    /** The error PyTorch's LAPACK kernels give for float16 and bfloat16, e.g. {@code "lu_cpu" not implemented for 'Half'}. */
    static void checkKernelDtype(String kernel, Tensor a) {
        DType t = a.dtype();
        if (!t.isFloatingPoint() || t == DType.float16 || t == DType.bfloat16)
            throw new UnsupportedOperationException("\"" + kernel + (a.isCuda() ? "_cuda" : "_cpu") + "\" not implemented for '" + t.scalarTypeName() + "'");
    }

    static void checkNoGrad(String fn, Tensor... ts) {
        if (!GradMode.isEnabled()) return;
        for (Tensor t : ts)
            if (t != null && t.requiresGrad()) throw new UnsupportedOperationException("the derivative of " + fn + " is not implemented yet");
    }

    static long[] batchShape(Tensor a) { return Arrays.copyOf(a.shape().toArray(), a.dim() - 2); }

    static long[] concat(long[] batch, long... tail) {
        long[] r = Arrays.copyOf(batch, batch.length + tail.length);
        System.arraycopy(tail, 0, r, batch.length, tail.length);
        return r;
    }

    static int count(long[] batch) {
        long c = 1;
        for (long b : batch) c *= b;
        return Math.toIntExact(c);
    }

    /** A float64 result as a tensor of {@code like}'s dtype on its device. */
    static Tensor make(double[] data, long[] shape, Tensor like) {
        Tensor t = shape.length == 0 ? Torch.tensor(data[0], DType.float64) : Torch.fromArray(data, shape);
        return t.to(like.device(), like.dtype());
    }

    static String batchPrefix(Tensor a, int b) { return a.dim() > 2 ? "(Batch element " + b + "): " : ""; }

    static double[] host(Tensor a) { return a.detach().toDoubleArray(); }

    // ================================================================ LU: inv, det, solve

    /**
     * LU factorisation with partial pivoting of the row-major n x n matrix at {@code a[off..]}, in place,
     * like LAPACK's getrf: rows {@code k} and {@code piv[k]} were swapped at step k. Returns 0, or the
     * 1-based index of the first exactly zero pivot (the factorisation still completes).
     */
    static int getrf(double[] a, int off, int n, int[] piv) {
        int info = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(a[off + k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(a[off + i * n + k]);
                if (v > best) { best = v; p = i; }
            }
            piv[k] = p;
            double pivot = a[off + p * n + k];
            if (pivot != 0) {
                if (p != k) {
                    for (int j = 0; j < n; j++) {
                        double t = a[off + k * n + j];
                        a[off + k * n + j] = a[off + p * n + j];
                        a[off + p * n + j] = t;
                    }
                }
                for (int i = k + 1; i < n; i++) a[off + i * n + k] /= pivot;
            } else if (info == 0) {
                info = k + 1;
            }
            for (int i = k + 1; i < n; i++) {
                double l = a[off + i * n + k];
                if (l == 0) continue;
                int ri = off + i * n, rk = off + k * n;
                for (int j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
            }
        }
        return info;
    }

    /** Solves {@code M X = B} (or {@code M^T X = B} when {@code transposed}) given getrf's factors of M; B is n x nrhs row-major, overwritten. */
    static void getrs(double[] lu, int off, int n, int[] piv, double[] b, int boff, int nrhs, boolean transposed) {
        if (!transposed) {
            for (int k = 0; k < n; k++) if (piv[k] != k) swapRows(b, boff, nrhs, k, piv[k]);
            for (int i = 0; i < n; i++) // L y = b, unit lower
                for (int k = 0; k < i; k++) {
                    double l = lu[off + i * n + k];
                    if (l != 0) for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] -= l * b[boff + k * nrhs + j];
                }
            for (int i = n - 1; i >= 0; i--) { // U x = y
                for (int k = i + 1; k < n; k++) {
                    double u = lu[off + i * n + k];
                    if (u != 0) for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] -= u * b[boff + k * nrhs + j];
                }
                double d = lu[off + i * n + i];
                for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] /= d;
            }
        } else {
            for (int i = 0; i < n; i++) { // U^T y = b, lower with U's diagonal
                for (int k = 0; k < i; k++) {
                    double u = lu[off + k * n + i];
                    if (u != 0) for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] -= u * b[boff + k * nrhs + j];
                }
                double d = lu[off + i * n + i];
                for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] /= d;
            }
            for (int i = n - 1; i >= 0; i--) // L^T z = y, unit upper
                for (int k = i + 1; k < n; k++) {
                    double l = lu[off + k * n + i];
                    if (l != 0) for (int j = 0; j < nrhs; j++) b[boff + i * nrhs + j] -= l * b[boff + k * nrhs + j];
                }
            for (int k = n - 1; k >= 0; k--) if (piv[k] != k) swapRows(b, boff, nrhs, k, piv[k]);
        }
    }

    private static void swapRows(double[] b, int off, int cols, int r1, int r2) {
        for (int j = 0; j < cols; j++) {
            double t = b[off + r1 * cols + j];
            b[off + r1 * cols + j] = b[off + r2 * cols + j];
            b[off + r2 * cols + j] = t;
        }
    }

    private static void transposeSquare(double[] a, int off, int n) {
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double t = a[off + i * n + j];
                a[off + i * n + j] = a[off + j * n + i];
                a[off + j * n + i] = t;
            }
    }

    /** The inverse of a square matrix or batch, like {@code torch.linalg.inv}; differentiable. */
    static Tensor inv(Tensor a) {
        String fn = "linalg.inv";
        checkSquare(fn, a);
        checkFloat(fn, a);
        if (a.dtype() == DType.float16 || a.dtype() == DType.bfloat16)
            throw new IllegalArgumentException(fn + ": Low precision dtypes not supported. Got " + a.dtype().scalarTypeName());
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        double[] out = new double[x.length];
        // Like PyTorch (linalg_solve_ex): a contiguous A is factored as A^T, which decides which exact zero pivot is reported.
        boolean useT = a.isContiguous();
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            if (useT) transposeSquare(x, off, n);
            int info = getrf(x, off, n, piv);
            if (info > 0)
                throw new TorchLinalg.LinAlgError(fn + ": " + batchPrefix(a, b) + "The diagonal element " + info
                        + " is zero, the inversion could not be completed because the input matrix is singular.");
            for (int i = 0; i < n; i++) out[off + i * n + i] = 1;
            getrs(x, off, n, piv, out, off, n, useT);
        }
        Tensor r = make(out, a.shape().toArray(), a);
        // grad_A = -inv(A)^T grad inv(A)^T, reading the result as a saved output (derivatives.yaml, linalg_inv_ex)
        if (Graph.needsRecording(a))
            Graph.record("LinalgInvExBackward0", r, new Tensor[]{a}, new Tensor[]{r}, (g, saved) -> {
                Tensor invT = saved[0].mT();
                return new Tensor[]{invT.matmul(g).matmul(invT).neg()};
            });
        return r;
    }

    /** The determinant, like {@code torch.linalg.det}: the product of the LU pivots with the permutation's sign. */
    static Tensor det(Tensor a) {
        String fn = "linalg.det";
        checkSquare(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("lu", a);
        checkNoGrad(fn, a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        double[] out = new double[count];
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            getrf(x, off, n, piv);
            double p = 1;
            boolean negative = false;
            for (int i = 0; i < n; i++) {
                p *= x[off + i * n + i];
                if (piv[i] != i) negative = !negative;
            }
            out[b] = negative ? -p : p;
        }
        return make(out, batch, a);
    }

    /** Solves {@code A X = B}, like {@code torch.linalg.solve(A, B)}, with PyTorch's vector and broadcasting rules for B. */
    static Tensor solve(Tensor a, Tensor bIn) {
        String fn = "linalg.solve";
        checkSquare(fn, a);
        checkFloat(fn, a);
        if (a.dtype() != bIn.dtype())
            throw new IllegalArgumentException(fn + ": Expected A and B to have the same dtype, but found A of type " + a.dtype().scalarTypeName()
                    + " and B of type " + bIn.dtype().scalarTypeName() + " instead");
        checkKernelDtype("lu", a);
        checkNoGrad(fn, a, bIn);
        long[] aShape = a.shape().toArray();
        long[] bShape = bIn.shape().toArray();
        boolean vector = bIn.dim() == 1 || (a.dim() - 1 == bIn.dim() && Arrays.equals(bShape, Arrays.copyOf(aShape, aShape.length - 1)));
        Tensor bm = vector ? bIn.unsqueeze(-1) : bIn;
        int n = (int) a.size(-1);
        if (bm.dim() < 2 || bm.size(-2) != n)
            throw new IllegalArgumentException(fn + ": Incompatible shapes of A and B for the equation AX = B (" + n + "x" + n + " and "
                    + (bm.dim() < 2 ? "" : bm.size(-2) + "x") + bm.size(-1) + ")");
        int k = (int) bm.size(-1);
        long[] batch = Shapes.broadcast(batchShape(a), batchShape(bm));
        Tensor ae = a.expand(concat(batch, n, n));
        Tensor be = bm.expand(concat(batch, n, k));
        int count = count(batch);
        double[] x = host(ae);
        double[] rhs = host(be);
        boolean useT = a.isContiguous();
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            if (useT) transposeSquare(x, off, n);
            if (getrf(x, off, n, piv) > 0)
                throw new TorchLinalg.LinAlgError("torch." + fn + ": " + (batch.length > 0 ? "(Batch element " + b + "): " : "")
                        + "The solver failed because the input matrix is singular.");
            getrs(x, off, n, piv, rhs, b * n * k, k, useT);
        }
        Tensor r = make(rhs, concat(batch, n, k), a);
        return vector ? r.squeeze(-1) : r;
    }

    // ================================================================ Cholesky

    static Tensor cholesky(Tensor a, boolean upper) {
        String fn = "linalg.cholesky";
        checkSquare(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("cholesky", a);
        checkNoGrad(fn, a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        double[] out = new double[x.length];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            for (int j = 0; j < n; j++) {
                double s = x[off + j * n + j];
                for (int k = 0; k < j; k++) s -= out[off + j * n + k] * out[off + j * n + k];
                if (!(s > 0))
                    throw new TorchLinalg.LinAlgError(fn + ": " + batchPrefix(a, b) + "The factorization could not be completed because the input is "
                            + "not positive-definite (the leading minor of order " + (j + 1) + " is not positive-definite).");
                double d = Math.sqrt(s);
                out[off + j * n + j] = d;
                for (int i = j + 1; i < n; i++) {
                    double t = x[off + i * n + j];
                    for (int k = 0; k < j; k++) t -= out[off + i * n + k] * out[off + j * n + k];
                    out[off + i * n + j] = t / d;
                }
            }
            if (upper) transposeSquare(out, off, n);
        }
        return make(out, a.shape().toArray(), a);
    }

    // ================================================================ QR

    /** Householder QR; mode "reduced", "complete" or "r". */
    static TorchLinalg.Qr qr(Tensor a, String mode) {
        String fn = "linalg.qr";
        if (!mode.equals("reduced") && !mode.equals("complete") && !mode.equals("r"))
            throw new IllegalArgumentException("qr received unrecognized mode '" + mode + "' but expected one of 'reduced' (default), 'r', or 'complete'");
        checkMatrix(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("geqrf", a);
        checkNoGrad(fn, a);
        int m = (int) a.size(-2), n = (int) a.size(-1), k = Math.min(m, n);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        int qc = mode.equals("complete") ? m : k;
        int rr = mode.equals("complete") ? m : k;
        double[] qOut = mode.equals("r") ? new double[0] : new double[count * m * qc];
        double[] rOut = new double[count * rr * n];
        for (int b = 0; b < count; b++) {
            double[] c = Lapack.colMajor(x, b * m * n, m, n);
            double[] tau = Lapack.geqr2(m, n, c, m);
            for (int i = 0; i < rr; i++)
                for (int j = i; j < n; j++) rOut[b * rr * n + i * n + j] = i < k ? c[i + j * m] : 0;
            if (!mode.equals("r")) {
                double[] q = Lapack.orgqr(m, qc, k, c, m, tau);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < qc; j++) qOut[b * m * qc + i * qc + j] = q[i + j * m];
            }
        }
        Tensor q = mode.equals("r") ? make(new double[0], new long[]{0}, a) : make(qOut, concat(batch, m, qc), a);
        return new TorchLinalg.Qr(q, make(rOut, concat(batch, rr, n), a));
    }

    // ================================================================ SVD and friends

    private static final class SvdResult {
        final double[] u, s, vh;
        final int m, n, k;

        SvdResult(int m, int n, int count) {
            this.m = m;
            this.n = n;
            this.k = Math.min(m, n);
            u = new double[count * m * k];
            s = new double[count * k];
            vh = new double[count * k * n];
        }
    }

    /** SVDs of every matrix in the batch; {@code u}, {@code vh} row-major per matrix. */
    private static SvdResult svdHost(Tensor a) {
        int m = (int) a.size(-2), n = (int) a.size(-1);
        int count = count(batchShape(a));
        SvdResult r = new SvdResult(m, n, count);
        int k = r.k;
        double[] x = host(a);
        for (int b = 0; b < count; b++) {
            int off = b * m * n;
            for (int i = 0; i < m * n; i++)
                if (!Double.isFinite(x[off + i]))
                    throw new TorchLinalg.LinAlgError("linalg.svd: " + batchPrefix(a, b)
                            + "The algorithm failed to converge because the input matrix contained non-finite values.");
            if (k == 0) continue;
            double[][] usv = Lapack.gesdd(m, n, Lapack.colMajor(x, off, m, n));
            double[] u = usv[0], s = usv[1], vt = usv[2];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < k; j++) r.u[b * m * k + i * k + j] = u[i + j * m];
            System.arraycopy(s, 0, r.s, b * k, k);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < n; j++) r.vh[b * k * n + i * n + j] = vt[i + j * k];
        }
        return r;
    }

    private static void checkSvdInput(String fn, Tensor a) {
        checkMatrix(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("linalg_svd", a);
    }

    /** Reduced SVD ({@code full_matrices=False}), like {@code torch.linalg.svd}. */
    static ReturnTypes.LinalgSvd svd(Tensor a) {
        checkSvdInput("linalg.svd", a);
        checkNoGrad("linalg.svd", a);
        SvdResult r = svdHost(a);
        long[] batch = batchShape(a);
        return new ReturnTypes.LinalgSvd(make(r.u, concat(batch, r.m, r.k), a), make(r.s, concat(batch, r.k), a),
                make(r.vh, concat(batch, r.k, r.n), a));
    }

    /** The singular values, descending, like {@code torch.linalg.svdvals}. */
    static Tensor svdvals(Tensor a) {
        checkSvdInput("linalg.svd", a);
        checkNoGrad("linalg.svdvals", a);
        SvdResult r = svdHost(a);
        return make(r.s, concat(batchShape(a), r.k), a);
    }

    private static double eps(DType t) {
        return switch (t) {
            case float64 -> Math.ulp(1.0);
            case float32 -> Math.ulp(1.0f);
            case float16 -> 0.0009765625;
            case bfloat16 -> 0.0078125;
            default -> throw new IllegalArgumentException("This function doesn't handle types other than float and double");
        };
    }

    /** The number of singular values above {@code max(atol, rtol * sigma_max)}; PyTorch's defaults when both are null. */
    static Tensor matrixRank(Tensor a, Double atol, Double rtol) {
        if (a.dtype() != DType.float32 && a.dtype() != DType.float64)
            throw new IllegalArgumentException("This function doesn't handle types other than float and double");
        if (a.dim() < 2)
            throw new IllegalArgumentException("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.");
        checkNoGrad("linalg.matrix_rank", a);
        SvdResult r = svdHost(a);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] tols = tolerances(a, r, atol, rtol);
        long[] out = new long[count];
        for (int b = 0; b < count; b++)
            for (int i = 0; i < r.k; i++) if (r.s[b * r.k + i] > tols[b]) out[b]++;
        return (batch.length == 0 ? Torch.tensor(out[0]) : Torch.fromArray(out, batch)).to(a.device());
    }

    private static double[] tolerances(Tensor a, SvdResult r, Double atol, Double rtol) {
        int count = r.s.length / Math.max(r.k, 1);
        if (r.k == 0) count = count(batchShape(a));
        double at = atol == null ? 0 : atol;
        double rt = rtol != null ? rtol : (atol != null && atol > 0) ? 0 : eps(a.dtype()) * Math.max(r.m, r.n);
        double[] t = new double[count];
        for (int b = 0; b < count; b++) t[b] = Math.max(at, r.k == 0 ? 0 : rt * r.s[b * r.k]);
        return t;
    }

    /** The Moore–Penrose pseudo-inverse via the SVD, like {@code torch.linalg.pinv}. */
    static Tensor pinv(Tensor a, Double atol, Double rtol) {
        if (a.dim() < 2 || !a.dtype().isFloatingPoint() || a.dtype() == DType.float16 || a.dtype() == DType.bfloat16)
            throw new IllegalArgumentException("linalg.pinv(" + a.dtype().scalarTypeName() + "{" + Arrays.toString(a.shape().toArray())
                    + "}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types");
        checkNoGrad("linalg.pinv", a);
        SvdResult r = svdHost(a);
        int m = r.m, n = r.n, k = r.k;
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] tols = tolerances(a, r, atol, rtol);
        double[] out = new double[count * n * m];
        for (int b = 0; b < count; b++)
            for (int l = 0; l < k; l++) {
                double s = r.s[b * k + l];
                if (!(s > tols[b])) continue;
                double inv = 1 / s;
                for (int i = 0; i < n; i++) {
                    double v = r.vh[b * k * n + l * n + i] * inv;
                    if (v == 0) continue;
                    for (int j = 0; j < m; j++) out[b * n * m + i * m + j] += v * r.u[b * m * k + j * k + l];
                }
            }
        return make(out, concat(batch, n, m), a);
    }

    // ================================================================ symmetric eigendecomposition

    /** Eigenvalues (ascending) and eigenvectors (columns) of the symmetric matrix read from the {@code uplo} triangle. */
    static TorchLinalg.Eigh eigh(Tensor a, String uplo, boolean vectors) {
        String fn = "linalg.eigh";
        boolean lower = checkUplo(uplo);
        checkSquare(fn, a);
        checkKernelDtype("linalg_eigh", a);
        checkNoGrad(vectors ? "linalg.eigh" : "linalg.eigvalsh", a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        double[] w = new double[count * n];
        double[] v = vectors ? new double[count * n * n] : null;
        double[] mat = new double[n * n], vec = new double[n * n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    boolean stored = lower ? i >= j : i <= j;
                    mat[i * n + j] = stored ? x[off + i * n + j] : x[off + j * n + i];
                }
            jacobi(n, mat, vec, w, b * n);
            if (vectors) System.arraycopy(vec, 0, v, off, n * n);
        }
        Tensor values = make(w, concat(batch, n), a);
        return new TorchLinalg.Eigh(values, vectors ? make(v, concat(batch, n, n), a) : null);
    }

    static boolean checkUplo(String uplo) {
        if (uplo.equalsIgnoreCase("L")) return true;
        if (uplo.equalsIgnoreCase("U")) return false;
        throw new IllegalArgumentException("Expected UPLO argument to be 'L' or 'U', but got " + uplo);
    }

    /**
     * Cyclic Jacobi on the symmetric row-major {@code a} (destroyed): eigenvalues ascending into
     * {@code w[woff..]}, eigenvectors as the columns of row-major {@code v}, each with its
     * largest-magnitude component positive.
     */
    static void jacobi(int n, double[] a, double[] v, double[] w, int woff) {
        Arrays.fill(v, 0, n * n, 0);
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
            }
            if (off == 0 || off <= 1e-36 * diag || !Double.isFinite(off)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    double app = a[p * n + p], aqq = a[q * n + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    if (Double.isInfinite(theta * theta)) t = 1 / (2 * theta);
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    a[p * n + q] = 0;
                    a[q * n + p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (i, j) -> Double.compare(a[i * n + i], a[j * n + j]));
        double[] vs = v.clone();
        for (int c = 0; c < n; c++) {
            int src = order[c];
            w[woff + c] = a[src * n + src];
            int big = 0;
            for (int r = 1; r < n; r++) if (Math.abs(vs[r * n + src]) > Math.abs(vs[big * n + src])) big = r;
            double sign = vs[big * n + src] < 0 ? -1 : 1;
            for (int r = 0; r < n; r++) v[r * n + c] = sign * vs[r * n + src];
        }
    }

    // ================================================================ norms

    /** Matrix norms over the last two dims: "fro", "nuc", or ord 1, -1, 2, -2, inf, -inf. */
    static Tensor matrixNorm(Tensor a, Object ord) {
        String fn = "linalg.matrix_norm";
        checkMatrix(fn, a);
        checkFloat(fn, a);
        int[] dims = {-2, -1};
        if ("fro".equals(ord)) return a.norm(2, dims, false);  // PyTorch too: linalg_vector_norm, whose gradient is 0 at 0
        if ("nuc".equals(ord)) return svdvals(a).sum(-1);
        if (!(ord instanceof Number num))
            throw new IllegalArgumentException(fn + ": Order " + ord + " not supported.");
        double p = num.doubleValue();
        if (p == 2) return svdvals(a).select(-1, 0);
        if (p == -2) return svdvals(a).narrow(-1, Math.max(Math.min(a.size(-2), a.size(-1)) - 1, 0), 1).squeeze(-1);
        if (p == 1) return a.abs().sum(-2).amax(-1);
        if (p == -1) return a.abs().sum(-2).amin(-1);
        if (p == Double.POSITIVE_INFINITY) return a.abs().sum(-1).amax(-1);
        if (p == Double.NEGATIVE_INFINITY) return a.abs().sum(-1).amin(-1);
        throw new IllegalArgumentException(fn + ": Order " + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + " not supported.");
    }

    // ================================================================ LAPACK ports

    /**
     * Java ports of the reference-LAPACK routines behind {@code dgesdd} and {@code dgeqrf}; matrices
     * column-major, Fortran's 1-based d/e arrays kept 1-based.
     */
    static final class Lapack {
        private Lapack() {}

        /** dlamch('E'): the unit roundoff 2^-53. */
        static final double EPS = Math.ulp(1.0) / 2;
        /** dlamch('S'). */
        static final double SAFMIN = Double.MIN_NORMAL;

        static double[] colMajor(double[] rowMajor, int off, int m, int n) {
            double[] c = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) c[i + j * m] = rowMajor[off + i * n + j];
            return c;
        }

        static double[] transpose(double[] c, int m, int n) {
            double[] t = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) t[j + i * n] = c[i + j * m];
            return t;
        }

        static double nrm2(int n, double[] x, int off, int inc) {
            double scale = 0, ssq = 1;
            for (int i = 0; i < n; i++) {
                double v = x[off + i * inc];
                if (v != 0) {
                    double av = Math.abs(v);
                    if (scale < av) {
                        ssq = 1 + ssq * (scale / av) * (scale / av);
                        scale = av;
                    } else {
                        ssq += (av / scale) * (av / scale);
                    }
                }
            }
            return scale * Math.sqrt(ssq);
        }

        /**
         * dlarfg: the elementary reflector H with H^T (alpha, x) = (beta, 0), H = I - tau v v^T, v(0) = 1.
         * alpha at {@code a[ia]} becomes beta, x at {@code a[ix + i*inc]} becomes v(1..); returns tau.
         */
        static double larfg(int n, double[] a, int ia, int ix, int inc) {
            if (n <= 1) return 0;
            double xnorm = nrm2(n - 1, a, ix, inc);
            if (xnorm == 0) return 0;
            double alpha = a[ia];
            double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            double safmin = SAFMIN / EPS;
            int knt = 0;
            if (Math.abs(beta) < safmin) {
                double rsafmn = 1 / safmin;
                do {
                    knt++;
                    for (int i = 0; i < n - 1; i++) a[ix + i * inc] *= rsafmn;
                    beta *= rsafmn;
                    alpha *= rsafmn;
                } while (Math.abs(beta) < safmin && knt < 20);
                xnorm = nrm2(n - 1, a, ix, inc);
                beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            }
            double tau = (beta - alpha) / beta;
            double scal = 1 / (alpha - beta);
            for (int i = 0; i < n - 1; i++) a[ix + i * inc] *= scal;
            for (int j = 0; j < knt; j++) beta *= safmin;
            a[ia] = beta;
            return tau;
        }

        /** dlarf 'Left': C := (I - tau v v^T) C for the rows x cols block of C at {@code ic}; v at {@code v[iv + i*incv]}. */
        static void larfLeft(int rows, int cols, double[] v, int iv, int incv, double tau, double[] c, int ic, int ldc) {
            if (tau == 0) return;
            for (int j = 0; j < cols; j++) {
                double w = 0;
                int cj = ic + j * ldc;
                for (int i = 0; i < rows; i++) w += c[cj + i] * v[iv + i * incv];
                if (w == 0) continue;
                w *= tau;
                for (int i = 0; i < rows; i++) c[cj + i] -= v[iv + i * incv] * w;
            }
        }

        /** dlarf 'Right': C := C (I - tau v v^T) for the rows x cols block of C at {@code ic}. */
        static void larfRight(int rows, int cols, double[] v, int iv, int incv, double tau, double[] c, int ic, int ldc) {
            if (tau == 0) return;
            double[] w = new double[rows];
            for (int j = 0; j < cols; j++) {
                double vj = v[iv + j * incv];
                if (vj == 0) continue;
                int cj = ic + j * ldc;
                for (int i = 0; i < rows; i++) w[i] += c[cj + i] * vj;
            }
            for (int j = 0; j < cols; j++) {
                double f = tau * v[iv + j * incv];
                if (f == 0) continue;
                int cj = ic + j * ldc;
                for (int i = 0; i < rows; i++) c[cj + i] -= w[i] * f;
            }
        }

        /** dgeqr2: QR of the m x n column-major A in place (R above the diagonal, reflectors below); returns tau. */
        static double[] geqr2(int m, int n, double[] a, int lda) {
            int k = Math.min(m, n);
            double[] tau = new double[k];
            for (int i = 0; i < k; i++) {
                tau[i] = larfg(m - i, a, i + i * lda, Math.min(i + 1, m - 1) + i * lda, 1);
                if (i < n - 1) {
                    double aii = a[i + i * lda];
                    a[i + i * lda] = 1;
                    larfLeft(m - i, n - i - 1, a, i + i * lda, 1, tau[i], a, i + (i + 1) * lda, lda);
                    a[i + i * lda] = aii;
                }
            }
            return tau;
        }

        /** dorg2r: the first {@code cols} columns of Q = H(1)...H(k) from geqr2's reflectors, m x cols column-major. */
        static double[] orgqr(int m, int cols, int k, double[] a, int lda, double[] tau) {
            double[] q = new double[m * cols];
            for (int j = 0; j < cols; j++) q[j + j * m] = 1;
            double[] v = new double[m];
            for (int i = k - 1; i >= 0; i--) {
                v[i] = 1;
                for (int r = i + 1; r < m; r++) v[r] = a[r + i * lda];
                larfLeft(m - i, cols - i, v, i, 1, tau[i], q, i + i * m, m);
            }
            return q;
        }

        /** The bidiagonal form of dgebd2 with the reflectors kept as explicit vectors. */
        static final class Bidiag {
            final int m, n;
            final boolean upper;
            final double[] d, e; // 1-based
            final double[][] qv, pv; // reflector vectors (full length m resp. n)
            final double[] tauq, taup;

            Bidiag(int m, int n) {
                this.m = m;
                this.n = n;
                upper = m >= n;
                int k = Math.min(m, n);
                d = new double[k + 1];
                e = new double[k + 1];
                qv = new double[k][];
                pv = new double[k][];
                tauq = new double[k];
                taup = new double[k];
            }
        }

        /** dgebd2 on the m x n column-major A (destroyed). */
        static Bidiag gebd2(int m, int n, double[] a) {
            Bidiag r = new Bidiag(m, n);
            int lda = m;
            if (m >= n) {
                for (int i = 0; i < n; i++) {
                    r.tauq[i] = larfg(m - i, a, i + i * lda, Math.min(i + 1, m - 1) + i * lda, 1);
                    r.d[i + 1] = a[i + i * lda];
                    a[i + i * lda] = 1;
                    r.qv[i] = vecFromColumn(a, m, i, i, lda);
                    if (i < n - 1) larfLeft(m - i, n - i - 1, a, i + i * lda, 1, r.tauq[i], a, i + (i + 1) * lda, lda);
                    a[i + i * lda] = r.d[i + 1];
                    if (i < n - 1) {
                        r.taup[i] = larfg(n - i - 1, a, i + (i + 1) * lda, i + Math.min(i + 2, n - 1) * lda, lda);
                        r.e[i + 1] = a[i + (i + 1) * lda];
                        a[i + (i + 1) * lda] = 1;
                        r.pv[i] = vecFromRow(a, n, i, i + 1, lda);
                        larfRight(m - i - 1, n - i - 1, a, i + (i + 1) * lda, lda, r.taup[i], a, i + 1 + (i + 1) * lda, lda);
                        a[i + (i + 1) * lda] = r.e[i + 1];
                    } else {
                        r.taup[i] = 0;
                    }
                }
            } else {
                for (int i = 0; i < m; i++) {
                    r.taup[i] = larfg(n - i, a, i + i * lda, i + Math.min(i + 1, n - 1) * lda, lda);
                    r.d[i + 1] = a[i + i * lda];
                    a[i + i * lda] = 1;
                    r.pv[i] = vecFromRow(a, n, i, i, lda);
                    if (i < m - 1) larfRight(m - i - 1, n - i, a, i + i * lda, lda, r.taup[i], a, i + 1 + i * lda, lda);
                    a[i + i * lda] = r.d[i + 1];
                    if (i < m - 1) {
                        r.tauq[i] = larfg(m - i - 1, a, i + 1 + i * lda, Math.min(i + 2, m - 1) + i * lda, 1);
                        r.e[i + 1] = a[i + 1 + i * lda];
                        a[i + 1 + i * lda] = 1;
                        r.qv[i] = vecFromColumn(a, m, i + 1, i, lda);
                        larfLeft(m - i - 1, n - i - 1, a, i + 1 + i * lda, 1, r.tauq[i], a, i + 1 + (i + 1) * lda, lda);
                        a[i + 1 + i * lda] = r.e[i + 1];
                    } else {
                        r.tauq[i] = 0;
                    }
                }
            }
            return r;
        }

        /** The reflector vector stored in column {@code col} from row {@code start} (where it is 1) down, as a full length-m vector. */
        private static double[] vecFromColumn(double[] a, int m, int start, int col, int lda) {
            double[] v = new double[m];
            for (int r = start; r < m; r++) v[r] = a[r + col * lda];
            return v;
        }

        private static double[] vecFromRow(double[] a, int n, int row, int start, int lda) {
            double[] v = new double[n];
            for (int c = start; c < n; c++) v[c] = a[row + c * lda];
            return v;
        }

        /** X := Q X for gebd2's Q = H(1)...H(k); X has {@code rows = m} rows and {@code cols} columns, column-major. */
        static void applyQ(Bidiag b, double[] x, int cols) {
            int k = b.upper ? b.n : b.m - 1;
            for (int i = k - 1; i >= 0; i--) {
                int start = b.upper ? i : i + 1;
                larfLeft(b.m - start, cols, b.qv[i], start, 1, b.tauq[i], x, start, b.m);
            }
        }

        /** X := X P^T for gebd2's P = G(1)...G(k); X is rows x n column-major. */
        static void applyPT(Bidiag b, double[] x, int rows) {
            int k = b.upper ? b.n - 1 : b.m;
            for (int i = k - 1; i >= 0; i--) {
                int start = b.upper ? i + 1 : i;
                larfRight(rows, b.n - start, b.pv[i], start, 1, b.taup[i], x, start * rows, rows);
            }
        }

        /** dlartg (LAPACK 3.10+): returns {c, s, r} with [c s; -s c] (f, g) = (r, 0). */
        static void lartg(double f, double g, double[] out) {
            final double safmin = Double.MIN_NORMAL, safmax = 1 / safmin;
            final double rtmin = Math.sqrt(safmin), rtmax = Math.sqrt(safmax / 2);
            double f1 = Math.abs(f), g1 = Math.abs(g);
            if (g == 0) {
                out[0] = 1; out[1] = 0; out[2] = f;
            } else if (f == 0) {
                out[0] = 0; out[1] = Math.copySign(1, g); out[2] = g1;
            } else if (f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax) {
                double d = Math.sqrt(f * f + g * g);
                out[0] = f1 / d;
                double r = Math.copySign(d, f);
                out[1] = g / r;
                out[2] = r;
            } else {
                double u = Math.min(safmax, Math.max(safmin, Math.max(f1, g1)));
                double fs = f / u, gs = g / u;
                double d = Math.sqrt(fs * fs + gs * gs);
                out[0] = Math.abs(fs) / d;
                double r = Math.copySign(d, f);
                out[1] = gs / r;
                out[2] = r * u;
            }
        }

        /** dlas2: the smaller singular value of [f g; 0 h]. */
        static double las2min(double f, double g, double h) {
            double fa = Math.abs(f), ga = Math.abs(g), ha = Math.abs(h);
            double fhmn = Math.min(fa, ha), fhmx = Math.max(fa, ha);
            if (fhmn == 0) return 0;
            if (ga < fhmx) {
                double as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) * (ga / fhmx);
                double c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
                return fhmn * c;
            }
            double au = fhmx / ga;
            if (au == 0) return (fhmn * fhmx) / ga;
            double as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
            double c = 1 / (Math.sqrt(1 + (as * au) * (as * au)) + Math.sqrt(1 + (at * au) * (at * au)));
            double ssmin = (fhmn * c) * au;
            return ssmin + ssmin;
        }

        private static double sign(double x) { return Math.copySign(1, x); }

        /** dlasv2: SVD of [f g; 0 h]; returns {ssmin, ssmax, snr, csr, snl, csl}. */
        static double[] lasv2(double f, double g, double h) {
            double ft = f, fa = Math.abs(ft), ht = h, ha = Math.abs(h);
            int pmax = 1;
            boolean swap = ha > fa;
            if (swap) {
                pmax = 3;
                double t = ft; ft = ht; ht = t;
                t = fa; fa = ha; ha = t;
            }
            double gt = g, ga = Math.abs(gt);
            double clt, crt, slt, srt, ssmin, ssmax;
            if (ga == 0) {
                ssmin = ha; ssmax = fa;
                clt = 1; crt = 1; slt = 0; srt = 0;
            } else {
                boolean gasmal = true;
                ssmin = ssmax = clt = crt = slt = srt = 0;
                if (ga > fa) {
                    pmax = 2;
                    if (fa / ga < EPS) {
                        gasmal = false;
                        ssmax = ga;
                        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
                        clt = 1;
                        slt = ht / gt;
                        srt = 1;
                        crt = ft / gt;
                    }
                }
                if (gasmal) {
                    double dd = fa - ha;
                    double l = dd == fa ? 1 : dd / fa;
                    double m = gt / ft;
                    double t = 2 - l;
                    double mm = m * m, tt = t * t;
                    double s = Math.sqrt(tt + mm);
                    double r = l == 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
                    double a = 0.5 * (s + r);
                    ssmin = ha / a;
                    ssmax = fa * a;
                    if (mm == 0) {
                        t = l == 0 ? Math.copySign(2, ft) * sign(gt) : gt / Math.copySign(dd, ft) + m / t;
                    } else {
                        t = (m / (s + t) + m / (r + l)) * (1 + a);
                    }
                    l = Math.sqrt(t * t + 4);
                    crt = 2 / l;
                    srt = t / l;
                    clt = (crt + srt * m) / a;
                    slt = (ht / ft) * srt / a;
                }
            }
            double csl, snl, csr, snr;
            if (swap) { csl = srt; snl = crt; csr = slt; snr = clt; } else { csl = clt; snl = slt; csr = crt; snr = srt; }
            double tsign = pmax == 1 ? sign(csr) * sign(csl) * sign(f)
                    : pmax == 2 ? sign(snr) * sign(csl) * sign(g) : sign(snr) * sign(snl) * sign(h);
            ssmax = Math.copySign(ssmax, tsign);
            ssmin = Math.copySign(ssmin, tsign * sign(f) * sign(h));
            return new double[]{ssmin, ssmax, snr, csr, snl, csl};
        }

        /**
         * dlasr with pivot 'V': a sequence of plane rotations (c[co+j], s[so+j]) in planes (j, j+1) applied to the
         * rows (left) or columns (right) of the rows x cols block at {@code a[ao]}, forward or backward.
         */
        static void lasr(boolean left, boolean forward, int rows, int cols, double[] c, int co, double[] s, int so, double[] a, int ao, int lda) {
            int z = left ? rows : cols;
            for (int step = 0; step < z - 1; step++) {
                int j = forward ? step : z - 2 - step;
                double ct = c[co + j], st = s[so + j];
                if (ct == 1 && st == 0) continue;
                if (left) {
                    for (int i = 0; i < cols; i++) {
                        int p = ao + i * lda + j;
                        double temp = a[p + 1];
                        a[p + 1] = ct * temp - st * a[p];
                        a[p] = st * temp + ct * a[p];
                    }
                } else {
                    for (int i = 0; i < rows; i++) {
                        int p = ao + j * lda + i, q = ao + (j + 1) * lda + i;
                        double temp = a[q];
                        a[q] = ct * temp - st * a[p];
                        a[p] = st * temp + ct * a[p];
                    }
                }
            }
        }

        private static final int MAXITR = 6;

        /**
         * dbdsqr for an upper bidiagonal n x n matrix (d[1..n], e[1..n-1]), updating the rows of VT (n x ncvt,
         * column-major, ld n) and the columns of U (nru x n, ld nru). Returns 0, or the number of unconverged
         * superdiagonals.
         */
        static int bdsqr(int n, double[] d, double[] e, double[] vt, int ncvt, double[] u, int nru) {
            if (n == 0) return 0;
            int ldvt = n, ldu = nru;
            if (n > 1) {
                int nm1 = n - 1, nm12 = nm1 + nm1, nm13 = nm12 + nm1;
                int idir = 0;
                double eps = EPS, unfl = SAFMIN;
                double tolmul = Math.max(10, Math.min(100, Math.pow(eps, -0.125)));
                double tol = tolmul * eps;
                double smax = 0;
                for (int i = 1; i <= n; i++) smax = Math.max(smax, Math.abs(d[i]));
                for (int i = 1; i <= n - 1; i++) smax = Math.max(smax, Math.abs(e[i]));
                double smin = 0;
                double sminoa = Math.abs(d[1]);
                if (sminoa != 0) {
                    double mu = sminoa;
                    for (int i = 2; i <= n; i++) {
                        mu = Math.abs(d[i]) * (mu / (mu + Math.abs(e[i - 1])));
                        sminoa = Math.min(sminoa, mu);
                        if (sminoa == 0) break;
                    }
                }
                sminoa = sminoa / Math.sqrt(n);
                double thresh = Math.max(tol * sminoa, MAXITR * (n * (n * unfl)));
                int maxitdivn = MAXITR * n, iterdivn = 0, iter = -1, oldll = -1, oldm = -1;
                int m = n;
                double[] work = new double[4 * n + 1];
                double[] rot = new double[3];
                while (m > 1) {
                    if (iter >= n) {
                        iter -= n;
                        iterdivn++;
                        if (iterdivn >= maxitdivn) {
                            int info = 0;
                            for (int i = 1; i <= n - 1; i++) if (e[i] != 0) info++;
                            return info;
                        }
                    }
                    // find diagonal block of matrix to work on
                    smax = Math.abs(d[m]);
                    int ll = 0;
                    boolean split = false;
                    for (int lll = 1; lll <= m - 1; lll++) {
                        ll = m - lll;
                        double abss = Math.abs(d[ll]), abse = Math.abs(e[ll]);
                        if (abse <= thresh || abse == 0) { split = true; break; }
                        smax = Math.max(smax, Math.max(abss, abse));
                    }
                    if (split) {
                        e[ll] = 0;
                        if (ll == m - 1) { m--; continue; }
                    } else {
                        ll = 0;
                    }
                    ll++;
                    if (ll == m - 1) { // 2 by 2 block
                        double[] sv = lasv2(d[m - 1], e[m - 1], d[m]);
                        d[m - 1] = sv[1];
                        e[m - 1] = 0;
                        d[m] = sv[0];
                        double sinr = sv[2], cosr = sv[3], sinl = sv[4], cosl = sv[5];
                        for (int k = 0; k < ncvt; k++) { // drot on rows m-1, m of VT
                            int p = (m - 2) + k * ldvt, q = (m - 1) + k * ldvt;
                            double x = vt[p], y = vt[q];
                            vt[p] = cosr * x + sinr * y;
                            vt[q] = cosr * y - sinr * x;
                        }
                        for (int k = 0; k < nru; k++) { // drot on columns m-1, m of U
                            int p = k + (m - 2) * ldu, q = k + (m - 1) * ldu;
                            double x = u[p], y = u[q];
                            u[p] = cosl * x + sinl * y;
                            u[q] = cosl * y - sinl * x;
                        }
                        m -= 2;
                        continue;
                    }
                    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]) >= Math.abs(d[m]) ? 1 : 2;
                    // convergence tests
                    boolean restart = false;
                    if (idir == 1) {
                        if (Math.abs(e[m - 1]) <= Math.abs(tol) * Math.abs(d[m])) { e[m - 1] = 0; continue; }
                        double mu = Math.abs(d[ll]);
                        smin = mu;
                        for (int lll = ll; lll <= m - 1; lll++) {
                            if (Math.abs(e[lll]) <= tol * mu) { e[lll] = 0; restart = true; break; }
                            mu = Math.abs(d[lll + 1]) * (mu / (mu + Math.abs(e[lll])));
                            smin = Math.min(smin, mu);
                        }
                    } else {
                        if (Math.abs(e[ll]) <= Math.abs(tol) * Math.abs(d[ll])) { e[ll] = 0; continue; }
                        double mu = Math.abs(d[m]);
                        smin = mu;
                        for (int lll = m - 1; lll >= ll; lll--) {
                            if (Math.abs(e[lll]) <= tol * mu) { e[lll] = 0; restart = true; break; }
                            mu = Math.abs(d[lll]) * (mu / (mu + Math.abs(e[lll])));
                            smin = Math.min(smin, mu);
                        }
                    }
                    if (restart) continue;
                    oldll = ll;
                    oldm = m;
                    // shift
                    double shift;
                    if (n * tol * (smin / smax) <= Math.max(eps, 0.01 * tol)) {
                        shift = 0;
                    } else {
                        double sll;
                        if (idir == 1) {
                            sll = Math.abs(d[ll]);
                            shift = las2min(d[m - 1], e[m - 1], d[m]);
                        } else {
                            sll = Math.abs(d[m]);
                            shift = las2min(d[ll], e[ll], d[ll + 1]);
                        }
                        if (sll > 0 && (shift / sll) * (shift / sll) < eps) shift = 0;
                    }
                    iter = iter + m - ll;
                    if (shift == 0) {
                        if (idir == 1) {
                            double cs = 1, oldcs = 1, sn = 0, oldsn = 0, r;
                            for (int i = ll; i <= m - 1; i++) {
                                lartg(d[i] * cs, e[i], rot);
                                cs = rot[0]; sn = rot[1]; r = rot[2];
                                if (i > ll) e[i - 1] = oldsn * r;
                                lartg(oldcs * r, d[i + 1] * sn, rot);
                                oldcs = rot[0]; oldsn = rot[1]; d[i] = rot[2];
                                work[i - ll + 1] = cs;
                                work[i - ll + 1 + nm1] = sn;
                                work[i - ll + 1 + nm12] = oldcs;
                                work[i - ll + 1 + nm13] = oldsn;
                            }
                            double h = d[m] * cs;
                            d[m] = h * oldcs;
                            e[m - 1] = h * oldsn;
                            if (ncvt > 0) lasr(true, true, m - ll + 1, ncvt, work, 1, work, n, vt, ll - 1, ldvt);
                            if (nru > 0) lasr(false, true, nru, m - ll + 1, work, nm12 + 1, work, nm13 + 1, u, (ll - 1) * ldu, ldu);
                            if (Math.abs(e[m - 1]) <= thresh) e[m - 1] = 0;
                        } else {
                            double cs = 1, oldcs = 1, sn = 0, oldsn = 0, r;
                            for (int i = m; i >= ll + 1; i--) {
                                lartg(d[i] * cs, e[i - 1], rot);
                                cs = rot[0]; sn = rot[1]; r = rot[2];
                                if (i < m) e[i] = oldsn * r;
                                lartg(oldcs * r, d[i - 1] * sn, rot);
                                oldcs = rot[0]; oldsn = rot[1]; d[i] = rot[2];
                                work[i - ll] = cs;
                                work[i - ll + nm1] = -sn;
                                work[i - ll + nm12] = oldcs;
                                work[i - ll + nm13] = -oldsn;
                            }
                            double h = d[ll] * cs;
                            d[ll] = h * oldcs;
                            e[ll] = h * oldsn;
                            if (ncvt > 0) lasr(true, false, m - ll + 1, ncvt, work, nm12 + 1, work, nm13 + 1, vt, ll - 1, ldvt);
                            if (nru > 0) lasr(false, false, nru, m - ll + 1, work, 1, work, n, u, (ll - 1) * ldu, ldu);
                            if (Math.abs(e[ll]) <= thresh) e[ll] = 0;
                        }
                    } else {
                        if (idir == 1) {
                            double f = (Math.abs(d[ll]) - shift) * (sign(d[ll]) + shift / d[ll]);
                            double g = e[ll];
                            for (int i = ll; i <= m - 1; i++) {
                                lartg(f, g, rot);
                                double cosr = rot[0], sinr = rot[1];
                                if (i > ll) e[i - 1] = rot[2];
                                f = cosr * d[i] + sinr * e[i];
                                e[i] = cosr * e[i] - sinr * d[i];
                                g = sinr * d[i + 1];
                                d[i + 1] = cosr * d[i + 1];
                                lartg(f, g, rot);
                                double cosl = rot[0], sinl = rot[1];
                                d[i] = rot[2];
                                f = cosl * e[i] + sinl * d[i + 1];
                                d[i + 1] = cosl * d[i + 1] - sinl * e[i];
                                if (i < m - 1) {
                                    g = sinl * e[i + 1];
                                    e[i + 1] = cosl * e[i + 1];
                                }
                                work[i - ll + 1] = cosr;
                                work[i - ll + 1 + nm1] = sinr;
                                work[i - ll + 1 + nm12] = cosl;
                                work[i - ll + 1 + nm13] = sinl;
                            }
                            e[m - 1] = f;
                            if (ncvt > 0) lasr(true, true, m - ll + 1, ncvt, work, 1, work, n, vt, ll - 1, ldvt);
                            if (nru > 0) lasr(false, true, nru, m - ll + 1, work, nm12 + 1, work, nm13 + 1, u, (ll - 1) * ldu, ldu);
                            if (Math.abs(e[m - 1]) <= thresh) e[m - 1] = 0;
                        } else {
                            double f = (Math.abs(d[m]) - shift) * (sign(d[m]) + shift / d[m]);
                            double g = e[m - 1];
                            for (int i = m; i >= ll + 1; i--) {
                                lartg(f, g, rot);
                                double cosr = rot[0], sinr = rot[1];
                                if (i < m) e[i] = rot[2];
                                f = cosr * d[i] + sinr * e[i - 1];
                                e[i - 1] = cosr * e[i - 1] - sinr * d[i];
                                g = sinr * d[i - 1];
                                d[i - 1] = cosr * d[i - 1];
                                lartg(f, g, rot);
                                double cosl = rot[0], sinl = rot[1];
                                d[i] = rot[2];
                                f = cosl * e[i - 1] + sinl * d[i - 1];
                                d[i - 1] = cosl * d[i - 1] - sinl * e[i - 1];
                                if (i > ll + 1) {
                                    g = sinl * e[i - 2];
                                    e[i - 2] = cosl * e[i - 2];
                                }
                                work[i - ll] = cosr;
                                work[i - ll + nm1] = -sinr;
                                work[i - ll + nm12] = cosl;
                                work[i - ll + nm13] = -sinl;
                            }
                            e[ll] = f;
                            if (Math.abs(e[ll]) <= thresh) e[ll] = 0;
                            if (ncvt > 0) lasr(true, false, m - ll + 1, ncvt, work, nm12 + 1, work, nm13 + 1, vt, ll - 1, ldvt);
                            if (nru > 0) lasr(false, false, nru, m - ll + 1, work, 1, work, n, u, (ll - 1) * ldu, ldu);
                        }
                    }
                }
            }
            // make singular values positive
            for (int i = 1; i <= n; i++) {
                if (d[i] == 0) d[i] = 0;
                if (d[i] < 0) {
                    d[i] = -d[i];
                    for (int k = 0; k < ncvt; k++) vt[(i - 1) + k * ldvt] = -vt[(i - 1) + k * ldvt];
                }
            }
            // sort into decreasing order
            for (int i = 1; i <= n - 1; i++) {
                int isub = 1;
                double smin = d[1];
                for (int j = 2; j <= n + 1 - i; j++) {
                    if (d[j] <= smin) { isub = j; smin = d[j]; }
                }
                if (isub != n + 1 - i) {
                    d[isub] = d[n + 1 - i];
                    d[n + 1 - i] = smin;
                    swapRowsCM(vt, ldvt, ncvt, isub - 1, n - i);
                    swapColsCM(u, ldu, nru, isub - 1, n - i);
                }
            }
            return 0;
        }

        private static void swapRowsCM(double[] a, int lda, int cols, int r1, int r2) {
            for (int k = 0; k < cols; k++) {
                double t = a[r1 + k * lda];
                a[r1 + k * lda] = a[r2 + k * lda];
                a[r2 + k * lda] = t;
            }
        }

        private static void swapColsCM(double[] a, int lda, int rows, int c1, int c2) {
            for (int k = 0; k < rows; k++) {
                double t = a[k + c1 * lda];
                a[k + c1 * lda] = a[k + c2 * lda];
                a[k + c2 * lda] = t;
            }
        }

        /**
         * dbdsdc(COMPQ='I') through its small-matrix path (dlasdq + dbdsqr), used here for every size: SVD of the
         * n x n bidiagonal (d[1..n], e[1..n-1]); returns {U, VT}, n x n column-major, and leaves S in d.
         */
        static double[][] bdsdc(boolean upper, int n, double[] d, double[] e) {
            double[] u = new double[n * n], vt = new double[n * n];
            if (n == 1) {
                u[0] = sign(d[1]);
                vt[0] = 1;
                d[1] = Math.abs(d[1]);
                return new double[][]{u, vt};
            }
            double[] cs = null, msn = null;
            if (!upper) { // rotate to upper bidiagonal by Givens rotations on the left
                cs = new double[n];
                msn = new double[n];
                double[] rot = new double[3];
                for (int i = 1; i <= n - 1; i++) {
                    lartg(d[i], e[i], rot);
                    d[i] = rot[2];
                    e[i] = rot[1] * d[i + 1];
                    d[i + 1] = rot[0] * d[i + 1];
                    cs[i - 1] = rot[0];
                    msn[i - 1] = -rot[1];
                }
            }
            for (int i = 0; i < n; i++) { u[i + i * n] = 1; vt[i + i * n] = 1; }
            int info = bdsqr(n, d, e, vt, n, u, n);
            if (info > 0) throw new TorchLinalg.LinAlgError("linalg.svd: The algorithm failed to converge because the input matrix is "
                    + "ill-conditioned or has too many repeated singular values (error code: " + info + ").");
            // dlasdq: sort into ascending order
            for (int i = 1; i <= n; i++) {
                int isub = i;
                double smin = d[i];
                for (int j = i + 1; j <= n; j++) if (d[j] < smin) { isub = j; smin = d[j]; }
                if (isub != i) {
                    d[isub] = d[i];
                    d[i] = smin;
                    swapRowsCM(vt, n, n, isub - 1, i - 1);
                    swapColsCM(u, n, n, isub - 1, i - 1);
                }
            }
            // dbdsdc: selection sort into decreasing order
            for (int ii = 2; ii <= n; ii++) {
                int i = ii - 1, kk = i;
                double p = d[i];
                for (int j = ii; j <= n; j++) if (d[j] > p) { kk = j; p = d[j]; }
                if (kk != i) {
                    d[kk] = d[i];
                    d[i] = p;
                    swapColsCM(u, n, n, i - 1, kk - 1);
                    swapRowsCM(vt, n, n, i - 1, kk - 1);
                }
            }
            if (!upper) lasr(true, false, n, n, cs, 0, msn, 0, u, 0, n);
            return new double[][]{u, vt};
        }

        /**
         * dgesdd(JOBZ='S') on the m x n column-major A (destroyed): returns {U (m x k), S (k), VT (k x n)},
         * k = min(m, n), column-major.
         */
        static double[][] gesdd(int m, int n, double[] a) {
            int minmn = Math.min(m, n);
            // Reference LAPACK takes the QR (LQ) path when max(m, n) >= int(min(m, n) * 11 / 6). MKL, which the
            // x86-64 PyTorch wheels use, evidently switches at other points: QR from m >= int(1.5 n), LQ only from
            // n >= 20 m. With these thresholds every sign agreed with PyTorch 2.11 + MKL on 500+ random matrices
            // up to 25 rows or columns (with 11/6 it agrees with reference LAPACK/OpenBLAS instead).
            boolean qrFirst = m >= n ? m >= (int) (minmn * 1.5) : (long) n >= 20L * m;
            if (m >= n) {
                if (qrFirst) { // path 3: QR first, then SVD of R
                    double[] tau = geqr2(m, n, a, m);
                    double[] r = new double[n * n];
                    for (int j = 0; j < n; j++)
                        for (int i = 0; i <= j; i++) r[i + j * n] = a[i + j * m];
                    double[] q = orgqr(m, n, n, a, m, tau);
                    Bidiag b = gebd2(n, n, r);
                    double[][] uv = bdsdc(true, n, b.d, b.e);
                    double[] ur = uv[0], vt = uv[1];
                    applyQ(b, ur, n);
                    applyPT(b, vt, n);
                    double[] u = matmulCM(q, m, n, ur, n);
                    return new double[][]{u, Arrays.copyOfRange(b.d, 1, n + 1), vt};
                }
                // path 5: bidiagonalise A directly
                Bidiag b = gebd2(m, n, a);
                double[][] uv = bdsdc(true, n, b.d, b.e);
                double[] u = new double[m * n];
                for (int j = 0; j < n; j++) System.arraycopy(uv[0], j * n, u, j * m, n);
                double[] vt = uv[1];
                applyQ(b, u, n);
                applyPT(b, vt, n);
                return new double[][]{u, Arrays.copyOfRange(b.d, 1, n + 1), vt};
            }
            if (qrFirst) { // path 3t: LQ first (as the transpose of a QR of A^T), then SVD of L
                double[] at = transpose(a, m, n); // n x m
                double[] tau = geqr2(n, m, at, n);
                double[] l = new double[m * m];
                for (int j = 0; j < m; j++)
                    for (int i = 0; i <= j; i++) l[j + i * m] = at[i + j * n]; // L = R^T
                double[] qt = orgqr(n, m, m, at, n, tau); // n x m; Q = qt^T
                Bidiag b = gebd2(m, m, l);
                double[][] uv = bdsdc(true, m, b.d, b.e);
                double[] u = uv[0], vl = uv[1];
                applyQ(b, u, m);
                applyPT(b, vl, m);
                double[] vt = matmulCM(vl, m, m, transpose(qt, n, m), n);
                return new double[][]{u, Arrays.copyOfRange(b.d, 1, m + 1), vt};
            }
            // path 5t: lower bidiagonal
            Bidiag b = gebd2(m, n, a);
            double[][] uv = bdsdc(false, m, b.d, b.e);
            double[] u = uv[0];
            double[] vt = new double[m * n];
            for (int j = 0; j < m; j++) System.arraycopy(uv[1], j * m, vt, j * m, m);
            applyQ(b, u, m);
            applyPT(b, vt, m);
            return new double[][]{u, Arrays.copyOfRange(b.d, 1, m + 1), vt};
        }

        /** (p x q) times (q x r), column-major. */
        static double[] matmulCM(double[] x, int p, int q, double[] y, int r) {
            double[] z = new double[p * r];
            for (int j = 0; j < r; j++)
                for (int l = 0; l < q; l++) {
                    double ylj = y[l + j * q];
                    if (ylj == 0) continue;
                    for (int i = 0; i < p; i++) z[i + j * p] += x[i + l * p] * ylj;
                }
            return z;
        }
    }
}
