package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.UnaryOp;

/**
 * The float32 / float64 elementwise driver that the unary and binary fast paths share ({@link UnaryKernels#fast},
 * {@link BinaryKernels#fast}), and the grains of every fast path: operands are read straight from their arrays (no
 * double[] staging), contiguous runs go to {@link VectorKernels} (or {@link ScalarKernels} without the Vector API),
 * strided runs are gathered into small buffers first, and large work is split across the intra-op pool. The driver
 * knows no op: the range kernels it calls run their own loops for the ops in their sets and the generic loop for
 * the others.
 */
final class FastPath {
    private FastPath() {}

    /** Elements gathered per strided chunk. */
    static final int CH = 1024;
    /** Elementwise work below this many elements runs on the calling thread. */
    static final long GRAIN = 1 << 15;
    /** For transcendental ops, which cost far more per element. */
    static final long GRAIN_HEAVY = 1 << 14;

    static boolean isFloat(DType t) { return t == DType.float32 || t == DType.float64; }

    /** Transcendental and other costly ops, split across threads at a smaller grain (an opt-in set, not a switch). */
    private static boolean heavy(Op op) {
        return !(op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == UnaryOp.NEG || op == UnaryOp.ABS
                || op == BinaryOp.MAXIMUM || op == BinaryOp.MINIMUM || op == MemoryOp.COPY);
    }

    // ================================================================ elementwise

    static boolean allZero(long[] stride) {
        for (long s : stride) if (s != 0) return false;
        return true;
    }

    /** Unary (b null: op is a UnaryOp) or binary (a BinaryOp) float32/float64 elementwise. */
    static void elementwise(Op op, Strided out, Strided a, Strided b) {
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
                boolean handled = BinaryKernels.SCALAR_RIGHT.contains((BinaryOp) op) && (op != BinaryOp.POW || sv == 2);
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
}
