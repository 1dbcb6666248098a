package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;

/**
 * float32 / float64 matrix products for {@link dev.jtorch.ops.Op#MATMUL}: a CBLAS library through
 * {@link Blas} when one is installed, else a pure-Java GEMM: A and B packed into panels
 * (kc x MR and kc x NR) blocked for the caches, a register-blocked Vector API micro-kernel
 * ({@link VectorGemm}) over them, and the output split into blocks across the intra-op pool.
 *
 * <p>{@code -Djtorch.gemm=auto|java|blas} picks the implementation: {@code auto} (the default)
 * uses BLAS when it is found, {@code java} never does, {@code blas} uses it wherever the library
 * loaded (else falls back to Java). Other dtypes take the generic path in {@link Matmul}.
 *
 * <p>This file's float and double sections are the same code, one per element type.
 */
final class Gemm {
    private Gemm() {}

    enum Mode { AUTO, JAVA, BLAS }

    /** Package-private and mutable for tests and benchmarks; set from {@code jtorch.gemm}. */
    static volatile Mode mode = parseMode(System.getProperty("jtorch.gemm", "auto"));

    static Mode parseMode(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "java" -> Mode.JAVA;
            case "blas" -> Mode.BLAS;
            default -> Mode.AUTO;
        };
    }

    /** Products with at most this many rows (or columns) skip packing: dot products or scaled row sums instead. */
    static final int SKINNY = 4;
    /** Columns per task in the few-rows product. */
    static final int SKINNY_COLUMNS = 512;
    /** Problems with at most this many multiply-adds skip packing. */
    static final long TINY = 16 * 16 * 16;
    /** Below this many flops a product stays on one thread. */
    static final double PARALLEL_FLOPS = 1 << 21;
    /** BLAS is called for products of at least this many multiply-adds (the FFM call and the library's own set-up cost a little). */
    static final long BLAS_MIN = 32L * 32 * 32;

    /** What computes products here, for benchmarks and diagnostics. */
    static String describe() {
        String java = Simd.AVAILABLE ? "Java (Vector API micro-kernel " + VectorGemm.MR_F + "x" + VectorGemm.NR_F + " f32, "
                + VectorGemm.MR_D + "x" + VectorGemm.NR_D + " f64)" : "Java (plain loops)";
        boolean blas = mode != Mode.JAVA && Blas.available();
        return blas ? "BLAS " + Blas.library() + " (else " + java + ")" : java;
    }

    private static boolean useBlas(long m, long n, long k) {
        Mode md = mode;
        if (md == Mode.JAVA || !Blas.available()) return false;
        return md == Mode.BLAS || m * n * k >= BLAS_MIN;
    }

    /** out[i] = a[i] @ b[i] over 3-D views; false when the dtypes are not float32/float64 (the caller's generic path runs). */
    static boolean bmm(Strided out, Strided a, Strided b) {
        DType t = out.dtype();
        if ((t != DType.float32 && t != DType.float64) || a.dtype() != t || b.dtype() != t) return false;
        int batches = (int) out.shape()[0], m = (int) a.shape()[1], k = (int) a.shape()[2], n = (int) b.shape()[2];
        if (batches == 0 || m == 0 || n == 0) return true;
        int abs = (int) a.stride()[0], ars = (int) a.stride()[1], acs = (int) a.stride()[2];
        int bbs = (int) b.stride()[0], brs = (int) b.stride()[1], bcs = (int) b.stride()[2];
        int cbs = (int) out.stride()[0], crs = (int) out.stride()[1], ccs = (int) out.stride()[2];
        if (batches > 1 && bbs == 0 && abs == (long) m * ars && cbs == (long) m * crs && (long) batches * m <= Integer.MAX_VALUE) {
            // (batch, m, k) @ (k, n) broadcast over the batch, A's and C's batches stacked along rows: one tall product
            m *= batches;
            batches = 1;
        } else if (batches > 1 && abs == 0 && bbs == (long) n * bcs && cbs == (long) n * ccs && (long) batches * n <= Integer.MAX_VALUE) {
            // the transposed case: B's and C's batches stacked along columns
            n *= batches;
            batches = 1;
        }
        run(t == DType.float32, batches, m, n, k, Access.array(a), (int) a.offset(), abs, ars, acs, Access.array(b), (int) b.offset(), bbs, brs, bcs,
                Access.array(out), (int) out.offset(), cbs, crs, ccs);
        return true;
    }

    private static void run(boolean f32, int batches, int m, int n, int k, Object aa, int ao, int abs, int ars, int acs,
                            Object ba, int bo, int bbs, int brs, int bcs, Object ca, int co, int cbs, int crs, int ccs) {
        if (k > 0 && useBlas(m, n, k)) {
            for (int i = 0; i < batches; i++) {
                if (f32) Blas.gemm(m, n, k, (float[]) aa, ao + i * abs, ars, acs, (float[]) ba, bo + i * bbs, brs, bcs, (float[]) ca, co + i * cbs, crs, ccs);
                else Blas.gemm(m, n, k, (double[]) aa, ao + i * abs, ars, acs, (double[]) ba, bo + i * bbs, brs, bcs, (double[]) ca, co + i * cbs, crs, ccs);
            }
            return;
        }
        int threads = Parallel.getNumThreads();
        double flops = 2.0 * m * n * k;
        if (batches > 1 && threads > 1 && flops < 64 * PARALLEL_FLOPS) {
            // many small products: one product per task
            long grain = Math.max(1, (long) (PARALLEL_FLOPS / Math.max(1, flops)));
            Parallel.forRange(batches, grain, (s, e) -> {
                for (long i = s; i < e; i++) {
                    int q = (int) i;
                    if (f32) gemm(m, n, k, (float[]) aa, ao + q * abs, ars, acs, (float[]) ba, bo + q * bbs, brs, bcs, (float[]) ca, co + q * cbs, crs, ccs, 1);
                    else gemm(m, n, k, (double[]) aa, ao + q * abs, ars, acs, (double[]) ba, bo + q * bbs, brs, bcs, (double[]) ca, co + q * cbs, crs, ccs, 1);
                }
            });
            return;
        }
        for (int i = 0; i < batches; i++) {
            if (f32) gemm(m, n, k, (float[]) aa, ao + i * abs, ars, acs, (float[]) ba, bo + i * bbs, brs, bcs, (float[]) ca, co + i * cbs, crs, ccs, threads);
            else gemm(m, n, k, (double[]) aa, ao + i * abs, ars, acs, (double[]) ba, bo + i * bbs, brs, bcs, (double[]) ca, co + i * cbs, crs, ccs, threads);
        }
    }

    /** Splits C into tm x tn blocks for {@code threads} threads, keeping blocks as square as the divisors allow. */
    static int[] grid(int m, int n, int threads, int mr, int nr) {
        int bestM = 1, bestN = threads;
        double best = -1;
        for (int tm = 1; tm <= threads; tm++) {
            if (threads % tm != 0) continue;
            int tn = threads / tm;
            if (tm > (m + mr - 1) / mr || tn > (n + nr - 1) / nr) continue;
            double bm = (double) m / tm, bn = (double) n / tn;
            double score = Math.min(bm, bn) / Math.max(bm, bn); // squareness
            if (score > best) { best = score; bestM = tm; bestN = tn; }
        }
        if (best < 0) return new int[]{1, 1};
        return new int[]{bestM, bestN};
    }

    static int roundUp(int x, int r) { return (x + r - 1) / r * r; }

    /** Packing buffers, one set per thread (pool threads live as long as the pool), grown on demand. */
    static final class Buffers {
        private float[] fa = new float[0], fb = new float[0], ft = new float[0];
        private double[] da = new double[0], db = new double[0], dt = new double[0];

        float[] fa(int n) { return fa.length >= n ? fa : (fa = new float[n]); }
        float[] fb(int n) { return fb.length >= n ? fb : (fb = new float[n]); }
        float[] ft(int n) { return ft.length >= n ? ft : (ft = new float[n]); }
        double[] da(int n) { return da.length >= n ? da : (da = new double[n]); }
        double[] db(int n) { return db.length >= n ? db : (db = new double[n]); }
        double[] dt(int n) { return dt.length >= n ? dt : (dt = new double[n]); }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    // ================================================================ float

    private static final int MR_F = Simd.AVAILABLE ? VectorGemm.MR_F : 4, NR_F = Simd.AVAILABLE ? VectorGemm.NR_F : 16;
    private static final int KC_F = 512, MC_F = MR_F * Math.max(1, 192 / MR_F), NC_F = NR_F * Math.max(1, 4096 / NR_F);

    /**
     * C = A * B for one m x n x k problem; element (i, j) of X is x[xo + i * xrs + j * xcs]. With
     * {@code threads > 1} and enough work, the output is split into that many blocks, each computed
     * with its own packed panels on one pool thread.
     */
    static void gemm(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                     float[] c, int co, int crs, int ccs, int threads) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = 0;
            return;
        }
        if ((long) m * n * k <= TINY) {
            naive(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            return;
        }
        if (n <= SKINNY) {
            skinnyN(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, threads);
            return;
        }
        if (m <= SKINNY) {
            skinnyM(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, threads);
            return;
        }
        int[] grid = threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS ? grid(m, n, threads, MR_F, NR_F) : new int[]{1, 1};
        int tm = grid[0], tn = grid[1];
        if (tm * tn == 1) {
            block(0, m, 0, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            return;
        }
        int mu = (m + MR_F - 1) / MR_F, nu = (n + NR_F - 1) / NR_F;
        Parallel.forRange(tm * tn, 1, (s, e) -> {
            for (long t = s; t < e; t++) {
                int ti = (int) (t / tn), tj = (int) (t % tn);
                int m0 = Math.min(m, (int) ((long) ti * mu / tm) * MR_F), m1 = Math.min(m, (int) ((long) (ti + 1) * mu / tm) * MR_F);
                int n0 = Math.min(n, (int) ((long) tj * nu / tn) * NR_F), n1 = Math.min(n, (int) ((long) (tj + 1) * nu / tn) * NR_F);
                if (m0 < m1 && n0 < n1) block(m0, m1, n0, n1, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            }
        });
    }

    /** n <= SKINNY columns (matrix-vector like): B's columns gathered once, then one dot product per output, rows in parallel. */
    private static void skinnyN(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                float[] c, int co, int crs, int ccs, int threads) {
        float[] bt = new float[n * k];
        for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bt[j * k + p] = b[bo + p * brs + j * bcs];
        Parallel.RangeBody body = (s, e) -> {
            float[] row = acs == 1 ? null : new float[k];
            for (int i = (int) s; i < e; i++) {
                float[] x = a;
                int xo = ao + i * ars;
                if (acs != 1) {
                    for (int p = 0; p < k; p++) row[p] = a[xo + p * acs];
                    x = row;
                    xo = 0;
                }
                for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = (float) dot(x, xo, bt, j * k, k);
            }
        };
        if (threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS) Parallel.forRange(m, Math.max(1, (long) (PARALLEL_FLOPS / (2.0 * n * k))), body);
        else body.run(0, m);
    }

    /**
     * m <= SKINNY rows (vector-matrix like): A's rows gathered once; with B row-major, each row of B is read
     * once and added, scaled, into m accumulator rows (column blocks in parallel); otherwise one dot product
     * per output against B's columns.
     */
    private static void skinnyM(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                float[] c, int co, int crs, int ccs, int threads) {
        float[] at = new float[m * k];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) at[i * k + p] = a[ao + i * ars + p * acs];
        boolean par = threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS;
        if (bcs == 1) {
            int w = SKINNY_COLUMNS;
            Parallel.RangeBody body = (s, e) -> {
                float[] acc = new float[m * w];
                for (long blk = s; blk < e; blk++) {
                    int j0 = (int) blk * w, nw = Math.min(w, n - j0);
                    java.util.Arrays.fill(acc, (float) 0);
                    for (int p = 0; p < k; p++) {
                        int src = bo + p * brs + j0;
                        for (int i = 0; i < m; i++) axpy(at[i * k + p], b, src, acc, i * w, nw);
                    }
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < nw; j++) c[co + i * crs + (j0 + j) * ccs] = acc[i * w + j];
                }
            };
            int blocks = (n + w - 1) / w;
            if (par) Parallel.forRange(blocks, 1, body);
            else body.run(0, blocks);
            return;
        }
        Parallel.RangeBody body = (s, e) -> {
            float[] col = brs == 1 ? null : new float[k];
            for (int j = (int) s; j < e; j++) {
                float[] y = b;
                int yo = bo + j * bcs;
                if (brs != 1) {
                    for (int p = 0; p < k; p++) col[p] = b[yo + p * brs];
                    y = col;
                    yo = 0;
                }
                for (int i = 0; i < m; i++) c[co + i * crs + j * ccs] = (float) dot(at, i * k, y, yo, k);
            }
        };
        if (par) Parallel.forRange(n, Math.max(1, (long) (PARALLEL_FLOPS / (2.0 * m * k))), body);
        else body.run(0, n);
    }

    private static double dot(float[] x, int xo, float[] y, int yo, int n) {
        return Simd.AVAILABLE ? VectorKernels.dot(x, xo, y, yo, n) : ScalarKernels.dot(x, xo, y, yo, n);
    }

    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (Simd.AVAILABLE) VectorKernels.axpy(alpha, x, xo, y, yo, n);
        else ScalarKernels.axpy(alpha, x, xo, y, yo, n);
    }

    private static void naive(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                              float[] c, int co, int crs, int ccs) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) s += a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                c[co + i * crs + j * ccs] = s;
            }
    }

    /** Rows [m0, m1) and columns [n0, n1) of C on the calling thread: the BLIS loop nest around the micro-kernel. */
    private static void block(int m0, int m1, int n0, int n1, int k, float[] a, int ao, int ars, int acs,
                              float[] b, int bo, int brs, int bcs, float[] c, int co, int crs, int ccs) {
        // C starts at zero and every k block adds into it: one code path in the micro-kernel
        for (int i = m0; i < m1; i++) {
            int row = co + i * crs;
            if (ccs == 1) java.util.Arrays.fill(c, row + n0, row + n1, (float) 0);
            else for (int j = n0; j < n1; j++) c[row + j * ccs] = 0;
        }
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC_F, k);
        int ncMax = Math.min(NC_F, roundUp(n1 - n0, NR_F)), mcMax = Math.min(MC_F, roundUp(m1 - m0, MR_F));
        float[] ap = buf.fa(mcMax * kcMax), bp = buf.fb(kcMax * ncMax), tile = buf.ft(MR_F * NR_F);
        for (int jc = n0; jc < n1; jc += NC_F) {
            int nc = Math.min(NC_F, n1 - jc);
            for (int pc = 0; pc < k; pc += KC_F) {
                int kc = Math.min(KC_F, k - pc);
                packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                for (int ic = m0; ic < m1; ic += MC_F) {
                    int mc = Math.min(MC_F, m1 - ic);
                    packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, ap);
                    macro(mc, nc, kc, ap, bp, c, co + ic * crs + jc * ccs, crs, ccs, tile);
                }
            }
        }
    }

    /** A's mc x kc block as panels of MR rows: panel q holds, for each p, the MR values A[q*MR + r, p]; short panels are zero-padded. */
    static void packA(float[] a, int ao, int ars, int acs, int mc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR_F) {
            int mr = Math.min(MR_F, mc - ir), base = ir * kc;
            if (acs == 1 || mr < MR_F) {
                for (int r = 0; r < mr; r++) {
                    int src = ao + (ir + r) * ars;
                    for (int p = 0; p < kc; p++) ap[base + p * MR_F + r] = a[src + p * acs];
                }
                for (int r = mr; r < MR_F; r++) for (int p = 0; p < kc; p++) ap[base + p * MR_F + r] = 0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + ir * ars + p * acs, dst = base + p * MR_F;
                    for (int r = 0; r < MR_F; r++) ap[dst + r] = a[src + r * ars];
                }
            }
        }
    }

    /** B's kc x nc block as panels of NR columns: panel q holds, for each p, the NR values B[p, q*NR + j]; short panels are zero-padded. */
    static void packB(float[] b, int bo, int brs, int bcs, int kc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR_F) {
            int nr = Math.min(NR_F, nc - jr), base = jr * kc;
            if (bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bo + p * brs + jr, bp, base + p * NR_F, nr);
                    for (int j = nr; j < NR_F; j++) bp[base + p * NR_F + j] = 0;
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    int src = bo + (jr + j) * bcs;
                    for (int p = 0; p < kc; p++) bp[base + p * NR_F + j] = b[src + p * brs];
                }
                for (int j = nr; j < NR_F; j++) for (int p = 0; p < kc; p++) bp[base + p * NR_F + j] = 0;
            }
        }
    }

    /** C (+)= the packed blocks' product, tile by tile; edge tiles and non-unit column strides go through a small buffer. */
    private static void macro(int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int co, int crs, int ccs, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR_F) {
            int nr = Math.min(NR_F, nc - jr);
            for (int ir = 0; ir < mc; ir += MR_F) {
                int mr = Math.min(MR_F, mc - ir);
                int cOff = co + ir * crs + jr * ccs;
                if (mr == MR_F && nr == NR_F && ccs == 1) {
                    micro(kc, ap, ir * kc, bp, jr * kc, c, cOff, crs);
                } else {
                    java.util.Arrays.fill(tile, 0, MR_F * NR_F, (float) 0);
                    micro(kc, ap, ir * kc, bp, jr * kc, tile, 0, NR_F);
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < nr; j++) c[cOff + r * crs + j * ccs] += tile[r * NR_F + j];
                }
            }
        }
    }

    /** C[cOff + r * ldc + j] += (A panel * B panel)[r, j] for r < MR, j < NR. */
    private static void micro(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc) {
        if (Simd.AVAILABLE) { VectorGemm.kernel(kc, ap, aOff, bp, bOff, c, cOff, ldc); return; }
        // plain Java: MR x NR accumulators in a small array, the j loop is left to the JIT's auto-vectorizer
        float[] t = new float[MR_F * NR_F];
        for (int p = 0; p < kc; p++) {
            int bq = bOff + p * NR_F, aq = aOff + p * MR_F;
            for (int r = 0; r < MR_F; r++) {
                float av = ap[aq + r];
                int tr = r * NR_F;
                for (int j = 0; j < NR_F; j++) t[tr + j] += av * bp[bq + j];
            }
        }
        for (int r = 0; r < MR_F; r++)
            for (int j = 0; j < NR_F; j++) c[cOff + r * ldc + j] += t[r * NR_F + j];
    }

    // ================================================================ double

    private static final int MR_D = Simd.AVAILABLE ? VectorGemm.MR_D : 4, NR_D = Simd.AVAILABLE ? VectorGemm.NR_D : 16;
    private static final int KC_D = 512, MC_D = MR_D * Math.max(1, 96 / MR_D), NC_D = NR_D * Math.max(1, 2048 / NR_D);

    /**
     * C = A * B for one m x n x k problem; element (i, j) of X is x[xo + i * xrs + j * xcs]. With
     * {@code threads > 1} and enough work, the output is split into that many blocks, each computed
     * with its own packed panels on one pool thread.
     */
    static void gemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                     double[] c, int co, int crs, int ccs, int threads) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = 0;
            return;
        }
        if ((long) m * n * k <= TINY) {
            naive(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            return;
        }
        if (n <= SKINNY) {
            skinnyN(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, threads);
            return;
        }
        if (m <= SKINNY) {
            skinnyM(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, threads);
            return;
        }
        int[] grid = threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS ? grid(m, n, threads, MR_D, NR_D) : new int[]{1, 1};
        int tm = grid[0], tn = grid[1];
        if (tm * tn == 1) {
            block(0, m, 0, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            return;
        }
        int mu = (m + MR_D - 1) / MR_D, nu = (n + NR_D - 1) / NR_D;
        Parallel.forRange(tm * tn, 1, (s, e) -> {
            for (long t = s; t < e; t++) {
                int ti = (int) (t / tn), tj = (int) (t % tn);
                int m0 = Math.min(m, (int) ((long) ti * mu / tm) * MR_D), m1 = Math.min(m, (int) ((long) (ti + 1) * mu / tm) * MR_D);
                int n0 = Math.min(n, (int) ((long) tj * nu / tn) * NR_D), n1 = Math.min(n, (int) ((long) (tj + 1) * nu / tn) * NR_D);
                if (m0 < m1 && n0 < n1) block(m0, m1, n0, n1, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs);
            }
        });
    }

    /** n <= SKINNY columns (matrix-vector like): B's columns gathered once, then one dot product per output, rows in parallel. */
    private static void skinnyN(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                                double[] c, int co, int crs, int ccs, int threads) {
        double[] bt = new double[n * k];
        for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bt[j * k + p] = b[bo + p * brs + j * bcs];
        Parallel.RangeBody body = (s, e) -> {
            double[] row = acs == 1 ? null : new double[k];
            for (int i = (int) s; i < e; i++) {
                double[] x = a;
                int xo = ao + i * ars;
                if (acs != 1) {
                    for (int p = 0; p < k; p++) row[p] = a[xo + p * acs];
                    x = row;
                    xo = 0;
                }
                for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = (double) dot(x, xo, bt, j * k, k);
            }
        };
        if (threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS) Parallel.forRange(m, Math.max(1, (long) (PARALLEL_FLOPS / (2.0 * n * k))), body);
        else body.run(0, m);
    }

    /**
     * m <= SKINNY rows (vector-matrix like): A's rows gathered once; with B row-major, each row of B is read
     * once and added, scaled, into m accumulator rows (column blocks in parallel); otherwise one dot product
     * per output against B's columns.
     */
    private static void skinnyM(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                                double[] c, int co, int crs, int ccs, int threads) {
        double[] at = new double[m * k];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) at[i * k + p] = a[ao + i * ars + p * acs];
        boolean par = threads > 1 && 2.0 * m * n * k >= PARALLEL_FLOPS;
        if (bcs == 1) {
            int w = SKINNY_COLUMNS;
            Parallel.RangeBody body = (s, e) -> {
                double[] acc = new double[m * w];
                for (long blk = s; blk < e; blk++) {
                    int j0 = (int) blk * w, nw = Math.min(w, n - j0);
                    java.util.Arrays.fill(acc, (double) 0);
                    for (int p = 0; p < k; p++) {
                        int src = bo + p * brs + j0;
                        for (int i = 0; i < m; i++) axpy(at[i * k + p], b, src, acc, i * w, nw);
                    }
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < nw; j++) c[co + i * crs + (j0 + j) * ccs] = acc[i * w + j];
                }
            };
            int blocks = (n + w - 1) / w;
            if (par) Parallel.forRange(blocks, 1, body);
            else body.run(0, blocks);
            return;
        }
        Parallel.RangeBody body = (s, e) -> {
            double[] col = brs == 1 ? null : new double[k];
            for (int j = (int) s; j < e; j++) {
                double[] y = b;
                int yo = bo + j * bcs;
                if (brs != 1) {
                    for (int p = 0; p < k; p++) col[p] = b[yo + p * brs];
                    y = col;
                    yo = 0;
                }
                for (int i = 0; i < m; i++) c[co + i * crs + j * ccs] = (double) dot(at, i * k, y, yo, k);
            }
        };
        if (par) Parallel.forRange(n, Math.max(1, (long) (PARALLEL_FLOPS / (2.0 * m * k))), body);
        else body.run(0, n);
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int n) {
        return Simd.AVAILABLE ? VectorKernels.dot(x, xo, y, yo, n) : ScalarKernels.dot(x, xo, y, yo, n);
    }

    private static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        if (Simd.AVAILABLE) VectorKernels.axpy(alpha, x, xo, y, yo, n);
        else ScalarKernels.axpy(alpha, x, xo, y, yo, n);
    }

    private static void naive(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                              double[] c, int co, int crs, int ccs) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                c[co + i * crs + j * ccs] = s;
            }
    }

    /** Rows [m0, m1) and columns [n0, n1) of C on the calling thread: the BLIS loop nest around the micro-kernel. */
    private static void block(int m0, int m1, int n0, int n1, int k, double[] a, int ao, int ars, int acs,
                              double[] b, int bo, int brs, int bcs, double[] c, int co, int crs, int ccs) {
        // C starts at zero and every k block adds into it: one code path in the micro-kernel
        for (int i = m0; i < m1; i++) {
            int row = co + i * crs;
            if (ccs == 1) java.util.Arrays.fill(c, row + n0, row + n1, (double) 0);
            else for (int j = n0; j < n1; j++) c[row + j * ccs] = 0;
        }
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC_D, k);
        int ncMax = Math.min(NC_D, roundUp(n1 - n0, NR_D)), mcMax = Math.min(MC_D, roundUp(m1 - m0, MR_D));
        double[] ap = buf.da(mcMax * kcMax), bp = buf.db(kcMax * ncMax), tile = buf.dt(MR_D * NR_D);
        for (int jc = n0; jc < n1; jc += NC_D) {
            int nc = Math.min(NC_D, n1 - jc);
            for (int pc = 0; pc < k; pc += KC_D) {
                int kc = Math.min(KC_D, k - pc);
                packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                for (int ic = m0; ic < m1; ic += MC_D) {
                    int mc = Math.min(MC_D, m1 - ic);
                    packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, ap);
                    macro(mc, nc, kc, ap, bp, c, co + ic * crs + jc * ccs, crs, ccs, tile);
                }
            }
        }
    }

    /** A's mc x kc block as panels of MR rows: panel q holds, for each p, the MR values A[q*MR + r, p]; short panels are zero-padded. */
    static void packA(double[] a, int ao, int ars, int acs, int mc, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR_D) {
            int mr = Math.min(MR_D, mc - ir), base = ir * kc;
            if (acs == 1 || mr < MR_D) {
                for (int r = 0; r < mr; r++) {
                    int src = ao + (ir + r) * ars;
                    for (int p = 0; p < kc; p++) ap[base + p * MR_D + r] = a[src + p * acs];
                }
                for (int r = mr; r < MR_D; r++) for (int p = 0; p < kc; p++) ap[base + p * MR_D + r] = 0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = ao + ir * ars + p * acs, dst = base + p * MR_D;
                    for (int r = 0; r < MR_D; r++) ap[dst + r] = a[src + r * ars];
                }
            }
        }
    }

    /** B's kc x nc block as panels of NR columns: panel q holds, for each p, the NR values B[p, q*NR + j]; short panels are zero-padded. */
    static void packB(double[] b, int bo, int brs, int bcs, int kc, int nc, double[] bp) {
        for (int jr = 0; jr < nc; jr += NR_D) {
            int nr = Math.min(NR_D, nc - jr), base = jr * kc;
            if (bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bo + p * brs + jr, bp, base + p * NR_D, nr);
                    for (int j = nr; j < NR_D; j++) bp[base + p * NR_D + j] = 0;
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    int src = bo + (jr + j) * bcs;
                    for (int p = 0; p < kc; p++) bp[base + p * NR_D + j] = b[src + p * brs];
                }
                for (int j = nr; j < NR_D; j++) for (int p = 0; p < kc; p++) bp[base + p * NR_D + j] = 0;
            }
        }
    }

    /** C (+)= the packed blocks' product, tile by tile; edge tiles and non-unit column strides go through a small buffer. */
    private static void macro(int mc, int nc, int kc, double[] ap, double[] bp, double[] c, int co, int crs, int ccs, double[] tile) {
        for (int jr = 0; jr < nc; jr += NR_D) {
            int nr = Math.min(NR_D, nc - jr);
            for (int ir = 0; ir < mc; ir += MR_D) {
                int mr = Math.min(MR_D, mc - ir);
                int cOff = co + ir * crs + jr * ccs;
                if (mr == MR_D && nr == NR_D && ccs == 1) {
                    micro(kc, ap, ir * kc, bp, jr * kc, c, cOff, crs);
                } else {
                    java.util.Arrays.fill(tile, 0, MR_D * NR_D, (double) 0);
                    micro(kc, ap, ir * kc, bp, jr * kc, tile, 0, NR_D);
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < nr; j++) c[cOff + r * crs + j * ccs] += tile[r * NR_D + j];
                }
            }
        }
    }

    /** C[cOff + r * ldc + j] += (A panel * B panel)[r, j] for r < MR, j < NR. */
    private static void micro(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc) {
        if (Simd.AVAILABLE) { VectorGemm.kernel(kc, ap, aOff, bp, bOff, c, cOff, ldc); return; }
        // plain Java: MR x NR accumulators in a small array, the j loop is left to the JIT's auto-vectorizer
        double[] t = new double[MR_D * NR_D];
        for (int p = 0; p < kc; p++) {
            int bq = bOff + p * NR_D, aq = aOff + p * MR_D;
            for (int r = 0; r < MR_D; r++) {
                double av = ap[aq + r];
                int tr = r * NR_D;
                for (int j = 0; j < NR_D; j++) t[tr + j] += av * bp[bq + j];
            }
        }
        for (int r = 0; r < MR_D; r++)
            for (int j = 0; j < NR_D; j++) c[cOff + r * ldc + j] += t[r * NR_D + j];
    }
}
