package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Linalg;
import java.util.Arrays;

/**
 * Java ports of the reference-LAPACK routines behind {@code dgesdd} and {@code dgeqrf}; matrices
 * column-major, Fortran's 1-based d/e arrays kept 1-based.
 */
final class Lapack {
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
        if (info > 0) throw new Linalg.NotConverged(info);
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
