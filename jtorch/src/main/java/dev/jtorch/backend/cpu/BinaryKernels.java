package dev.jtorch.backend.cpu;

import static dev.jtorch.backend.cpu.Access.*;
import static dev.jtorch.backend.cpu.CpuBackend.CHUNK;

import dev.jtorch.DType;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.Op;
import java.util.EnumSet;
import java.util.Set;

/**
 * Binary elementwise ops on the CPU, in one place. The definition of an op is its loop in {@link #generic(BinaryOp, double[], double[], double[], int)}
 * and, for ops defined on integers, in the long overload: a new op needs nothing else here. The fast paths are opt-in: each
 * declares the ops it specializes as a set below, its own switch lists only those, and every other op runs the generic loop
 * (chunk by chunk on float32 / float64 data). ADD and SUB with an alpha go to {@link AlphaAdd}. {@code FastKernelsTest}
 * iterates these sets against the generic loops.
 */
final class BinaryKernels {
    private BinaryKernels() {}

    /** Ops with a loop of their own in {@link ScalarKernels} and {@link VectorKernels} (float32 and float64 alike). */
    static final Set<BinaryOp> LANE_LOOPS = EnumSet.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.MINIMUM);

    /** Ops {@link VectorKernels#binaryScalarRight} runs against one value (POW only when that value is 2). */
    static final Set<BinaryOp> SCALAR_RIGHT = EnumSet.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.MINIMUM, BinaryOp.POW);

    /** Comparisons of float32 / float64 operands into a bool out, with lane loops in {@link ScalarKernels} and {@link VectorKernels}. */
    static final Set<BinaryOp> COMPARISONS = EnumSet.of(BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE);

    /** Ops the float32 / float64 driver ({@link FastPath#elementwise}) takes: those whose result has the operands' float dtype. */
    static final Set<BinaryOp> FLOAT_DRIVER = EnumSet.copyOf(java.util.Arrays.stream(BinaryOp.values())
            .filter(op -> op.result() == Op.Result.SAME || op.result() == Op.Result.FLOAT).toList());

    /** out = op(a, b); a non-null alpha: out = a ± alpha·b. */
    static void run(BinaryOp op, Strided out, Strided a, Strided b, Number alpha) {
        if (alpha != null) AlphaAdd.run(op, out, a, b, alpha);
        else if (!fast(op, out, a, b)) genericRun(op, out, a, b);
    }

    /** out = op(a, b) for float32/float64: comparisons into bool, arithmetic through the fast driver; false: not taken. */
    static boolean fast(BinaryOp op, Strided out, Strided a, Strided b) {
        if (COMPARISONS.contains(op)) return compare(op, out, a, b);
        DType t = out.dtype();
        if (!FastPath.isFloat(t) || a.dtype() != t || b.dtype() != t || !FLOAT_DRIVER.contains(op)) return false;
        FastPath.elementwise(op, out, a, b);
        return true;
    }

    /** EQ ... GE of two float32/float64 operands into a bool out: contiguous, the right one possibly a scalar. */
    private static boolean compare(BinaryOp op, Strided out, Strided a, Strided b) {
        DType t = a.dtype();
        if (!FastPath.isFloat(t) || b.dtype() != t || out.dtype() != DType.bool || !out.isContiguous() || !a.isContiguous()) return false;
        boolean scalar = !b.isContiguous();
        if (scalar && !FastPath.allZero(b.stride())) return false;
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
        if (n <= FastPath.GRAIN) body.run(0, n);
        else Parallel.forRange(n, FastPath.GRAIN, body);
        return true;
    }

    /** The generic path: values through double[] (floating dtypes) or long[] buffers, the definitions below on each chunk. */
    private static void genericRun(BinaryOp op, Strided out, Strided a, Strided b) {
        boolean fp = a.dtype().isFloatingPoint();
        DType t = a.dtype();
        Parallel.forRange(out.numel(), Parallel.GRAIN, (s, e) -> {
            int cap = (int) Math.min(CHUNK, e - s);
            if (fp) {
                double[] x = new double[cap], y = new double[cap], z = new double[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadDouble(a, k, m, x);
                    loadDouble(b, k, m, y);
                    generic(op, x, y, z, m);
                    storeDouble(out, k, m, z);
                }
            } else {
                long[] x = new long[cap], y = new long[cap], z = new long[cap];
                for (long k = s; k < e; k += CHUNK) {
                    int m = (int) Math.min(CHUNK, e - k);
                    loadLong(a, k, m, x);
                    loadLong(b, k, m, y);
                    generic(op, t, x, y, z, m);
                    storeLong(out, k, m, z);
                }
            }
        });
    }

    // ================================================================ the definitions

    /** C's pow, which PyTorch uses: pow(1, y) and pow(-1, +-inf) are 1 even for a NaN or infinite y (Java's Math.pow gives NaN). */
    static double pow(double a, double b) {
        if (a == 1 || (a == -1 && Double.isInfinite(b))) return 1;
        return Math.pow(a, b);
    }

    static double remainder(double a, double b) {
        double m = a % b;
        if (m != 0 && (b < 0) != (m < 0)) m += b;
        return m;
    }

    /** Python's floor division on doubles, as PyTorch's div_floor computes it. */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
        if (div == 0) return Math.copySign(0, a / b);
        double fl = Math.floor(div);
        if (div - fl > 0.5) fl += 1;
        return fl;
    }

    static void generic(BinaryOp op, double[] a, double[] b, double[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ADD -> { for (int i = 0; i < n; i++) y[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) y[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) y[i] = a[i] * b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) y[i] = a[i] / b[i]; }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) y[i] = floorDivide(a[i], b[i]); }
            case REMAINDER -> { for (int i = 0; i < n; i++) y[i] = remainder(a[i], b[i]); }
            case FMOD -> { for (int i = 0; i < n; i++) y[i] = a[i] % b[i]; }
            case POW -> { for (int i = 0; i < n; i++) y[i] = pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.min(a[i], b[i]); }
            case ATAN2 -> { for (int i = 0; i < n; i++) y[i] = Math.atan2(a[i], b[i]); }
            case HYPOT -> { for (int i = 0; i < n; i++) y[i] = Math.hypot(a[i], b[i]); }
            case COPYSIGN -> { for (int i = 0; i < n; i++) y[i] = Math.copySign(a[i], b[i]); }
            case EQ -> { for (int i = 0; i < n; i++) y[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) y[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) y[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) y[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) y[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) y[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) y[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT ->
                    throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        }
    }

    private static long pow(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0; // ATen's powi; a negative Python int exponent is rejected before the kernel
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    private static void checkDivisor(long b) {
        if (b == 0) throw new IllegalArgumentException("ZeroDivisionError");
    }

    static void generic(BinaryOp op, DType t, long[] a, long[] b, long[] y, int n) {
        int bits = t.itemSize() * 8;
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ADD -> { for (int i = 0; i < n; i++) y[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) y[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) y[i] = a[i] * b[i]; }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = Math.floorDiv(a[i], b[i]); } }
            case REMAINDER -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = Math.floorMod(a[i], b[i]); } }
            case FMOD -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = a[i] % b[i]; } }
            case POW -> { for (int i = 0; i < n; i++) y[i] = pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.min(a[i], b[i]); }
            case BITWISE_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] & b[i]; }
            case BITWISE_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] | b[i]; }
            case BITWISE_XOR -> { for (int i = 0; i < n; i++) y[i] = a[i] ^ b[i]; }
            case BITWISE_LEFT_SHIFT -> { for (int i = 0; i < n; i++) y[i] = b[i] < 0 || b[i] >= bits ? 0 : a[i] << b[i]; }
            case BITWISE_RIGHT_SHIFT -> { for (int i = 0; i < n; i++) y[i] = b[i] < 0 || b[i] >= bits ? (a[i] < 0 ? -1 : 0) : a[i] >> b[i]; }
            case EQ -> { for (int i = 0; i < n; i++) y[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) y[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) y[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) y[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) y[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) y[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) y[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            case DIV, ATAN2, HYPOT, COPYSIGN -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
        }
    }
}
