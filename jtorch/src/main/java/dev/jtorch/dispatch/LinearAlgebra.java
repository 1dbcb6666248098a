package dev.jtorch.dispatch;

import dev.jtorch.DType;
import dev.jtorch.ReturnTypes;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.TorchLinalg;
import dev.jtorch.autograd.GradMode;
import dev.jtorch.autograd.Graph;
import dev.jtorch.backend.Linalg;
import java.util.Arrays;

/**
 * The semantics of {@code torch.linalg}: argument checks and PyTorch's messages, batching, results and autograd.
 * Every op copies its input to a float64 host array, has the device's {@link Linalg} routines work on one matrix of
 * the (flattened) batch at a time, and converts the result back to the input's dtype and device.
 *
 * <p>Singular vectors are only defined up to sign: compare through {@code U diag(S) Vh}; the routines' notes
 * (backend/cpu/CpuLinalg.java) say when they carry PyTorch's signs.
 */
public final class LinearAlgebra {
    private LinearAlgebra() {}

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

    /** The routines of {@code a}'s device. */
    static Linalg routines(Tensor a) { return Dispatch.backend(a.device()).linalg(); }

    // ================================================================ LU: inv, det, solve

    private static void transposeSquare(double[] a, int off, int n) {
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double t = a[off + i * n + j];
                a[off + i * n + j] = a[off + j * n + i];
                a[off + j * n + i] = t;
            }
    }

    /** The inverse of a square matrix or batch, like {@code torch.linalg.inv}; differentiable. */
    public static Tensor inv(Tensor a) {
        String fn = "linalg.inv";
        checkSquare(fn, a);
        checkFloat(fn, a);
        if (a.dtype() == DType.float16 || a.dtype() == DType.bfloat16)
            throw new IllegalArgumentException(fn + ": Low precision dtypes not supported. Got " + a.dtype().scalarTypeName());
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        Linalg la = routines(a);
        double[] out = new double[x.length];
        // Like PyTorch (linalg_solve_ex): a contiguous A is factored as A^T, which decides which exact zero pivot is reported.
        boolean useT = a.isContiguous();
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            if (useT) transposeSquare(x, off, n);
            int info = la.getrf(x, off, n, piv);
            if (info > 0)
                throw new TorchLinalg.LinAlgError(fn + ": " + batchPrefix(a, b) + "The diagonal element " + info
                        + " is zero, the inversion could not be completed because the input matrix is singular.");
            for (int i = 0; i < n; i++) out[off + i * n + i] = 1;
            la.getrs(x, off, n, piv, out, off, n, useT);
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
    public static Tensor det(Tensor a) {
        String fn = "linalg.det";
        checkSquare(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("lu", a);
        checkNoGrad(fn, a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        Linalg la = routines(a);
        double[] out = new double[count];
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            la.getrf(x, off, n, piv);
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
    public static Tensor solve(Tensor a, Tensor bIn) {
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
        Linalg la = routines(ae);
        double[] rhs = host(be);
        boolean useT = a.isContiguous();
        int[] piv = new int[n];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            if (useT) transposeSquare(x, off, n);
            if (la.getrf(x, off, n, piv) > 0)
                throw new TorchLinalg.LinAlgError("torch." + fn + ": " + (batch.length > 0 ? "(Batch element " + b + "): " : "")
                        + "The solver failed because the input matrix is singular.");
            la.getrs(x, off, n, piv, rhs, b * n * k, k, useT);
        }
        Tensor r = make(rhs, concat(batch, n, k), a);
        return vector ? r.squeeze(-1) : r;
    }

    // ================================================================ Cholesky

    /** {@code torch.linalg.cholesky}, for {@code TorchLinalg}. */
    public static Tensor cholesky(Tensor a, boolean upper) {
        String fn = "linalg.cholesky";
        checkSquare(fn, a);
        checkFloat(fn, a);
        checkKernelDtype("cholesky", a);
        checkNoGrad(fn, a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        Linalg la = routines(a);
        double[] out = new double[x.length];
        for (int b = 0; b < count; b++) {
            int off = b * n * n;
            int order = la.potrf(x, out, off, n);
            if (order > 0)
                throw new TorchLinalg.LinAlgError(fn + ": " + batchPrefix(a, b) + "The factorization could not be completed because the input is "
                        + "not positive-definite (the leading minor of order " + order + " is not positive-definite).");
            if (upper) transposeSquare(out, off, n);
        }
        return make(out, a.shape().toArray(), a);
    }

    // ================================================================ QR

    /** Householder QR; mode "reduced", "complete" or "r". */
    public static TorchLinalg.Qr qr(Tensor a, String mode) {
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
        Linalg la = routines(a);
        int qc = mode.equals("complete") ? m : k;
        int rr = mode.equals("complete") ? m : k;
        double[] qOut = mode.equals("r") ? new double[0] : new double[count * m * qc];
        double[] rOut = new double[count * rr * n];
        for (int b = 0; b < count; b++) {
            double[] c = Linalg.colMajor(x, b * m * n, m, n);
            double[] tau = la.geqrf(m, n, c);
            for (int i = 0; i < rr; i++)
                for (int j = i; j < n; j++) rOut[b * rr * n + i * n + j] = i < k ? c[i + j * m] : 0;
            if (!mode.equals("r")) {
                double[] q = la.orgqr(m, qc, k, c, tau);
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
        Linalg la = routines(a);
        for (int b = 0; b < count; b++) {
            int off = b * m * n;
            for (int i = 0; i < m * n; i++)
                if (!Double.isFinite(x[off + i]))
                    throw new TorchLinalg.LinAlgError("linalg.svd: " + batchPrefix(a, b)
                            + "The algorithm failed to converge because the input matrix contained non-finite values.");
            if (k == 0) continue;
            double[][] usv;
            try {
                usv = la.gesdd(m, n, Linalg.colMajor(x, off, m, n));
            } catch (Linalg.NotConverged e) {
                throw new TorchLinalg.LinAlgError("linalg.svd: The algorithm failed to converge because the input matrix is "
                        + "ill-conditioned or has too many repeated singular values (error code: " + e.info + ").");
            }
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
    public static ReturnTypes.LinalgSvd svd(Tensor a) {
        checkSvdInput("linalg.svd", a);
        checkNoGrad("linalg.svd", a);
        SvdResult r = svdHost(a);
        long[] batch = batchShape(a);
        return new ReturnTypes.LinalgSvd(make(r.u, concat(batch, r.m, r.k), a), make(r.s, concat(batch, r.k), a),
                make(r.vh, concat(batch, r.k, r.n), a));
    }

    /** The singular values, descending, like {@code torch.linalg.svdvals}. */
    public static Tensor svdvals(Tensor a) {
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
    public static Tensor matrixRank(Tensor a, Double atol, Double rtol) {
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
    public static Tensor pinv(Tensor a, Double atol, Double rtol) {
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
    public static TorchLinalg.Eigh eigh(Tensor a, String uplo, boolean vectors) {
        String fn = "linalg.eigh";
        boolean lower = checkUplo(uplo);
        checkSquare(fn, a);
        checkKernelDtype("linalg_eigh", a);
        checkNoGrad(vectors ? "linalg.eigh" : "linalg.eigvalsh", a);
        int n = (int) a.size(-1);
        long[] batch = batchShape(a);
        int count = count(batch);
        double[] x = host(a);
        Linalg la = routines(a);
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
            la.syev(n, mat, vec, w, b * n);
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

    // ================================================================ norms

    /** Matrix norms over the last two dims: "fro", "nuc", or ord 1, -1, 2, -2, inf, -inf. */
    public static Tensor matrixNorm(Tensor a, Object ord) {
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
}
