package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;

/**
 * ADD and SUB with an alpha, {@code out = a ± alpha·b}, computed as PyTorch's CPU add kernel computes it (sub is
 * add with −alpha): alpha is first converted to the operands' dtype ({@code alpha.to<scalar_t>()}), then one
 * fused multiply-add runs in float for float16, bfloat16 and float32, in double for float64, and in int64 for
 * integers, rounded once into the output. (For float16 and bfloat16 this is PyTorch's vectorized loop; its scalar
 * loop, which takes the few elements left over after the last full vector and non-contiguous operands, rounds
 * {@code alpha·b} to the dtype before adding, which can differ by one unit in the last place.)
 */
final class AlphaAdd {
    private AlphaAdd() {}

    static void run(Op op, Strided out, Strided a, Strided b, Number alpha) {
        DType t = a.dtype();
        long n = out.numel();
        if (n == 0) return;
        if (t.isFloatingPoint()) {
            double al = roundTo(t, alpha.doubleValue());
            if (op == BinaryOp.SUB) al = -al;
            if (fast(out, a, b, al)) return;
            boolean inFloat = t != DType.float64;
            double alphaD = al;
            float alphaF = (float) al;
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                int cap = (int) Math.min(CpuBackend.CHUNK, e - s);
                double[] x = new double[cap], y = new double[cap];
                for (long k = s; k < e; k += CpuBackend.CHUNK) {
                    int m = (int) Math.min(CpuBackend.CHUNK, e - k);
                    loadDouble(a, k, m, x);
                    loadDouble(b, k, m, y);
                    // rounded to the operands' dtype even when out= is wider: PyTorch computes in the dtype, then casts
                    if (inFloat) for (int j = 0; j < m; j++) x[j] = roundTo(t, Math.fma(alphaF, (float) y[j], (float) x[j]));
                    else for (int j = 0; j < m; j++) x[j] = Math.fma(alphaD, y[j], x[j]);
                    storeDouble(out, k, m, x);
                }
            });
        } else {
            long v = alpha.longValue();
            // bool's alpha converts to true/false; bool results keep a + alpha·b != 0 (sub of bools is refused earlier)
            long al = t == DType.bool ? (v != 0 ? 1 : 0) : op == BinaryOp.SUB ? -v : v;
            Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                int cap = (int) Math.min(CpuBackend.CHUNK, e - s);
                long[] x = new long[cap], y = new long[cap];
                for (long k = s; k < e; k += CpuBackend.CHUNK) {
                    int m = (int) Math.min(CpuBackend.CHUNK, e - k);
                    loadLong(a, k, m, x);
                    loadLong(b, k, m, y);
                    for (int j = 0; j < m; j++) x[j] = wrap(t, x[j] + al * y[j]);
                    storeLong(out, k, m, x);
                }
            });
        }
    }

    /** An integer result as the operands' dtype holds it (it wraps there before a wider out= sees it). */
    private static long wrap(DType t, long v) {
        return switch (t) {
            case bool -> v != 0 ? 1 : 0;
            case uint8 -> v & 0xff;
            case int8 -> (byte) v;
            case int16 -> (short) v;
            case int32 -> (int) v;
            default -> v;
        };
    }

    /** Contiguous float32/float64 operands of the output's dtype: straight over the arrays. */
    private static boolean fast(Strided out, Strided a, Strided b, double alpha) {
        DType t = out.dtype();
        if ((t != DType.float32 && t != DType.float64) || a.dtype() != t || b.dtype() != t
                || !out.isContiguous() || !a.isContiguous() || !b.isContiguous()) return false;
        Object o = array(out), x = array(a), y = array(b);
        int oo = (int) out.offset(), ao = (int) a.offset(), bo = (int) b.offset();
        Parallel.forRange(out.numel(), FastPath.GRAIN, (s, e) -> {
            int from = (int) s, len = (int) (e - s);
            if (t == DType.float32) {
                float[] fo = (float[]) o, fa = (float[]) x, fb = (float[]) y;
                float al = (float) alpha;
                if (Simd.AVAILABLE) VectorKernels.fma(fa, ao + from, fb, bo + from, al, fo, oo + from, len);
                else for (int i = 0; i < len; i++) fo[oo + from + i] = Math.fma(al, fb[bo + from + i], fa[ao + from + i]);
            } else {
                double[] d0 = (double[]) o, da = (double[]) x, db = (double[]) y;
                if (Simd.AVAILABLE) VectorKernels.fma(da, ao + from, db, bo + from, alpha, d0, oo + from, len);
                else for (int i = 0; i < len; i++) d0[oo + from + i] = Math.fma(alpha, db[bo + from + i], da[ao + from + i]);
            }
        });
        return true;
    }
}
