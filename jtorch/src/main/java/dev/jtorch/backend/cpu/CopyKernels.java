package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;
import static dev.jtorch.backend.cpu.CpuBackend.CHUNK;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.JoinOp;

/**
 * FILL, COPY and CAT on the CPU: the generic paths (values through double[] or long[] buffers) and, before them, the
 * fast paths (same-dtype copies of any dtype and float32 ↔ float64 conversions straight between the arrays, transposes
 * in tiles, fills of contiguous float32 / float64 / int32 / int64 tensors).
 */
final class CopyKernels {
    private CopyKernels() {}

    static void fill(Strided out, Number value) {
        if (fastFill(out, value)) return;
        long n = out.numel();
        if (out.dtype().isFloatingPoint() || out.dtype() == DType.bool && !(value instanceof Long || value instanceof Integer)) {
            double v = value.doubleValue();
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                double[] buf = new double[(int) Math.min(CHUNK, e - s)];
                java.util.Arrays.fill(buf, v);
                for (long i = s; i < e; i += CHUNK) storeDouble(out, i, (int) Math.min(CHUNK, e - i), buf);
            });
        } else {
            long v = value.longValue();
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                long[] buf = new long[(int) Math.min(CHUNK, e - s)];
                java.util.Arrays.fill(buf, v);
                for (long i = s; i < e; i += CHUNK) storeLong(out, i, (int) Math.min(CHUNK, e - i), buf);
            });
        }
    }

    static void copy(Strided out, Strided in) {
        if (fastCopy(out, in)) return;
        long n = out.numel();
        if (in.dtype() == out.dtype() && in.isContiguous() && out.isContiguous()) {
            System.arraycopy(array(in), (int) in.offset(), array(out), (int) out.offset(), (int) n);
            return;
        }
        DType o = out.dtype(), i = in.dtype();
        boolean viaDouble = o == DType.bool ? i.isFloatingPoint() : o.isFloatingPoint() && i.isFloatingPoint();
        Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
            if (viaDouble) {
                double[] buf = new double[(int) Math.min(CHUNK, e - s)];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, buf);
                    storeDouble(out, k, m, buf);
                }
            } else {
                long[] buf = new long[(int) Math.min(CHUNK, e - s)];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(in, k, m, buf);
                    storeLong(out, k, m, buf);
                }
            }
        });
    }

    static void join(JoinOp op, Strided out, Strided[] in, int dim) {
        switch (op) {
            case CAT -> cat(out, in, dim);
        }
    }

    private static void cat(Strided out, Strided[] in, int dim) {
        long at = 0;
        for (Strided t : in) {
            copy(out.narrow(dim, at, t.shape()[dim]), t);
            at += t.shape()[dim];
        }
    }

    // ================================================================ fast paths

    /** out ← in for same-dtype copies of any dtype and float32 ↔ float64 conversions. */
    private static boolean fastCopy(Strided out, Strided in) {
        DType o = out.dtype(), i = in.dtype();
        boolean same = o == i;
        if (!same && !(FastPath.isFloat(o) && FastPath.isFloat(i))) return false;
        long n = out.numel();
        if (n == 0) return true;
        Object oa = Access.array(out), ia = Access.array(in);
        if (same && out.isContiguous() && in.isContiguous()) {
            int oo = (int) out.offset(), io = (int) in.offset();
            if (oa == ia && oo == io) return true;
            // arraycopy handles overlapping ranges like memmove; larger copies are split across threads
            // only when source and destination are distinct arrays.
            if (n <= 4 * FastPath.GRAIN || oa == ia) System.arraycopy(ia, io, oa, oo, (int) n);
            else Parallel.forRange(n, 4 * FastPath.GRAIN, (s, e) -> System.arraycopy(ia, io + (int) s, oa, oo + (int) s, (int) (e - s)));
            return true;
        }
        if (oa == ia && !(out.offset() == in.offset() && java.util.Arrays.equals(out.stride(), in.stride()))) return false;
        Layout l = Layout.of(out, in);
        if (same && l.nd == 2 && l.innerStride(0) == 1 && l.stride[1][0] == 1 && l.shape[0] >= 16 && l.shape[1] >= 16
                && (o == DType.float32 || o == DType.float64 || o == DType.int64 || o == DType.int32)) {
            transpose(l, oa, ia);
            return true;
        }
        if (n <= FastPath.GRAIN) copyRows(l, o, i, oa, ia, 0, n);
        else Parallel.forRange(n, FastPath.GRAIN, (s, e) -> copyRows(l, o, i, oa, ia, s, e));
        return true;
    }

    private static final int TILE = 32;

    /**
     * A copy whose source walks the destination's rows with a large stride and its columns with stride 1
     * (x.t().contiguous()): done in TILE x TILE tiles, so that both sides stay in cache.
     */
    private static void transpose(Layout l, Object o, Object in) {
        int rows = (int) l.shape[0], cols = (int) l.shape[1];
        int ors = (int) l.stride[0][0], ics = (int) l.stride[1][1];
        int oo = (int) l.offset[0], io = (int) l.offset[1];
        Parallel.RangeBody body = (s, e) -> {
            for (int r0 = (int) s * TILE; r0 < Math.min(rows, (int) e * TILE); r0 += TILE) {
                int r1 = Math.min(rows, r0 + TILE);
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int c1 = Math.min(cols, c0 + TILE);
                    switch (o) {
                        case float[] y -> { float[] x = (float[]) in; for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) y[oo + r * ors + c] = x[io + r + c * ics]; }
                        case double[] y -> { double[] x = (double[]) in; for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) y[oo + r * ors + c] = x[io + r + c * ics]; }
                        case long[] y -> { long[] x = (long[]) in; for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) y[oo + r * ors + c] = x[io + r + c * ics]; }
                        case int[] y -> { int[] x = (int[]) in; for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) y[oo + r * ors + c] = x[io + r + c * ics]; }
                        default -> throw new IllegalStateException();
                    }
                }
            }
        };
        long tiles = (rows + TILE - 1) / TILE;
        if ((long) rows * cols <= FastPath.GRAIN) body.run(0, tiles);
        else Parallel.forRange(tiles, Math.max(1, FastPath.GRAIN / ((long) TILE * cols)), body);
    }

    private static void copyRows(Layout l, DType ot, DType it, Object o, Object in, long s, long e) {
        Layout.Rows rows = l.new Rows(s, e);
        int os = (int) l.innerStride(0), is = (int) l.innerStride(1);
        while (rows.next()) {
            int n = rows.n, oo = rows.off[0], io = rows.off[1];
            if (ot == it) {
                if (os == 1 && is == 1) { System.arraycopy(in, io, o, oo, n); continue; }
                switch (ot) {
                    case float32 -> { float[] x = (float[]) in, y = (float[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case float64 -> { double[] x = (double[]) in, y = (double[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case int64 -> { long[] x = (long[]) in, y = (long[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case int32 -> { int[] x = (int[]) in, y = (int[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case int16, float16, bfloat16 -> { short[] x = (short[]) in, y = (short[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case int8, uint8 -> { byte[] x = (byte[]) in, y = (byte[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                    case bool -> { boolean[] x = (boolean[]) in, y = (boolean[]) o; for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is]; }
                }
            } else if (ot == DType.float32) {
                double[] x = (double[]) in;
                float[] y = (float[]) o;
                if (os == 1 && is == 1) for (int j = 0; j < n; j++) y[oo + j] = (float) x[io + j];
                else for (int j = 0; j < n; j++) y[oo + j * os] = (float) x[io + j * is];
            } else {
                float[] x = (float[]) in;
                double[] y = (double[]) o;
                if (os == 1 && is == 1) for (int j = 0; j < n; j++) y[oo + j] = x[io + j];
                else for (int j = 0; j < n; j++) y[oo + j * os] = x[io + j * is];
            }
        }
    }

    /** Fills a contiguous float32/float64/int32/int64 tensor, converting the value as the generic fill does. */
    private static boolean fastFill(Strided out, Number value) {
        DType t = out.dtype();
        if (!(t == DType.float32 || t == DType.float64 || t == DType.int32 || t == DType.int64) || !out.isContiguous()) return false;
        long n = out.numel();
        int off = (int) out.offset();
        Object a = Access.array(out);
        Parallel.RangeBody body = switch (t) {
            case float32 -> { float v = (float) value.doubleValue(); yield (s, e) -> java.util.Arrays.fill((float[]) a, off + (int) s, off + (int) e, v); }
            case float64 -> { double v = value.doubleValue(); yield (s, e) -> java.util.Arrays.fill((double[]) a, off + (int) s, off + (int) e, v); }
            case int32 -> { int v = (int) value.longValue(); yield (s, e) -> java.util.Arrays.fill((int[]) a, off + (int) s, off + (int) e, v); }
            default -> { long v = value.longValue(); yield (s, e) -> java.util.Arrays.fill((long[]) a, off + (int) s, off + (int) e, v); }
        };
        if (n <= 4 * FastPath.GRAIN) { if (n > 0) body.run(0, n); }
        else Parallel.forRange(n, 4 * FastPath.GRAIN, body);
        return true;
    }
}
