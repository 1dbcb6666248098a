package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.UnaryOp;

/**
 * The fast paths of the CPU backend for float32 / float64 elementwise ops, copies, fills and
 * reductions: operands are read straight from their arrays (no double[] staging), contiguous
 * runs go to {@link VectorKernels} (or {@link ScalarKernels} without the Vector API), strided
 * runs are gathered into small buffers first, and large work is split across the intra-op pool.
 * Each entry point returns false when it does not handle the case, and the generic path runs.
 */
final class FastPath {
    private FastPath() {}

    /** Elements gathered per strided chunk. */
    static final int CH = 1024;
    /** Elementwise work below this many elements runs on the calling thread. */
    static final long GRAIN = 1 << 15;
    /** For transcendental ops, which cost far more per element. */
    static final long GRAIN_HEAVY = 1 << 14;

    private static boolean isFloat(DType t) { return t == DType.float32 || t == DType.float64; }

    /** Transcendental and other costly ops, split across threads at a smaller grain (an opt-in set, not a switch). */
    private static boolean heavy(Op op) {
        return !(op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == UnaryOp.NEG || op == UnaryOp.ABS
                || op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM || op == MemoryOp.COPY);
    }

    // ================================================================ elementwise

    /** out = op(in) for float32/float64, out and in of the same dtype. */
    static boolean unary(UnaryOp op, Strided out, Strided in) {
        DType t = out.dtype();
        if (!isFloat(t) || in.dtype() != t || op == UnaryOp.LOGICAL_NOT || op == UnaryOp.BITWISE_NOT) return false;
        elementwise(op, out, in, null);
        return true;
    }

