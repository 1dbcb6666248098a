package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Linalg;
import java.util.Arrays;

/**
 * The host's linear algebra: LU, Cholesky and Jacobi written here, QR and SVD through the {@link Lapack} ports.
 *
 * <p>The SVD is a port of LAPACK's {@code dgesdd} path for small matrices (the driver PyTorch calls on
 * CPU): Householder bidiagonalisation ({@code dgebd2}, after a QR or LQ step for tall or wide inputs),
 * then the implicit-shift QR iteration of {@code dbdsqr}, with the QR/LQ switch points MKL uses. Its
 * singular vectors therefore carry the same signs as the x86-64 PyTorch wheels (MKL) whenever
 * min(m, n) &lt;= 25 and the singular values are well separated; PyTorch on reference LAPACK or
 * OpenBLAS differs for some shapes, and larger matrices (where LAPACK switches to divide and conquer)
 * may differ too. Eigenvectors from {@link #syev} (cyclic Jacobi) are normalised so that the component of
 * largest magnitude in each is positive; PyTorch's signs are arbitrary there.
 */
final class CpuLinalg implements Linalg {
    static final CpuLinalg INSTANCE = new CpuLinalg();

    private CpuLinalg() {}

    @Override public int getrf(double[] a, int off, int n, int[] piv) {
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

    @Override public void getrs(double[] lu, int off, int n, int[] piv, double[] b, int boff, int nrhs, boolean transposed) {
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

    @Override public int potrf(double[] x, double[] out, int off, int n) {
        for (int j = 0; j < n; j++) {
            double s = x[off + j * n + j];
            for (int k = 0; k < j; k++) s -= out[off + j * n + k] * out[off + j * n + k];
            if (!(s > 0)) return j + 1;
            double d = Math.sqrt(s);
            out[off + j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double t = x[off + i * n + j];
                for (int k = 0; k < j; k++) t -= out[off + i * n + k] * out[off + j * n + k];
                out[off + i * n + j] = t / d;
            }
        }
        return 0;
    }

    @Override public double[] geqrf(int m, int n, double[] a) { return Lapack.geqr2(m, n, a, m); }

    @Override public double[] orgqr(int m, int cols, int k, double[] a, double[] tau) { return Lapack.orgqr(m, cols, k, a, m, tau); }

    @Override public double[][] gesdd(int m, int n, double[] a) { return Lapack.gesdd(m, n, a); }

    /** Cyclic Jacobi. */
    @Override public void syev(int n, double[] a, double[] v, double[] w, int woff) {
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
}
