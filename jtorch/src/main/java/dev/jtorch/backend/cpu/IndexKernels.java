package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;

/**
 * INDEX (gather through index tensors) and INDEX_PUT (the scatter back), see {@link dev.jtorch.ops.Op#INDEX}.
 * Storage offsets of the picked elements are computed a chunk at a time, then elements move straight
 * between the arrays (floating dtypes through double, the others through long, both exact). Before that generic
 * path, the fast path {@link #indexRows} moves whole rows.
 */
final class IndexKernels {
    private IndexKernels() {}

    /** INDEX: the row fast path where whole rows move, else the generic gather. */
    static void run(Strided out, Strided[] in, long[] strides, long[] sizes) {
        if (!indexRows(out, in, strides, sizes)) index(out, in, strides, sizes);
    }

    /** Storage offsets of the indexed elements for out positions [start, start + n). */
    static void offsets(Strided base, Strided[] in, int first, long[] strides, long[] sizes, long start, int n,
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
        Object a = array(src);
        DType t = src.dtype();
        // the pool rethrows a copy of a worker's exception without its message: keep the original
        var failure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            try {
                indexRange(out, in, strides, sizes, src, fp, a, t, s, e);
            } catch (RuntimeException ex) {
                failure.compareAndSet(null, ex);
            }
        });
        if (failure.get() != null) throw failure.get();
    }

    private static void indexRange(Strided out, Strided[] in, long[] strides, long[] sizes, Strided src, boolean fp, Object a,
                                   DType t, long s, long e) {
        int cap = (int) Math.min(CpuBackend.CHUNK, e - s);
        long[] offs = new long[cap], idx = new long[cap], lv = new long[cap];
        double[] dv = new double[cap];
        for (long k = s; k < e; k += CpuBackend.CHUNK) {
            int m = (int) Math.min(CpuBackend.CHUNK, e - k);
            offsets(src, in, 1, strides, sizes, k, m, offs, idx);
            if (fp) {
                gatherDouble(a, t, offs, m, dv);
                storeDouble(out, k, m, dv);
            } else {
                gatherLong(a, t, offs, m, lv);
                storeLong(out, k, m, lv);
            }
        }
    }

    /** Sequential, so duplicate indices are deterministic: the last write wins, or all of them add up. */
    static void indexPut(Strided out, Strided[] in, long[] strides, long[] sizes, boolean accumulate) {
        Strided values = in[0];
        boolean fp = out.dtype().isFloatingPoint();
        Object a = array(out);
        DType t = out.dtype();
        long n = values.numel();
        int cap = (int) Math.min(CpuBackend.CHUNK, Math.max(n, 1));
        long[] offs = new long[cap], idx = new long[cap], lv = new long[cap];
        double[] dv = new double[cap];
        for (long k = 0; k < n; k += CpuBackend.CHUNK) {
            int m = (int) Math.min(CpuBackend.CHUNK, n - k);
            offsets(out, in, 1, strides, sizes, k, m, offs, idx);
            if (fp) {
                loadDouble(values, k, m, dv);
                scatterDouble(a, t, offs, m, dv, accumulate);
            } else {
                loadLong(values, k, m, lv);
                scatterLong(a, t, offs, m, lv, accumulate);
            }
        }
    }

    private static void gatherDouble(Object a, DType t, long[] offs, int m, double[] dst) {
        switch (t) {
            case float32 -> { float[] x = (float[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case float64 -> { double[] x = (double[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case float16 -> { short[] x = (short[]) a; for (int j = 0; j < m; j++) dst[j] = halfToFloat(x[(int) offs[j]]); }
            case bfloat16 -> { short[] x = (short[]) a; for (int j = 0; j < m; j++) dst[j] = bfloat16ToFloat(x[(int) offs[j]]); }
            default -> throw new IllegalStateException("not a floating dtype: " + t);
        }
    }

    private static void gatherLong(Object a, DType t, long[] offs, int m, long[] dst) {
        switch (t) {
            case int64 -> { long[] x = (long[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case int32 -> { int[] x = (int[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case int16 -> { short[] x = (short[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case int8 -> { byte[] x = (byte[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]]; }
            case uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]] & 0xff; }
            case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < m; j++) dst[j] = x[(int) offs[j]] ? 1 : 0; }
            default -> throw new IllegalStateException("not an integral dtype: " + t);
        }
    }

    private static void scatterDouble(Object a, DType t, long[] offs, int m, double[] v, boolean acc) {
        switch (t) {
            case float32 -> {
                float[] x = (float[]) a;
                for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = acc ? x[o] + (float) v[j] : (float) v[j]; }
            }
            case float64 -> {
                double[] x = (double[]) a;
                for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = acc ? x[o] + v[j] : v[j]; }
            }
            case float16 -> {
                short[] x = (short[]) a;
                for (int j = 0; j < m; j++) {
                    int o = (int) offs[j];
                    x[o] = floatToHalf(acc ? halfToFloat(x[o]) + (float) v[j] : (float) v[j]);
                }
            }
            case bfloat16 -> {
                short[] x = (short[]) a;
                for (int j = 0; j < m; j++) {
                    int o = (int) offs[j];
                    x[o] = floatToBfloat16(acc ? bfloat16ToFloat(x[o]) + (float) v[j] : (float) v[j]);
                }
            }
            default -> throw new IllegalStateException("not a floating dtype: " + t);
        }
    }

    private static void scatterLong(Object a, DType t, long[] offs, int m, long[] v, boolean acc) {
        switch (t) {
            case int64 -> { long[] x = (long[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = acc ? x[o] + v[j] : v[j]; } }
            case int32 -> { int[] x = (int[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = (int) (acc ? x[o] + v[j] : v[j]); } }
            case int16 -> { short[] x = (short[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = (short) (acc ? x[o] + v[j] : v[j]); } }
            case int8 -> { byte[] x = (byte[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = (byte) (acc ? x[o] + v[j] : v[j]); } }
            case uint8 -> { byte[] x = (byte[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = (byte) (acc ? (x[o] & 0xff) + v[j] : v[j]); } }
            case bool -> { boolean[] x = (boolean[]) a; for (int j = 0; j < m; j++) { int o = (int) offs[j]; x[o] = (acc && x[o]) || v[j] != 0; } }
            default -> throw new IllegalStateException("not an integral dtype: " + t);
        }
    }

    // ================================================================ the fast path

    /**
     * INDEX where whole rows move: out contiguous, the source contiguous along the last dim and every index
     * tensor constant along it (embedding lookups, x[idx], x[:, idx] of row-major data). Each row is one
     * arraycopy from the offset its indices pick; other cases go to {@link Indexing}.
     */
    private static boolean indexRows(Strided out, Strided[] in, long[] strides, long[] sizes) {
        Strided src = in[0];
        int nd = out.dim();
        if (nd == 0 || out.dtype() != src.dtype() || !out.isContiguous()) return false;
        long d = out.shape()[nd - 1];
        if (d < 8 || src.stride()[nd - 1] != 1) return false;
        for (int k = 1; k < in.length; k++)
            if (in[k].dtype() != DType.int64 || in[k].stride()[nd - 1] != 0) return false;
        long rows = out.numel() / d;
        if (rows == 0) return true;
        long[] outer = java.util.Arrays.copyOf(out.shape(), nd - 1);
        Strided[] views = new Strided[in.length];
        for (int k = 0; k < in.length; k++)
            views[k] = new Strided(in[k].storage(), in[k].dtype(), outer, java.util.Arrays.copyOf(in[k].stride(), nd - 1), in[k].offset());
        Layout l = Layout.of(views);
        Object sa = Access.array(src), oa = Access.array(out);
        int oo = (int) out.offset(), len = (int) d;
        var failure = new java.util.concurrent.atomic.AtomicReference<RuntimeException>();
        Parallel.RangeBody body = (s, e) -> {
            try {
                Layout.Rows it = l.new Rows(s, e);
                long row = s;
                int k = views.length;
                while (it.next()) {
                    for (int j = 0; j < it.n; j++, row++) {
                        long off = it.off[0] + (long) j * l.innerStride(0);
                        for (int q = 1; q < k; q++) {
                            long v = ((long[]) Access.array(views[q]))[(int) (it.off[q] + (long) j * l.innerStride(q))];
                            long size = sizes[q - 1];
                            if (v < -size || v >= size)
                                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + (q - 1) + " with size " + size);
                            off += (v < 0 ? v + size : v) * strides[q - 1];
                        }
                        System.arraycopy(sa, (int) off, oa, oo + (int) (row * len), len);
                    }
                }
            } catch (RuntimeException ex) {
                failure.compareAndSet(null, ex);
            }
        };
        if (rows * d <= FastPath.GRAIN) body.run(0, rows);
        else Parallel.forRange(rows, Math.max(1, FastPath.GRAIN / d), body);
        if (failure.get() != null) throw failure.get();
        return true;
    }
}