    /** out = op(a, b) for float32/float64 arithmetic (not comparisons, which produce bool). */
    static boolean binary(BinaryOp op, Strided out, Strided a, Strided b) {
        DType t = out.dtype();
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case EQ, NE, LT, LE, GT, GE -> { return compare(op, out, a, b); }
            case ADD, SUB, MUL, DIV, FLOOR_DIVIDE, REMAINDER, FMOD, POW, MAXIMUM, MINIMUM, ATAN2, HYPOT, COPYSIGN, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> {}
        }
        if (!isFloat(t) || a.dtype() != t || b.dtype() != t) return false;
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ADD, SUB, MUL, DIV, FLOOR_DIVIDE, REMAINDER, FMOD, POW, MAXIMUM, MINIMUM, ATAN2, HYPOT, COPYSIGN -> {}
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> { return false; }
        }
        elementwise(op, out, a, b);
        return true;
    }

    private static boolean allZero(long[] stride) {
        for (long s : stride) if (s != 0) return false;
        return true;
    }

    /** Unary (b null: op is a UnaryOp) or binary (a BinaryOp) float32/float64 elementwise. */
    private static void elementwise(Op op, Strided out, Strided a, Strided b) {
        long n = out.numel();
        if (n == 0) return;
        long grain = heavy(op) ? GRAIN_HEAVY : GRAIN;
        boolean f32 = out.dtype() == DType.float32;
        Object oa = Access.array(out), aa = Access.array(a), ba = b == null ? null : Access.array(b);
        int oo = (int) out.offset(), ao = (int) a.offset(), bo = b == null ? 0 : (int) b.offset();
        if (out.isContiguous() && a.isContiguous()) {
            if (b == null || b.isContiguous()) {
                if (n <= grain) contiguous(op, f32, oa, oo, aa, ao, ba, bo, 0, (int) n);
                else Parallel.forRange(n, grain, (s, e) -> contiguous(op, f32, oa, oo, aa, ao, ba, bo, (int) s, (int) (e - s)));
                return;
            }
            if (allZero(b.stride()) && Simd.AVAILABLE) {
                double sv = f32 ? ((float[]) ba)[bo] : ((double[]) ba)[bo];
                boolean handled = switch ((BinaryOp) op) {
                    case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
                    case POW -> sv == 2;
                    case FLOOR_DIVIDE, REMAINDER, FMOD, ATAN2, HYPOT, COPYSIGN, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> false;
                };
                if (handled) {
                    if (n <= grain) scalarRight(op, f32, oa, oo, aa, ao, ba, bo, 0, (int) n);
                    else Parallel.forRange(n, grain, (s, e) -> scalarRight(op, f32, oa, oo, aa, ao, ba, bo, (int) s, (int) (e - s)));
                    return;
                }
            }
        }
        Layout l = b == null ? Layout.of(out, a) : Layout.of(out, a, b);
        if (n <= grain) strided(op, f32, l, oa, aa, ba, 0, n);
        else Parallel.forRange(n, grain, (s, e) -> strided(op, f32, l, oa, aa, ba, s, e));
    }

    private static void contiguous(Op op, boolean f32, Object o, int oo, Object a, int ao, Object b, int bo, int s, int n) {
        if (f32) {
            if (b == null) {
                if (Simd.AVAILABLE) VectorKernels.unary((UnaryOp) op, (float[]) a, ao + s, (float[]) o, oo + s, n);
                else ScalarKernels.unary((UnaryOp) op, (float[]) a, ao + s, (float[]) o, oo + s, n);
            } else {
                if (Simd.AVAILABLE) VectorKernels.binary((BinaryOp) op, (float[]) a, ao + s, (float[]) b, bo + s, (float[]) o, oo + s, n);
                else ScalarKernels.binary((BinaryOp) op, (float[]) a, ao + s, (float[]) b, bo + s, (float[]) o, oo + s, n);
            }
        } else {
            if (b == null) {
                if (Simd.AVAILABLE) VectorKernels.unary((UnaryOp) op, (double[]) a, ao + s, (double[]) o, oo + s, n);
                else ScalarKernels.unary((UnaryOp) op, (double[]) a, ao + s, (double[]) o, oo + s, n);
            } else {
                if (Simd.AVAILABLE) VectorKernels.binary((BinaryOp) op, (double[]) a, ao + s, (double[]) b, bo + s, (double[]) o, oo + s, n);
                else ScalarKernels.binary((BinaryOp) op, (double[]) a, ao + s, (double[]) b, bo + s, (double[]) o, oo + s, n);
            }
        }
    }

    private static void scalarRight(Op op, boolean f32, Object o, int oo, Object a, int ao, Object b, int bo, int s, int n) {
        if (f32) VectorKernels.binaryScalarRight((BinaryOp) op, (float[]) a, ao + s, ((float[]) b)[bo], (float[]) o, oo + s, n);
        else VectorKernels.binaryScalarRight((BinaryOp) op, (double[]) a, ao + s, ((double[]) b)[bo], (double[]) o, oo + s, n);
    }

    /** EQ ... GE of two float32/float64 operands into a bool out: contiguous, the right one possibly a scalar. */
    private static boolean compare(BinaryOp op, Strided out, Strided a, Strided b) {
        DType t = a.dtype();
        if (!isFloat(t) || b.dtype() != t || out.dtype() != DType.bool || !out.isContiguous() || !a.isContiguous()) return false;
        boolean scalar = !b.isContiguous();
        if (scalar && !allZero(b.stride())) return false;
        long n = out.numel();
        if (n == 0) return true;
        boolean f32 = t == DType.float32;
        boolean[] o = (boolean[]) Access.array(out);
        Object x = Access.array(a), y = Access.array(b);
        int oo = (int) out.offset(), ao = (int) a.offset(), bo = (int) b.offset();
        Parallel.RangeBody body = (s, e) -> {
            int from = (int) s, len = (int) (e - s);
            if (f32) {
                float[] fy = scalar ? null : (float[]) y;
                float sv = scalar ? ((float[]) y)[bo] : 0;
                if (Simd.AVAILABLE) VectorKernels.compare(op, (float[]) x, ao + from, fy, bo + from, sv, o, oo + from, len);
                else ScalarKernels.compare(op, (float[]) x, ao + from, fy, bo + from, sv, o, oo + from, len);
            } else {
                double[] dy = scalar ? null : (double[]) y;
                double sv = scalar ? ((double[]) y)[bo] : 0;
                if (Simd.AVAILABLE) VectorKernels.compare(op, (double[]) x, ao + from, dy, bo + from, sv, o, oo + from, len);
                else ScalarKernels.compare(op, (double[]) x, ao + from, dy, bo + from, sv, o, oo + from, len);
            }
        };
        if (n <= GRAIN) body.run(0, n);
        else Parallel.forRange(n, GRAIN, body);
        return true;
    }

    /** WHERE(out, cond, a, b) for float32/float64: cond and out contiguous, a and b contiguous or scalars. */
    static boolean where(Strided out, Strided cond, Strided a, Strided b) {
        DType t = out.dtype();
        if (!isFloat(t) || a.dtype() != t || b.dtype() != t || cond.dtype() != DType.bool || !out.isContiguous() || !cond.isContiguous()) return false;
        boolean as = !a.isContiguous(), bs = !b.isContiguous();
        if ((as && !allZero(a.stride())) || (bs && !allZero(b.stride()))) return false;
        long n = out.numel();
        if (n == 0) return true;
        boolean f32 = t == DType.float32;
        boolean[] c = (boolean[]) Access.array(cond);
        Object o = Access.array(out), x = Access.array(a), y = Access.array(b);
        int oo = (int) out.offset(), co = (int) cond.offset(), ao = (int) a.offset(), bo = (int) b.offset();
        Parallel.RangeBody body = (s, e) -> {
            int from = (int) s, len = (int) (e - s);
            if (f32) {
                float[] fx = as ? null : (float[]) x, fy = bs ? null : (float[]) y;
                float sa = as ? ((float[]) x)[ao] : 0, sb = bs ? ((float[]) y)[bo] : 0;
                if (Simd.AVAILABLE) VectorKernels.where(c, co + from, fx, ao + from, sa, fy, bo + from, sb, (float[]) o, oo + from, len);
                else ScalarKernels.where(c, co + from, fx, ao + from, sa, fy, bo + from, sb, (float[]) o, oo + from, len);
            } else {
                double[] dx = as ? null : (double[]) x, dy = bs ? null : (double[]) y;
                double sa = as ? ((double[]) x)[ao] : 0, sb = bs ? ((double[]) y)[bo] : 0;
                if (Simd.AVAILABLE) VectorKernels.where(c, co + from, dx, ao + from, sa, dy, bo + from, sb, (double[]) o, oo + from, len);
                else ScalarKernels.where(c, co + from, dx, ao + from, sa, dy, bo + from, sb, (double[]) o, oo + from, len);
            }
        };
        if (n <= GRAIN) body.run(0, n);
        else Parallel.forRange(n, GRAIN, body);
        return true;
    }

    /** The general case over flat positions [s, e): runs along the inner dim, gathered when strided. */
    private static void strided(Op op, boolean f32, Layout l, Object o, Object a, Object b, long s, long e) {
        Layout.Rows rows = l.new Rows(s, e);
        int os = (int) l.innerStride(0), as = (int) l.innerStride(1), bs = b == null ? 1 : (int) l.innerStride(2);
        int cap = (int) Math.min(CH, Math.min(l.inner(), e - s));
        if (f32) {
            float[] fo = (float[]) o, fa = (float[]) a, fb = (float[]) b;
            float[] to = os == 1 ? null : new float[cap], ta = as == 1 ? null : new float[cap], tb = bs == 1 ? null : new float[cap];
            while (rows.next()) {
                for (int c = 0; c < rows.n; c += CH) {
                    int m = Math.min(CH, rows.n - c);
                    int ao = rows.off[1] + c * as;
                    float[] xa = fa;
                    if (as != 1) { gather(fa, ao, as, ta, m); xa = ta; ao = 0; }
                    float[] dst = os == 1 ? fo : to;
                    int doff = os == 1 ? rows.off[0] + c : 0;
                    if (fb == null) {
                        if (Simd.AVAILABLE) VectorKernels.unary((UnaryOp) op, xa, ao, dst, doff, m);
                        else ScalarKernels.unary((UnaryOp) op, xa, ao, dst, doff, m);
                    } else {
                        int bo = rows.off[2] + c * bs;
                        float[] xb = fb;
                        if (bs == 0 && Simd.AVAILABLE && VectorKernels.binaryScalarRight((BinaryOp) op, xa, ao, fb[bo], dst, doff, m)) {
                            // a row against one value (x - x.amax(dim, keepdim)): no buffer to fill
                        } else {
                            if (bs != 1) { gather(fb, bo, bs, tb, m); xb = tb; bo = 0; }
                            if (Simd.AVAILABLE) VectorKernels.binary((BinaryOp) op, xa, ao, xb, bo, dst, doff, m);
                            else ScalarKernels.binary((BinaryOp) op, xa, ao, xb, bo, dst, doff, m);
                        }
                    }
                    if (os != 1) scatter(to, fo, rows.off[0] + c * os, os, m);
                }
            }
        } else {
            double[] fo = (double[]) o, fa = (double[]) a, fb = (double[]) b;
            double[] to = os == 1 ? null : new double[cap], ta = as == 1 ? null : new double[cap], tb = bs == 1 ? null : new double[cap];
            while (rows.next()) {
                for (int c = 0; c < rows.n; c += CH) {
                    int m = Math.min(CH, rows.n - c);
                    int ao = rows.off[1] + c * as;
                    double[] xa = fa;
                    if (as != 1) { gather(fa, ao, as, ta, m); xa = ta; ao = 0; }
                    double[] dst = os == 1 ? fo : to;
                    int doff = os == 1 ? rows.off[0] + c : 0;
                    if (fb == null) {
                        if (Simd.AVAILABLE) VectorKernels.unary((UnaryOp) op, xa, ao, dst, doff, m);
                        else ScalarKernels.unary((UnaryOp) op, xa, ao, dst, doff, m);
                    } else {
                        int bo = rows.off[2] + c * bs;
                        double[] xb = fb;
                        if (bs == 0 && Simd.AVAILABLE && VectorKernels.binaryScalarRight((BinaryOp) op, xa, ao, fb[bo], dst, doff, m)) {
                            // a row against one value: no buffer to fill
                        } else {
                            if (bs != 1) { gather(fb, bo, bs, tb, m); xb = tb; bo = 0; }
                            if (Simd.AVAILABLE) VectorKernels.binary((BinaryOp) op, xa, ao, xb, bo, dst, doff, m);
                            else ScalarKernels.binary((BinaryOp) op, xa, ao, xb, bo, dst, doff, m);
                        }
                    }
                    if (os != 1) scatter(to, fo, rows.off[0] + c * os, os, m);
                }
            }
        }
    }

    static void gather(float[] src, int off, int stride, float[] dst, int n) {
        if (stride == 0) java.util.Arrays.fill(dst, 0, n, src[off]);
        else for (int i = 0; i < n; i++) dst[i] = src[off + i * stride];
    }

    static void gather(double[] src, int off, int stride, double[] dst, int n) {
        if (stride == 0) java.util.Arrays.fill(dst, 0, n, src[off]);
        else for (int i = 0; i < n; i++) dst[i] = src[off + i * stride];
    }

    static void scatter(float[] src, float[] dst, int off, int stride, int n) {
        for (int i = 0; i < n; i++) dst[off + i * stride] = src[i];
    }

    static void scatter(double[] src, double[] dst, int off, int stride, int n) {
        for (int i = 0; i < n; i++) dst[off + i * stride] = src[i];
    }

    // ================================================================ copy and fill

    /** out ← in for same-dtype copies of any dtype and float32 ↔ float64 conversions. */
    static boolean copy(Strided out, Strided in) {
        DType o = out.dtype(), i = in.dtype();
        boolean same = o == i;
        if (!same && !(isFloat(o) && isFloat(i))) return false;
        long n = out.numel();
        if (n == 0) return true;
        Object oa = Access.array(out), ia = Access.array(in);
        if (same && out.isContiguous() && in.isContiguous()) {
            int oo = (int) out.offset(), io = (int) in.offset();
            if (oa == ia && oo == io) return true;
            // arraycopy handles overlapping ranges like memmove; larger copies are split across threads
            // only when source and destination are distinct arrays.
            if (n <= 4 * GRAIN || oa == ia) System.arraycopy(ia, io, oa, oo, (int) n);
            else Parallel.forRange(n, 4 * GRAIN, (s, e) -> System.arraycopy(ia, io + (int) s, oa, oo + (int) s, (int) (e - s)));
            return true;
        }
        if (oa == ia && !(out.offset() == in.offset() && java.util.Arrays.equals(out.stride(), in.stride()))) return false;
        Layout l = Layout.of(out, in);
        if (same && l.nd == 2 && l.innerStride(0) == 1 && l.stride[1][0] == 1 && l.shape[0] >= 16 && l.shape[1] >= 16
                && (o == DType.float32 || o == DType.float64 || o == DType.int64 || o == DType.int32)) {
            transpose(l, oa, ia);
            return true;
        }
        if (n <= GRAIN) copyRows(l, o, i, oa, ia, 0, n);
        else Parallel.forRange(n, GRAIN, (s, e) -> copyRows(l, o, i, oa, ia, s, e));
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
        if ((long) rows * cols <= GRAIN) body.run(0, tiles);
        else Parallel.forRange(tiles, Math.max(1, GRAIN / ((long) TILE * cols)), body);
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
    static boolean fill(Strided out, Number value) {
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
        if (n <= 4 * GRAIN) { if (n > 0) body.run(0, n); }
        else Parallel.forRange(n, 4 * GRAIN, body);
        return true;
    }

    // ================================================================ indexing

    /**
     * INDEX where whole rows move: out contiguous, the source contiguous along the last dim and every index
     * tensor constant along it (embedding lookups, x[idx], x[:, idx] of row-major data). Each row is one
     * arraycopy from the offset its indices pick; other cases go to {@link Indexing}.
     */
    static boolean indexRows(Strided out, Strided[] in, long[] strides, long[] sizes) {
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
        if (rows * d <= GRAIN) body.run(0, rows);
        else Parallel.forRange(rows, Math.max(1, GRAIN / d), body);
        if (failure.get() != null) throw failure.get();
        return true;
    }

    // ================================================================ reductions

    /** SUM, MEAN, AMAX, AMIN of float32/float64 where the reduced or the kept elements are contiguous. */
    static boolean reduce(ReduceOp op, Strided out, Strided in) {
        if (op != ReduceOp.SUM && op != ReduceOp.MEAN && op != ReduceOp.AMAX && op != ReduceOp.AMIN) return false;
        DType t = in.dtype();
        if (!isFloat(t) || out.dtype() != t || in.numel() == 0 || !out.isContiguous()) return false;
        int nd = in.dim();
        // split in's dims into reduced (out size 1, in size > 1) and kept (in size > 1), each merged where possible
        long[] rShape = new long[nd], rStride = new long[nd], kShape = new long[nd], kStride = new long[nd];
        int nr = 0, nk = 0;
        for (int d = 0; d < nd; d++) {
            long size = in.shape()[d], st = in.stride()[d];
            if (size == 1) continue;
            if (out.shape()[d] == 1) {
                if (nr > 0 && rStride[nr - 1] == st * size) { rShape[nr - 1] *= size; rStride[nr - 1] = st; }
                else { rShape[nr] = size; rStride[nr++] = st; }
            } else {
                if (nk > 0 && kStride[nk - 1] == st * size) { kShape[nk - 1] *= size; kStride[nk - 1] = st; }
                else { kShape[nk] = size; kStride[nk++] = st; }
            }
        }
        long m = 1;
        for (int d = 0; d < nr; d++) m *= rShape[d];
        if (nr <= 1 && (nr == 0 || rStride[0] == 1)) {
            rowReduce(op, out, in, nk, kShape, kStride, m);
            return true;
        }
        if (nk == 1 && kStride[0] == 1 && kShape[0] >= 16) {
            columnReduce(op, out, in, nr, rShape, rStride, (int) kShape[0], m);
            return true;
        }
        return false;
    }

    /** Each output reduces a contiguous run of m elements. */
    private static void rowReduce(ReduceOp op, Strided out, Strided in, int nk, long[] kShape, long[] kStride, long m) {
        long outN = out.numel();
        boolean f32 = in.dtype() == DType.float32;
        Object x = Access.array(in), y = Access.array(out);
        int yo = (int) out.offset();
        long base = in.offset();
        if (outN == 1) {
            double r = reduceRun(op, f32, x, (int) base, (int) m, true);
            if (f32) ((float[]) y)[yo] = (float) r; else ((double[]) y)[yo] = r;
            return;
        }
        Parallel.forRange(outN, Math.max(1, GRAIN / m), (s, e) -> {
            long[] idx = new long[nk];
            long off = base, rest = s;
            for (int d = nk - 1; d >= 0; d--) {
                idx[d] = rest % kShape[d];
                rest /= kShape[d];
                off += idx[d] * kStride[d];
            }
            for (long o = s; o < e; o++) {
                double r = reduceRun(op, f32, x, (int) off, (int) m, false);
                if (f32) ((float[]) y)[yo + (int) o] = (float) r; else ((double[]) y)[yo + (int) o] = r;
                for (int d = nk - 1; d >= 0; d--) {
                    off += kStride[d];
                    if (++idx[d] < kShape[d]) break;
                    off -= idx[d] * kStride[d];
                    idx[d] = 0;
                }
            }
        });
    }

    /** One contiguous run; {@code parallel} splits long runs across the pool (the result does not depend on the thread count). */
    static double reduceRun(ReduceOp op, boolean f32, Object x, int off, int m, boolean parallel) {
        boolean max = op == ReduceOp.AMAX;
        if (op == ReduceOp.AMAX || op == ReduceOp.AMIN) {
            if (!parallel || m <= 4 * GRAIN) return extreme(max, f32, x, off, m);
            double[] part = new double[(int) Math.min(64, (m + 4 * GRAIN - 1) / (4 * GRAIN))];
            int step = (m + part.length - 1) / part.length;
            Parallel.forRange(part.length, 1, (s, e) -> {
                for (long p = s; p < e; p++) {
                    int from = (int) p * step, len = Math.min(step, m - from);
                    part[(int) p] = extreme(max, f32, x, off + from, len);
                }
            });
            double r = part[0];
            for (double v : part) r = max ? Math.max(r, v) : Math.min(r, v);
            return r;
        }
        double sum;
        if (m <= SUM_PIECE) sum = pieceSum(f32, x, off, m);
        else {
            // fixed-size pieces, combined pairwise: the result does not depend on the thread count
            int pieces = (m + SUM_PIECE - 1) / SUM_PIECE;
            double[] ps = new double[pieces];
            Parallel.RangeBody body = (s, e) -> {
                for (long p = s; p < e; p++) {
                    int from = (int) p * SUM_PIECE;
                    ps[(int) p] = pieceSum(f32, x, off + from, Math.min(SUM_PIECE, m - from));
                }
            };
            if (parallel) Parallel.forRange(pieces, Math.max(1, 4 * GRAIN / SUM_PIECE), body);
            else body.run(0, pieces);
            sum = Reductions.pairwiseSum(ps, 0, pieces);
        }
        return op == ReduceOp.MEAN ? sum / m : sum;
    }

    /** Elements per independently summed piece of a long run (a multiple of {@link ScalarKernels#SUM_BLOCK}). */
    static final int SUM_PIECE = 64 * ScalarKernels.SUM_BLOCK;

    private static double pieceSum(boolean f32, Object x, int off, int n) {
        if (f32 && Simd.AVAILABLE) return VectorKernels.sum((float[]) x, off, n);
        if (n <= ScalarKernels.SUM_BLOCK) return blockSum(f32, x, off, n);
        int blocks = (n + ScalarKernels.SUM_BLOCK - 1) / ScalarKernels.SUM_BLOCK;
        double[] bs = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            int from = b * ScalarKernels.SUM_BLOCK;
            bs[b] = blockSum(f32, x, off + from, Math.min(ScalarKernels.SUM_BLOCK, n - from));
        }
        return Reductions.pairwiseSum(bs, 0, blocks);
    }

    private static double blockSum(boolean f32, Object x, int off, int n) {
        if (f32) return ScalarKernels.blockSum((float[]) x, off, n);
        return Simd.AVAILABLE ? VectorKernels.blockSum((double[]) x, off, n) : ScalarKernels.blockSum((double[]) x, off, n);
    }

    private static double extreme(boolean max, boolean f32, Object x, int off, int n) {
        if (f32) return Simd.AVAILABLE ? VectorKernels.extreme(max, (float[]) x, off, n) : ScalarKernels.extreme(max, (float[]) x, off, n);
        return Simd.AVAILABLE ? VectorKernels.extreme(max, (double[]) x, off, n) : ScalarKernels.extreme(max, (double[]) x, off, n);
    }

    /** Rows to add in the input dtype before folding them into the double accumulators. */
    private static final int COLUMN_BLOCK = 64;

    /**
     * The kept elements are one contiguous run of k (out is contiguous over them): out[j] reduces
     * in[r, j] over the m reduced positions r, vectorized across j.
     */
    private static void columnReduce(ReduceOp op, Strided out, Strided in, int nr, long[] rShape, long[] rStride, int k, long m) {
        boolean f32 = in.dtype() == DType.float32;
        boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN, max = op == ReduceOp.AMAX;
        Object x = Access.array(in), y = Access.array(out);
        int yo = (int) out.offset();
        long base = in.offset();
        Parallel.forRange(k, Math.max(16, GRAIN / Math.max(1, m)), (s, e) -> {
            int w = (int) (e - s);
            double[] acc = sum ? new double[w] : null;
            float[] fb = f32 ? new float[w] : null;
            double[] db = f32 ? null : new double[w];
            long[] idx = new long[nr];
            long off = base + s;
            int inBlock = 0;
            for (long r = 0; r < m; r++) {
                int o = (int) off;
                if (inBlock == 0 && (sum || r == 0)) {
                    if (f32) System.arraycopy((float[]) x, o, fb, 0, w); else System.arraycopy((double[]) x, o, db, 0, w);
                } else if (sum) {
                    if (f32) { if (Simd.AVAILABLE) VectorKernels.addInto(fb, (float[]) x, o, w); else ScalarKernels.addInto(fb, (float[]) x, o, w); }
                    else { if (Simd.AVAILABLE) VectorKernels.addInto(db, (double[]) x, o, w); else ScalarKernels.addInto(db, (double[]) x, o, w); }
                } else {
                    if (f32) { if (Simd.AVAILABLE) VectorKernels.extremeInto(max, fb, (float[]) x, o, w); else ScalarKernels.extremeInto(max, fb, (float[]) x, o, w); }
                    else { if (Simd.AVAILABLE) VectorKernels.extremeInto(max, db, (double[]) x, o, w); else ScalarKernels.extremeInto(max, db, (double[]) x, o, w); }
                }
                if (sum && (++inBlock == COLUMN_BLOCK || r == m - 1)) {
                    if (f32) for (int j = 0; j < w; j++) acc[j] += fb[j];
                    else for (int j = 0; j < w; j++) acc[j] += db[j];
                    inBlock = 0;
                }
                for (int d = nr - 1; d >= 0; d--) {
                    off += rStride[d];
                    if (++idx[d] < rShape[d]) break;
                    off -= idx[d] * rStride[d];
                    idx[d] = 0;
                }
            }
            for (int j = 0; j < w; j++) {
                double v = sum ? (op == ReduceOp.MEAN ? acc[j] / m : acc[j]) : f32 ? fb[j] : db[j];
                if (f32) ((float[]) y)[yo + (int) s + j] = (float) v; else ((double[]) y)[yo + (int) s + j] = v;
            }
        });
    }
}
