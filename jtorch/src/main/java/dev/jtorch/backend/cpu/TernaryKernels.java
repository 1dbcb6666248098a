package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;
import static dev.jtorch.backend.cpu.CpuBackend.CHUNK;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.TernaryOp;

/** Ternary elementwise ops on the CPU (WHERE): the generic loops, and the float32 / float64 fast path before them. */
final class TernaryKernels {
    private TernaryKernels() {}

    static void run(TernaryOp op, Strided out, Strided a, Strided b, Strided c) {
        switch (op) {
            case WHERE -> where(out, a, b, c);
        }
    }

    private static void where(Strided out, Strided cond, Strided a, Strided b) {
        if (fast(out, cond, a, b)) return;
        boolean fp = a.dtype().isFloatingPoint();
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            long[] c = new long[cap];
            if (fp) {
                double[] x = new double[cap], y = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(cond, k, m, c);
                    loadDouble(a, k, m, x);
                    loadDouble(b, k, m, y);
                    for (int j = 0; j < m; j++) if (c[j] == 0) x[j] = y[j];
                    storeDouble(out, k, m, x);
                }
            } else {
                long[] x = new long[cap], y = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(cond, k, m, c);
                    loadLong(a, k, m, x);
                    loadLong(b, k, m, y);
                    for (int j = 0; j < m; j++) if (c[j] == 0) x[j] = y[j];
                    storeLong(out, k, m, x);
                }
            }
        });
    }

    /** WHERE(out, cond, a, b) for float32/float64: cond and out contiguous, a and b contiguous or scalars. */
    private static boolean fast(Strided out, Strided cond, Strided a, Strided b) {
        DType t = out.dtype();
        if (!FastPath.isFloat(t) || a.dtype() != t || b.dtype() != t || cond.dtype() != DType.bool || !out.isContiguous() || !cond.isContiguous()) return false;
        boolean as = !a.isContiguous(), bs = !b.isContiguous();
        if ((as && !FastPath.allZero(a.stride())) || (bs && !FastPath.allZero(b.stride()))) return false;
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
        if (n <= FastPath.GRAIN) body.run(0, n);
        else Parallel.forRange(n, FastPath.GRAIN, body);
        return true;
    }
}
