package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.backend.Strided;

/** INDEX (gather through index tensors) and INDEX_PUT (the scatter back), see {@link dev.jtorch.ops.Op#INDEX}. */
final class Indexing {
    private Indexing() {}

    /** Storage offsets of the indexed elements for out positions [start, start + n). */
    private static void offsets(Strided base, Strided[] in, int first, long[] strides, long[] sizes, long start, int n,
                                long[] offs, long[] idx) {
        Access.Cursor c = new Access.Cursor(base, start);
        for (int j = 0; j < n; j++) {
            offs[j] = c.offset;
            c.advance(1);
        }
        for (int k = 0; k < strides.length; k++) {
            loadLong(in[first + k], start, n, idx);
            long size = sizes[k], stride = strides[k];
            for (int j = 0; j < n; j++) {
                long v = idx[j];
                if (v < -size || v >= size)
                    throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + k + " with size " + size);
                offs[j] += (v < 0 ? v + size : v) * stride;
            }
        }
    }

    static void index(Strided out, Strided[] in, long[] strides, long[] sizes) {
        Strided src = in[0];
        boolean fp = src.dtype().isFloatingPoint();
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CpuBackend.CHUNK, e - s);
            long[] offs = new long[cap], idx = new long[cap], lv = new long[cap];
            double[] dv = new double[cap];
            for (long k = s; k < e; k += CpuBackend.CHUNK) {
                int m = (int) Math.min(CpuBackend.CHUNK, e - k);
                offsets(src, in, 1, strides, sizes, k, m, offs, idx);
                for (int j = 0; j < m; j++) {
                    Strided one = element(src, offs[j]);
                    if (fp) dv[j] = oneDouble(one); else lv[j] = oneLong(one);
                }
                if (fp) storeDouble(out, k, m, dv); else storeLong(out, k, m, lv);
            }
        });
    }

    static void indexPut(Strided out, Strided[] in, long[] strides, long[] sizes, boolean accumulate) {
        Strided values = in[0];
        boolean fp = out.dtype().isFloatingPoint();
        long n = values.numel();
        int cap = (int) Math.min(CpuBackend.CHUNK, Math.max(n, 1));
        long[] offs = new long[cap], idx = new long[cap], lv = new long[cap], cur = new long[1];
        double[] dv = new double[cap], dcur = new double[1];
        for (long k = 0; k < n; k += CpuBackend.CHUNK) {
            int m = (int) Math.min(CpuBackend.CHUNK, n - k);
            offsets(out, in, 1, strides, sizes, k, m, offs, idx);
            if (fp) loadDouble(values, k, m, dv); else loadLong(values, k, m, lv);
            for (int j = 0; j < m; j++) {
                Strided one = element(out, offs[j]);
                if (fp) {
                    double v = dv[j];
                    if (accumulate) { loadDouble(one, 0, 1, dcur); v += dcur[0]; }
                    dcur[0] = v;
                    storeDouble(one, 0, 1, dcur);
                } else {
                    long v = lv[j];
                    if (accumulate) { loadLong(one, 0, 1, cur); v += cur[0]; }
                    cur[0] = v;
                    storeLong(one, 0, 1, cur);
                }
            }
        }
    }

    private static final long[] SCALAR = new long[0];

    private static Strided element(Strided t, long offset) {
        return new Strided(t.storage(), t.dtype(), SCALAR, SCALAR, offset);
    }

    private static double oneDouble(Strided one) {
        double[] tmp = new double[1];
        Access.loadDouble(one, 0, 1, tmp);
        return tmp[0];
    }

    private static long oneLong(Strided one) {
        long[] tmp = new long[1];
        Access.loadLong(one, 0, 1, tmp);
        return tmp[0];
    }
}
