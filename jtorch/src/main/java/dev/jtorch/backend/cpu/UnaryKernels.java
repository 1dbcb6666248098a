package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;
import static dev.jtorch.backend.cpu.CpuBackend.CHUNK;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.UnaryOp;
import java.util.EnumSet;
import java.util.Set;

/**
 * Unary elementwise ops on the CPU, in one place. The definition of an op is its loop in {@link #generic(UnaryOp, DType, double[], double[], int)}
 * (and, for ops defined on integers, in the long overload): a new op needs nothing else here. The fast paths are opt-in: each
 * declares the ops it specializes as a set below, its own switch lists only those, and every other op runs the generic loop
 * (chunk by chunk on float32 / float64 data). {@code FastKernelsTest} iterates these sets against the generic loops.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    /** Ops with a loop of their own in {@link ScalarKernels} and {@link VectorKernels} (float32 and float64 alike). */
    static final Set<UnaryOp> LANE_LOOPS = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.RECIPROCAL);

    /**
     * Ops computed in float32 arithmetic by {@link FloatMath} (and {@link FloatVectorMath} on lanes), also for float16 and
     * bfloat16, and in float64 by {@link VectorMath}'s lanes; {@code VectorMathTest} bounds their error.
     */
    static final Set<UnaryOp> LIBM = EnumSet.of(UnaryOp.EXP, UnaryOp.EXPM1, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.LOG10, UnaryOp.SIN,
            UnaryOp.COS, UnaryOp.TANH, UnaryOp.SIGMOID);

    /** Ops the float32 / float64 driver ({@link FastPath#elementwise}) takes: those whose result has the operand's float dtype. */
    static final Set<UnaryOp> FLOAT_DRIVER = EnumSet.copyOf(java.util.Arrays.stream(UnaryOp.values())
            .filter(op -> op.result() == Op.Result.SAME || op.result() == Op.Result.FLOAT).toList());

    /** out = op(in) for float32/float64, out and in of the same dtype, through the fast driver; false: not taken. */
    static boolean fast(UnaryOp op, Strided out, Strided in) {
        DType t = out.dtype();
        if (!FastPath.isFloat(t) || in.dtype() != t || !FLOAT_DRIVER.contains(op)) return false;
        FastPath.elementwise(op, out, in, null);
        return true;
    }

    /** out = op(in): the fast driver where it applies, else the generic loops (float32-family LIBM ops in float32 arithmetic). */
    static void run(UnaryOp op, Strided out, Strided in) {
        if (fast(op, out, in)) return;
        boolean fp = in.dtype().isFloatingPoint();
        // float32, float16 and bfloat16 through the float32 kernels the fast path uses, so that both give the same bits
        boolean f32 = LIBM.contains(op) && FloatMath.computesIn(in.dtype());
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            if (f32) {
                double[] x = new double[cap];
                float[] xf = new float[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, x);
                    for (int i = 0; i < m; i++) xf[i] = (float) x[i];
                    if (Simd.AVAILABLE) VectorKernels.unary(op, xf, 0, xf, 0, m);
                    else ScalarKernels.unary(op, xf, 0, xf, 0, m);
                    for (int i = 0; i < m; i++) x[i] = xf[i];
                    storeDouble(out, k, m, x);
                }
            } else if (fp) {
                double[] x = new double[cap], y = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(in, k, m, x);
                    generic(op, in.dtype(), x, y, m);
                    storeDouble(out, k, m, y);
                }
            } else {
                long[] x = new long[cap], y = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(in, k, m, x);
                    generic(op, in.dtype(), x, y, m);
                    storeLong(out, k, m, y);
                }
            }
        });
    }

    // ================================================================ the definitions

    private static final double LN2 = Math.log(2);

    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) return Math.log(x) / LN2;
        int e = Math.getExponent(x);
        if (e < Double.MIN_EXPONENT) return Math.log(x) / LN2; // subnormal
        double m = x / Math.scalb(1.0, e);
        if (m > SQRT2) { // m in [sqrt(1/2), sqrt(2)): no cancellation between e and log2(m) just below a power of 2
            m *= 0.5;
            e++;
        }
        return e + Math.log(m) / LN2;
    }

    private static final double SQRT2 = Math.sqrt(2);

    static void generic(UnaryOp op, DType t, double[] x, double[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case NEG -> { for (int i = 0; i < n; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0; } // NaN and -0 give +0, as in PyTorch
            case CEIL -> { for (int i = 0; i < n; i++) y[i] = Math.ceil(x[i]); }
            case FLOOR -> { for (int i = 0; i < n; i++) y[i] = Math.floor(x[i]); }
            case ROUND -> { for (int i = 0; i < n; i++) y[i] = Math.rint(x[i]); }
            case TRUNC -> { for (int i = 0; i < n; i++) y[i] = x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i]); }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0; }
            case EXP -> { for (int i = 0; i < n; i++) y[i] = DetMath.exp(x[i]); }
            case EXP2 -> { for (int i = 0; i < n; i++) y[i] = Math.pow(2, x[i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) y[i] = DetMath.expm1(x[i]); }
            case LOG -> { for (int i = 0; i < n; i++) y[i] = DetMath.log(x[i]); }
            case LOG2 -> { for (int i = 0; i < n; i++) y[i] = log2(x[i]); }
            case LOG10 -> { for (int i = 0; i < n; i++) y[i] = DetMath.log10(x[i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) y[i] = DetMath.log1p(x[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) y[i] = 1 / Math.sqrt(x[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) y[i] = 1 / x[i]; }
            case SIN -> { for (int i = 0; i < n; i++) y[i] = DetMath.sin(x[i]); }
            case COS -> { for (int i = 0; i < n; i++) y[i] = DetMath.cos(x[i]); }
            case TAN -> { for (int i = 0; i < n; i++) y[i] = Math.tan(x[i]); }
            case ASIN -> { for (int i = 0; i < n; i++) y[i] = Math.asin(x[i]); }
            case ACOS -> { for (int i = 0; i < n; i++) y[i] = Math.acos(x[i]); }
            case ATAN -> { for (int i = 0; i < n; i++) y[i] = Math.atan(x[i]); }
            case SINH -> { for (int i = 0; i < n; i++) y[i] = Math.sinh(x[i]); }
            case COSH -> { for (int i = 0; i < n; i++) y[i] = Math.cosh(x[i]); }
            case TANH -> { for (int i = 0; i < n; i++) y[i] = DetMath.tanh(x[i]); }
            case ASINH -> { for (int i = 0; i < n; i++) y[i] = asinh(x[i]); }
            case ACOSH -> { for (int i = 0; i < n; i++) y[i] = x[i] < 1 ? Double.NaN : Math.log(x[i] + Math.sqrt(x[i] * x[i] - 1)); }
            case ATANH -> { for (int i = 0; i < n; i++) y[i] = 0.5 * Math.log1p(2 * x[i] / (1 - x[i])); }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[i] = DetMath.sigmoid(x[i]); }
            case ERF -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erf(x[i]); }
            case ERFC -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erfc(x[i]); }
            case ERFINV -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erfinv(x[i]); }
            case LGAMMA -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.lgamma(x[i]); }
            case DIGAMMA -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.digamma(x[i]); }
            case SINC -> { // in float for float32, float16 and bfloat16, as PyTorch's kernel computes it (its opmath type)
                if (t == DType.float64) for (int i = 0; i < n; i++) y[i] = sinc(x[i]);
                else for (int i = 0; i < n; i++) y[i] = sinc((float) x[i]);
            }
            case BITWISE_NOT -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        }
    }

    /** ATen's sinc: 1 at 0, else sin(pi x) / (pi x), the product rounded once (UnaryOpsKernel.cpp). */
    private static double sinc(double x) {
        if (x == 0) return 1;
        double product = Math.PI * x;
        return DetMath.sin(product) / product;
    }

    /** The same in float arithmetic. */
    private static float sinc(float x) {
        if (x == 0) return 1;
        float product = (float) Math.PI * x;
        return (float) DetMath.sin(product) / product;
    }

    private static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e8 ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    static void generic(UnaryOp op, DType t, long[] x, long[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case NEG -> { for (int i = 0; i < n; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) y[i] = Long.signum(x[i]); }
            case CEIL, FLOOR, ROUND, TRUNC -> System.arraycopy(x, 0, y, 0, n);
            case BITWISE_NOT -> {
                if (t == DType.bool) for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0;
                else for (int i = 0; i < n; i++) y[i] = ~x[i];
            }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0; }
            case EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH,
                 TANH, ASINH, ACOSH, ATANH, SIGMOID, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA, SINC ->
                    throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
        }
    }
}
