package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.backend.Strided;

/** Batched matrix products: out[b] = a[b] @ b[b] over 3-D views with any strides. */
final class Matmul {
    private Matmul() {}

    static void bmm(Strided out, Strided a, Strided b) {
        if (Gemm.bmm(out, a, b)) return; // float32 / float64: BLAS or the packed Java GEMM
        int batches = (int) out.shape()[0];
        int m = (int) a.shape()[1], k = (int) a.shape()[2], n = (int) b.shape()[2];
        boolean fp = a.dtype().isFloatingPoint();
        long rowBlocks = (long) batches * m;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1L, (long) k * n));
        Parallel.forRange(rowBlocks, grain, (s, e) -> {
            int cachedBatch = -1;
            double[] bd = null;
            long[] bl = null;
            double[] ad = fp ? new double[k] : null, cd = fp ? new double[n] : null;
            long[] al = fp ? null : new long[k], cl = fp ? null : new long[n];
            for (long r = s; r < e; r++) {
                int batch = (int) (r / m), i = (int) (r % m);
                if (batch != cachedBatch) {
                    Strided bm = slice(b, batch);
                    if (fp) { bd = new double[k * n]; loadDouble(bm, 0, k * n, bd); }
                    else { bl = new long[k * n]; loadLong(bm, 0, k * n, bl); }
                    cachedBatch = batch;
                }
                Strided arow = row(slice(a, batch), i);
                Strided crow = row(slice(out, batch), i);
                if (fp) {
                    loadDouble(arow, 0, k, ad);
                    java.util.Arrays.fill(cd, 0);
                    for (int p = 0; p < k; p++) {
                        double av = ad[p];
                        int off = p * n;
                        for (int j = 0; j < n; j++) cd[j] += av * bd[off + j];
                    }
                    storeDouble(crow, 0, n, cd);
                } else {
                    loadLong(arow, 0, k, al);
                    java.util.Arrays.fill(cl, 0);
                    for (int p = 0; p < k; p++) {
                        long av = al[p];
                        int off = p * n;
                        for (int j = 0; j < n; j++) cl[j] += av * bl[off + j];
                    }
                    storeLong(crow, 0, n, cl);
                }
            }
        });
    }

    private static Strided slice(Strided t, int batch) {
        return new Strided(t.storage(), t.dtype(), new long[]{t.shape()[1], t.shape()[2]},
                new long[]{t.stride()[1], t.stride()[2]}, t.offset() + batch * t.stride()[0]);
    }

    private static Strided row(Strided t, int i) {
        return new Strided(t.storage(), t.dtype(), new long[]{t.shape()[1]}, new long[]{t.stride()[1]}, t.offset() + i * t.stride()[0]);
    }
}
